// Decodes any input ffmpeg reads into the one 16 kHz mono s16le PCM file (plus stereo for two-channel input), in one
// ffmpeg run that prints the PCM for FunScribe to write.
import { spawn } from 'node:child_process';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { DecodedAudio, MediaProbe } from '../../src-shared/types.js';
import { FunscribeError, throwIfAborted } from '../util/errors.js';
import type { FfmpegTools } from './ffmpeg-locate.js';
import { PCM_SAMPLE_RATE, pcmBytesToMs } from './pcm.js';
import { writePcmOutputs } from './pcm-outputs.js';
import { probeMedia } from './probe.js';
import { ffmpegFileArg, lastMeaningfulLine } from './run-tool.js';

/** Options of one decode: cancellation, a 0..1 progress callback, and a probe already made for this input. */
export interface DecodeOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  probe?: MediaProbe;
}

/** How many of ffmpeg's last stderr lines are kept to explain a failure. */
const STDERR_TAIL_LINES = 20;

/** ffmpeg arguments that print the first audio stream of `inputPath` on stdout as s16le with `channels` at `rate`. */
function decodeArgs(inputPath: string, channels: 1 | 2, rate = PCM_SAMPLE_RATE): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-v',
    'error',
    '-i',
    ffmpegFileArg(inputPath),
    '-vn',
    '-sn',
    '-dn',
    '-map',
    '0:a:0',
    '-ac',
    String(channels),
    '-ar',
    String(rate),
    '-c:a',
    'pcm_s16le',
    '-f',
    's16le',
    'pipe:1',
  ];
}

/** The user-facing error for a failed write of the decoded audio: DISK_FULL for a full disk, else the error itself. */
function writeFailure(inputPath: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return error;
  return new FunscribeError(
    'DISK_FULL',
    `The disk is full: the decoded audio of "${basename(inputPath)}" could not be written. ` +
      'Free some space on the disk that holds the FunScribe data folder and try again.',
    { cause: error, params: { reason: 'decode', file: basename(inputPath) } },
  );
}

/**
 * Decodes `inputPath` to `<outBase>.pcm` (16 kHz mono s16le, all channels mixed down) and, for two-channel input,
 * `<outBase>.stereo.pcm` (16 kHz interleaved stereo) in one streaming ffmpeg run whose output FunScribe writes. Files
 * appear under their final names only when complete. Throws CANCELLED on abort (partial files removed), DISK_FULL
 * when the disk fills and DECODE_FAILED when ffmpeg fails.
 */
export async function decodeToPcm(
  tools: FfmpegTools,
  inputPath: string,
  outBasePath: string,
  options: DecodeOptions = {},
): Promise<DecodedAudio> {
  const { signal, onProgress } = options;
  throwIfAborted(signal);
  const probe = options.probe ?? (await probeMedia(tools, inputPath, signal));
  const channels = probe.channels === 2 ? 2 : 1;
  const pcmPath = `${outBasePath}.pcm`;
  const stereoPcmPath = channels === 2 ? `${outBasePath}.stereo.pcm` : null;
  const temps = { monoPath: `${pcmPath}.partial`, stereoPath: stereoPcmPath && `${stereoPcmPath}.partial` };
  await mkdir(dirname(outBasePath), { recursive: true });

  const expectedBytes = (probe.durationMs * PCM_SAMPLE_RATE * 2 * channels) / 1000;
  let reported = 0;
  const onBytes = (bytes: number): void => {
    const fraction = expectedBytes > 0 ? Math.min(1, bytes / expectedBytes) : 0;
    if (onProgress && fraction > reported) onProgress((reported = fraction));
  };
  try {
    const bytes = await runFfmpeg(
      tools.ffmpeg,
      decodeArgs(inputPath, channels),
      inputPath,
      signal,
      (stdout) => writePcmOutputs(stdout, temps, onBytes),
    );
    if (bytes === 0) {
      throw new FunscribeError(
        'DECODE_FAILED',
        `ffmpeg found no decodable audio in "${basename(inputPath)}".`,
        { params: { reason: 'noAudio', file: basename(inputPath) } },
      );
    }
    // The mono file is renamed last: once it exists under its final name, everything is complete.
    if (stereoPcmPath && temps.stereoPath) await rename(temps.stereoPath, stereoPcmPath);
    await rename(temps.monoPath, pcmPath);
    onProgress?.(1);
    return { pcmPath, stereoPcmPath, durationMs: pcmBytesToMs(bytes), sampleRate: PCM_SAMPLE_RATE, probe };
  } finally {
    await Promise.all([temps.monoPath, temps.stereoPath].map((path) => path && rm(path, { force: true })));
  }
}

/**
 * Decodes `inputPath` to s16le PCM with `channels` at `rate` and hands ffmpeg's stdout to `consume`, which reads it as
 * it comes (nothing is written to disk); resolves with what `consume` returned. Throws CANCELLED on abort and
 * DECODE_FAILED when ffmpeg fails.
 */
export function streamDecodedPcm<T>(
  tools: FfmpegTools,
  inputPath: string,
  format: { channels: 1 | 2; rate: number },
  consume: (stdout: Readable) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const args = decodeArgs(inputPath, format.channels, format.rate);
  return runFfmpeg(tools.ffmpeg, args, inputPath, signal, consume);
}

/** Runs ffmpeg to completion while `consume` takes its stdout; resolves with what `consume` returned. */
async function runFfmpeg<T>(
  ffmpeg: string,
  args: string[],
  inputPath: string,
  signal: AbortSignal | undefined,
  consume: (stdout: Readable) => Promise<T>,
): Promise<T> {
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
  });
  let startError: Error | null = null;
  child.on('error', (error) => (startError = error));
  const closed = new Promise<string | null>((resolve) =>
    child.on('close', (code, killSignal) => resolve(code === 0 ? null : (killSignal ?? `code ${code}`))),
  );
  const onAbort = () => child.kill('SIGKILL');
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  try {
    let result: T;
    try {
      result = await consume(child.stdout);
    } catch (error) {
      child.kill('SIGKILL');
      await closed;
      throw writeFailure(inputPath, error);
    }
    const exit = await closed;
    if (signal?.aborted) throw new FunscribeError('CANCELLED', 'Cancelled.');
    if (startError) {
      const { message } = startError as Error;
      throw new FunscribeError('FFMPEG_NOT_FOUND', `Could not start "${ffmpeg}": ${message}`, {
        cause: startError,
        params: { reason: 'start', program: basename(ffmpeg) },
      });
    }
    if (exit === null) return result;
    const why = lastMeaningfulLine(stderrTail, inputPath) ?? `ffmpeg exited with ${exit}`;
    throw new FunscribeError('DECODE_FAILED', `Could not decode "${basename(inputPath)}": ${why}`, {
      params: { reason: 'failed', file: basename(inputPath) },
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
