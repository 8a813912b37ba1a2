// One recording as main sees it: chunks of 16 kHz s16le (1 or 2 channels) with sequence numbers, from the renderer or
// from ffmpeg, appended to the journal as they arrive while a row in the library marks the recording in progress.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorInfo, TranscribeSettings } from '../../src-shared/types.js';
import { formatDateTime } from '../../src-shared/time.js';
import { PCM_SAMPLE_RATE } from '../audio/pcm.js';
import { currentOwner, HEARTBEAT_INTERVAL_MS } from '../jobs/job-owner.js';
import type { JobOwner } from '../store/jobs-repo.js';
import type { ChannelLayout, RecordingRepository } from '../store/recordings-repo.js';
import { FunscribeError, toErrorInfo } from '../util/errors.js';
import { frameBytes, journalMs, JournalWriter, type JournalFormat } from './wav-journal.js';

/** The folder of the data directory that holds the recordings' journals (one folder per recording). */
export function recordingsDirOf(dataDir: string): string {
  return join(dataDir, 'recordings');
}

/** The most audio one chunk may carry, in ms (the renderer sends about 100 ms at a time). */
export const MAX_CHUNK_MS = 10_000;

/** A piece of audio for the journal: interleaved s16le frames at 16 kHz, numbered from 0 in the order captured. */
export interface RecordingChunk {
  seq: number;
  pcm: Uint8Array;
}

/** What a recording is made of. */
export interface RecordingOptions {
  /** 1: a microphone; 2: the microphone left and the system audio right. */
  channels: 1 | 2;
  /** The settings its transcription job uses. */
  settings: TranscribeSettings;
  /** "Record only, transcribe later": listed as waiting for transcription once stopped. */
  transcribeLater?: boolean;
  /** The title in the interface language, one that can name a file (see StartRecordingOptionsSchema); else English. */
  title?: string;
  /**
   * What becomes of it after a failed write (the disk filled up), for the error to tell: 'listed' (the app's) waits at
   * once in the record screen's list (see failed-write.ts); 'recovered' (the CLI's) is recovered by the next command.
   */
  afterFailedWrite?: 'listed' | 'recovered';
}

/** A recording that has stopped. */
export interface StoppedRecording {
  id: string;
  /** The repaired journal: a WAV of everything captured. */
  path: string;
  durationMs: number;
  /** Why it stopped before it was asked to, or null. */
  error: ErrorInfo | null;
}

/** What a recording needs from the opened library. */
export interface RecordingParts {
  dataDir: string;
  recordings: RecordingRepository;
}

/**
 * The name of a recording's journal, which its meeting's title will read: its title (checked to suit a file name), or
 * "Recording" and its start in local time.
 */
function journalName(startedAt: number, title: string | undefined): string {
  return `${title ?? `Recording ${formatDateTime(startedAt).replace(':', '.')}`}.wav`;
}

/** How the user transcribes a recording a failed write stopped, once the disk takes writes again. */
const TRANSCRIBE_KEPT: Record<NonNullable<RecordingOptions['afterFailedWrite']>, string> = {
  listed: 'then transcribe it from “Waiting to be transcribed” on the record screen',
  recovered: 'then run `funscribe resume`, which recovers the recording and transcribes it',
};

/** What a recording a failed write stopped keeps, and what to do (`fix`, then transcribe it, or record again). */
function keptAfterFailedWrite(
  path: string,
  durationMs: number,
  fix: string,
  after: RecordingOptions['afterFailedWrite'] = 'listed',
): string {
  if (durationMs === 0) return `Nothing was recorded yet. ${fix}, then record again.`;
  return `The ${(durationMs / 1000).toFixed(1)} s recorded so far are kept in ${path}. ${fix}, ${TRANSCRIBE_KEPT[after]}.`;
}

/**
 * The error for a write of the journal that failed: DISK_FULL for a full disk, else one naming the system's error;
 * either says what was kept and what to do.
 */
function journalWriteError(
  error: unknown,
  path: string,
  durationMs: number,
  after: RecordingOptions['afterFailedWrite'],
): FunscribeError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new FunscribeError(
      'DISK_FULL',
      `The disk of the data folder is full, so the recording stopped. ${keptAfterFailedWrite(path, durationMs, 'Free some space on that disk', after)}`,
      { cause: error, params: { reason: 'recording' } },
    );
  }
  const fix = 'Check that the data folder can be written to';
  return new FunscribeError(
    'RECORDING_WRITE_FAILED',
    `The recording stopped because its file could not be written (${code ?? (error as Error).message}). ${keptAfterFailedWrite(path, durationMs, fix, after)}`,
    { cause: error },
  );
}

/**
 * Whether `chunk` is the one due (`nextSeq`): false for one seen before (to be ignored); a gap, a chunk of part frames
 * or one too long is refused with INVALID_ARGUMENT.
 */
export function isNextChunk(chunk: RecordingChunk, nextSeq: number, channels: 1 | 2): boolean {
  if (!Number.isInteger(chunk.seq) || chunk.seq < 0)
    throw new FunscribeError('INVALID_ARGUMENT', 'A chunk number must be a whole number from 0.');
  if (chunk.seq < nextSeq) return false;
  if (chunk.seq > nextSeq) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      `Audio chunk ${chunk.seq} arrived when ${nextSeq} was due: chunks must come in order, none left out.`,
    );
  }
  const format: JournalFormat = { sampleRate: PCM_SAMPLE_RATE, channels };
  if (
    chunk.pcm.byteLength % frameBytes(format) !== 0 ||
    journalMs(format, chunk.pcm.byteLength) > MAX_CHUNK_MS
  ) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      `An audio chunk must hold whole ${channels}-channel frames and at most ${MAX_CHUNK_MS / 1000} s.`,
    );
  }
  return true;
}

