// The recording journal: a WAV file that grows as audio arrives. Every chunk is written at once (a killed process
// loses nothing the system has), the header's sizes are brought up to date and the data flushed to the disk at least
// every second, and a file cut off at any byte is repaired by cutting it at its last whole frame. The writes run on the
// caller's thread, in order; the once-a-second flush (fdatasync, several ms on a busy disk) runs in libuv's pool so
// that it never blocks the caller's event loop (Electron main's IPC), one at a time, and the file is closed only once
// no flush is using it.
import { closeSync, fdatasync, fstatSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { PCM_BYTES_PER_SAMPLE, wavHeader } from '../audio/pcm.js';

/** The bytes of the WAV header the journal starts with. */
export const WAV_HEADER_BYTES = 44;

/** The longest time written audio may wait before it is flushed to the disk, in ms. */
export const JOURNAL_SYNC_MS = 1000;

/** The sample format of a journal: s16le at `sampleRate`, interleaved channels. */
export interface JournalFormat {
  sampleRate: number;
  channels: 1 | 2;
}

/** Bytes of one frame (one sample of every channel). */
export function frameBytes(format: JournalFormat): number {
  return format.channels * PCM_BYTES_PER_SAMPLE;
}

/** The duration in ms of `dataBytes` of audio in this format. */
export function journalMs(format: JournalFormat, dataBytes: number): number {
  return (dataBytes / frameBytes(format) / format.sampleRate) * 1000;
}

/** Writes all of `bytes` at `position`, however many calls it takes; counts what was written. */
function writeFully(fd: number, bytes: Uint8Array, position: number, written: { bytes: number }): void {
  let offset = 0;
  while (offset < bytes.length) {
    const count = writeSync(fd, bytes, offset, bytes.length - offset, position + offset);
    offset += count;
    written.bytes += count;
  }
}

/** Appends audio to a journal file and keeps it readable; not safe to share between processes. */
export class JournalWriter {
  private readonly written = { bytes: 0 };
  private synced = 0;
  private lastFlush = Date.now();
  private readonly timer: NodeJS.Timeout;
  private fd: number | null;
  /** Whether a flush is under way in the pool. */
  private flushing = false;
  /** Whether a flush was due while one was under way: it starts once that one is done. */
  private flushAgain = false;
  /** The error of a flush that failed, for the next append or the close to report. */
  private flushError: Error | null = null;

  private constructor(
    fd: number,
    private readonly format: JournalFormat,
  ) {
    this.fd = fd;
    this.timer = setInterval(() => this.flushQuietly(), JOURNAL_SYNC_MS);
    this.timer.unref();
  }

  /** Creates the journal at `path` (it must not exist) with its header, on the disk before it returns. */
  static create(path: string, format: JournalFormat): JournalWriter {
    const fd = openSync(path, 'wx');
    try {
      writeFully(fd, wavHeader(0, format.sampleRate, format.channels), 0, { bytes: 0 });
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return new JournalWriter(fd, format);
  }

  /** The audio bytes written so far (a failed write may have left part of a frame). */
  get dataBytes(): number {
    return this.written.bytes;
  }

  /** The audio bytes the last finished flush (or the close) put on the disk, counted by the header with them. */
  get syncedBytes(): number {
    return this.synced;
  }

  /**
   * Appends interleaved s16le frames; throws the system's error (ENOSPC, …) with what did fit kept, or that of a flush
   * that failed since the last append.
   */
  append(pcm: Uint8Array): void {
    if (this.fd === null) throw new Error('The journal is closed.');
    if (this.flushError) throw this.flushError;
    writeFully(this.fd, pcm, WAV_HEADER_BYTES + this.written.bytes, this.written);
    if (Date.now() - this.lastFlush >= JOURNAL_SYNC_MS) this.flush();
  }

  /** Ends the journal: cut at its last whole frame, header repaired, on the disk; returns its audio bytes. */
  close(): number {
    clearInterval(this.timer);
    if (this.fd === null) return this.written.bytes;
    const fd = this.fd;
    this.fd = null;
    try {
      const whole = repairOpenJournal(fd, this.format);
      if (this.flushError) throw this.flushError;
      this.synced = whole;
      return whole;
    } finally {
      // A flush under way closes the file once it is done (see flushed).
      if (!this.flushing) closeSync(fd);
    }
  }

  /**
   * Brings the header's sizes up to date (here, in order with the appends) and starts flushing the data to the disk
   * in the pool; when a flush is under way, this one follows it.
   */
  private flush(): void {
    if (this.fd === null) return;
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    const whole = this.written.bytes - (this.written.bytes % frameBytes(this.format));
    writeHeader(this.fd, this.format, whole);
    this.lastFlush = Date.now();
    this.flushing = true;
    const fd = this.fd;
    fdatasync(fd, (error) => this.flushed(fd, whole, error));
  }

  /** A flush of `bytes` is done: counted, or its error kept; the file closed when the journal closed meanwhile. */
  private flushed(fd: number, bytes: number, error: Error | null): void {
    this.flushing = false;
    if (this.fd === null) {
      try {
        closeSync(fd);
      } catch {
        // The close has already put the journal on the disk with its own fsync.
      }
      return;
    }
    if (error) this.flushError ??= error;
    else this.synced = bytes;
    if (this.flushAgain) {
      this.flushAgain = false;
      this.flushQuietly();
    }
  }

  /** Flushes from the timer; a failure is left for the next write or the close to report. */
  private flushQuietly(): void {
    try {
      this.flush();
    } catch {
      // The next append or close meets the same failure and reports it.
    }
  }
}

/** Writes the header of a journal holding `dataBytes` of audio (in place: it takes no new space on the disk). */
function writeHeader(fd: number, format: JournalFormat, dataBytes: number): void {
  writeFully(fd, wavHeader(dataBytes, format.sampleRate, format.channels), 0, { bytes: 0 });
}

/** Cuts an open journal at its last whole frame and writes its header; returns its audio bytes. */
function repairOpenJournal(fd: number, format: JournalFormat): number {
  const size = fstatSync(fd).size;
  const audio = Math.max(0, size - WAV_HEADER_BYTES);
  const whole = audio - (audio % frameBytes(format));
  if (size !== WAV_HEADER_BYTES + whole) ftruncateSync(fd, WAV_HEADER_BYTES + whole);
  writeHeader(fd, format, whole);
  fsyncSync(fd);
  return whole;
}

/**
 * Repairs a journal its process left (killed at any byte): cut at its last whole frame, header rewritten for `format`.
 * Idempotent; returns its audio bytes, or null when the file is not there.
 */
export function repairJournal(path: string, format: JournalFormat): number | null {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return repairOpenJournal(fd, format);
  } finally {
    closeSync(fd);
  }
}
