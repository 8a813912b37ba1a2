// Downloads a speaker model: mirrors in order, a few retries per mirror with a short back-off, resume from the
// `.part` file, SHA-256 check, then an atomic rename into place and a verified record next to the file.
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FunscribeError } from '../../util/errors.js';
import { orderedMirrors } from './model-catalog.js';
import type { MirrorRegion, ModelMirror, SpeakerModelEntry } from './model-catalog.js';
import { modelFilePath, partFilePath, recordVerified, storageError } from './model-files.js';
import { TransferError, transferToPart } from './mirror-transfer.js';

/** Progress of one model download; `mirror` is the host being read from. */
export interface ModelDownloadProgress {
  modelId: string;
  bytesDone: number;
  bytesTotal: number;
  mirror: string;
}

/** How to download; every field is optional. */
export interface ModelDownloadOptions {
  /** Mirrors to try, in order; default: the entry's mirrors ordered by `preferredRegion`. */
  mirrors?: readonly ModelMirror[];
  /** 'cn' tries the mainland-China mirrors (ModelScope, hf-mirror.com) first; default 'global'. */
  preferredRegion?: MirrorRegion;
  /** Aborting stops the download with a CANCELLED error and keeps the .part file for a later resume. */
  signal?: AbortSignal;
  onProgress?: (progress: ModelDownloadProgress) => void;
  /** Attempts per mirror before moving on (default 3). */
  attemptsPerMirror?: number;
  /** Wait before the first retry of a mirror, doubled for each further one (default 1000 ms). */
  retryDelayMs?: number;
  /** An attempt that receives nothing for this long is dropped and retried (default 30 s). */
  stallTimeoutMs?: number;
}

/** Progress is reported at least every this many bytes (and at every start and finish). */
const PROGRESS_STEP_BYTES = 64 * 1024;

function cancelled(): FunscribeError {
  return new FunscribeError('CANCELLED', 'The model download was cancelled.');
}

/** A short reason for a failed attempt, in words a user can act on. */
function describeFailure(error: unknown): string {
  if (error instanceof TransferError) return error.message;
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const code = cause?.code ?? (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'connection timed out';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || (error as Error).message === 'terminated')
    return 'the connection dropped';
  if (code?.includes('CERT') === true) return 'its TLS certificate was not accepted';
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** The error when no mirror delivered the file: which hosts failed and how, and how to install it by hand. */
function allMirrorsFailed(entry: SpeakerModelEntry, target: string, failures: string[]): FunscribeError {
  const megabytes = (entry.sizeBytes / 1e6).toFixed(1);
  const source = entry.mirrors[0]?.url ?? entry.fileName;
  return new FunscribeError(
    'MODEL_DOWNLOAD_FAILED',
    `Could not download the speaker model "${entry.displayName}" (${megabytes} MB). Tried ${failures.join('; ')}. ` +
      `Check your internet connection and try again. Or download ${entry.fileName} yourself (for example from ` +
      `${source}) and put it at ${target}; FunScribe checks it before use.`,
    { cause: failures, params: { reason: 'failed', model: entry.displayName, megabytes: Number(megabytes) } },
  );
}

/** Runs one transfer with a stall timer; maps a stall to a retryable TransferError and user aborts to CANCELLED. */
async function attempt(
  url: string,
  part: string,
  entry: SpeakerModelEntry,
  options: ModelDownloadOptions,
  onBytes: (bytesDone: number) => void,
): Promise<string> {
  const stall = new AbortController();
  const stallMs = options.stallTimeoutMs ?? 30_000;
  const timer = setTimeout(() => stall.abort(), stallMs);
  const signal = options.signal ? AbortSignal.any([options.signal, stall.signal]) : stall.signal;
  try {
    return await transferToPart({
      url,
      partPath: part,
      sizeBytes: entry.sizeBytes,
      signal,
      onBytes: (bytesDone) => {
        timer.refresh();
        onBytes(bytesDone);
      },
    });
  } catch (error) {
    if (options.signal?.aborted) throw cancelled();
    if (stall.signal.aborted) throw new TransferError(`no data arrived for ${stallMs / 1000} s`, false);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Reports progress for one mirror, throttled to PROGRESS_STEP_BYTES. */
function progressReporter(entry: SpeakerModelEntry, mirror: ModelMirror, options: ModelDownloadOptions) {
  let last = -Infinity;
  return (bytesDone: number): void => {
    if (bytesDone - last < PROGRESS_STEP_BYTES && bytesDone !== entry.sizeBytes && bytesDone > last) return;
    last = bytesDone;
    options.onProgress?.({ modelId: entry.id, bytesDone, bytesTotal: entry.sizeBytes, mirror: mirror.host });
  };
}

/** Tries one mirror up to `attemptsPerMirror` times; returns the installed path, or the reason it gave up. */
async function tryMirror(
  entry: SpeakerModelEntry,
  target: string,
  mirror: ModelMirror,
  options: ModelDownloadOptions,
): Promise<{ path: string } | { failure: string }> {
  const part = partFilePath(target);
  const attempts = Math.max(1, options.attemptsPerMirror ?? 3);
  const report = progressReporter(entry, mirror, options);
  let reason = 'no attempt was made';
  for (let n = 1; n <= attempts; n++) {
    if (options.signal?.aborted) throw cancelled();
    try {
      const sha256 = await attempt(mirror.url, part, entry, options, report);
      if (sha256 !== entry.sha256) {
        await rm(part, { force: true });
        return { failure: 'the file it sent has the wrong checksum (damaged or a different file)' };
      }
      await rename(part, target);
      await recordVerified(target, sha256);
      return { path: target };
    } catch (error) {
      if (error instanceof FunscribeError) throw error;
      const stored = storageError(error, dirname(target));
      if (stored instanceof FunscribeError) throw stored;
      if (error instanceof TransferError && error.partIsBad) await rm(part, { force: true });
      reason = describeFailure(error);
      if (error instanceof TransferError && error.nextMirror) break;
    }
    if (n < attempts)
      await sleep((options.retryDelayMs ?? 1000) * 2 ** (n - 1), undefined, { signal: options.signal }).catch(
        () => {
          throw cancelled();
        },
      );
  }
  return { failure: reason };
}

/** Downloads `entry` into `modelsDir` (created if needed) and returns the verified file's path. */
export async function downloadModel(
  entry: SpeakerModelEntry,
  modelsDir: string,
  options: ModelDownloadOptions = {},
): Promise<string> {
  await mkdir(modelsDir, { recursive: true }).catch((error: unknown) => {
    throw storageError(error, modelsDir);
  });
  const target = modelFilePath(modelsDir, entry);
  const failures: string[] = [];
  for (const mirror of options.mirrors ?? orderedMirrors(entry, options.preferredRegion)) {
    const outcome = await tryMirror(entry, target, mirror, options);
    if ('path' in outcome) return outcome.path;
    failures.push(`${mirror.host} (${outcome.failure})`);
  }
  throw allMirrorsFailed(entry, target, failures);
}