/** A recording in progress: append chunks, then stop. */
export class RecordingSession {
  private nextSeq = 0;
  private failure: FunscribeError | null = null;
  private stopped: StoppedRecording | null = null;
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    private readonly parts: RecordingParts,
    readonly id: string,
    readonly path: string,
    private readonly format: JournalFormat,
    private readonly journal: JournalWriter,
    private readonly owner: JobOwner,
    /** Epoch ms of the start. */
    readonly startedAt: number,
    private readonly afterFailedWrite: RecordingOptions['afterFailedWrite'],
  ) {
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
  }

  /** Starts a recording: its row (in progress, owned by this process) first, then its journal on the disk. */
  static start(parts: RecordingParts, options: RecordingOptions): RecordingSession {
    const id = randomUUID();
    const dir = join(recordingsDirOf(parts.dataDir), id);
    const startedAt = Date.now();
    const path = join(dir, journalName(startedAt, options.title));
    const format: JournalFormat = { sampleRate: PCM_SAMPLE_RATE, channels: options.channels };
    const channelLayout: ChannelLayout = options.channels === 2 ? 'microphone-system' : 'mono';
    const owner = currentOwner();
    const stored = parts.recordings.start({
      id,
      path,
      sampleRate: format.sampleRate,
      channels: format.channels,
      channelLayout,
      settings: options.settings,
      owner,
      transcribeLater: options.transcribeLater,
    });
    let journal: JournalWriter;
    try {
      mkdirSync(dir, { recursive: true });
      journal = JournalWriter.create(path, format);
    } catch (error) {
      const failure = journalWriteError(error, path, 0, options.afterFailedWrite);
      parts.recordings.finish(id, { durationMs: 0, error: toErrorInfo(failure) });
      throw failure;
    }
    return new RecordingSession(
      parts,
      id,
      path,
      format,
      journal,
      owner,
      stored.startedAt,
      options.afterFailedWrite,
    );
  }

  /** 1: mono; 2: the microphone left and the system audio right. */
  get channels(): 1 | 2 {
    return this.format.channels;
  }

  /** How many chunks are in the journal (a repeated chunk is not counted again). */
  get chunksAppended(): number {
    return this.nextSeq;
  }

  /** The audio recorded so far, in ms. */
  get durationMs(): number {
    return journalMs(this.format, this.journal.dataBytes);
  }

  /** Why the recording stopped by itself (the disk filled up), or null while it records. */
  get error(): FunscribeError | null {
    return this.failure;
  }

  /**
   * Appends one chunk. A chunk seen before is ignored; a gap, a chunk of part frames or too long is refused with
   * INVALID_ARGUMENT. A failed write stops the recording (what was written is kept) and throws its error, as does
   * every later append.
   */
  append(chunk: RecordingChunk): void {
    if (this.failure) throw this.failure;
    if (this.stopped) throw new FunscribeError('INVALID_ARGUMENT', 'This recording has stopped.');
    if (!isNextChunk(chunk, this.nextSeq, this.format.channels)) return;
    try {
      this.journal.append(chunk.pcm);
    } catch (error) {
      this.fail(error);
      throw this.failure as unknown as Error;
    }
    this.nextSeq += 1;
  }

  /**
   * Stops the recording and returns it. Stopped cleanly (or because the input ended, given as `reason`), it is marked
   * finished; after a failed write it is left for recovery, which queues it once the disk takes writes again.
   */
  stop(reason: ErrorInfo | null = null): StoppedRecording {
    if (this.stopped) return this.stopped;
    clearInterval(this.heartbeat);
    if (this.failure) {
      this.stopped = {
        id: this.id,
        path: this.path,
        durationMs: this.durationMs,
        error: toErrorInfo(this.failure),
      };
      return this.stopped;
    }
    let dataBytes: number;
    try {
      dataBytes = this.journal.close();
    } catch (error) {
      this.fail(error);
      return this.stop();
    }
    const durationMs = journalMs(this.format, dataBytes);
    this.parts.recordings.finish(this.id, { durationMs, error: reason });
    this.stopped = { id: this.id, path: this.path, durationMs, error: reason };
    return this.stopped;
  }

  /** Stops after a failed write: the journal is cut at its last whole frame and the row left for recovery. */
  private fail(error: unknown): void {
    clearInterval(this.heartbeat);
    try {
      this.journal.close();
    } catch {
      // Recovery repairs the journal; its header sits in space the file already has.
    }
    this.failure = journalWriteError(error, this.path, this.durationMs, this.afterFailedWrite);
    try {
      this.parts.recordings.release(this.id, this.owner.token, toErrorInfo(this.failure));
    } catch {
      // The library is on the full disk too: the row stays this process's, and is recovered once it has exited.
    }
  }

  private beat(): void {
    try {
      this.parts.recordings.heartbeat(this.id, this.owner.token);
    } catch {
      // A busy or full library: the next beat tries again.
    }
  }
}
