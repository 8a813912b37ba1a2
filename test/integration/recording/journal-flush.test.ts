// The journal is flushed every second: the header's sizes are brought up to date at once (in order with the writes)
// and the data's flush to the disk finishes in the pool, every second of the clock while nothing arrives, or at the
// first append once a second has passed; one due while another is under way follows it. A close while a flush is
// under way ends the journal at once and closes the file when that flush is done. The clock is vitest's (setInterval
// and Date); the file and its flushes are real.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { JOURNAL_SYNC_MS, JournalWriter, WAV_HEADER_BYTES } from '../../../src-main/recording/wav-journal.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** 100 ms of 16 kHz mono s16le, its samples counting up from `seq`. */
function chunk(seq: number): Buffer {
  const pcm = Buffer.alloc(3200);
  for (let i = 0; i < 1600; i++) pcm.writeInt16LE((seq * 1600 + i) % 32_768, i * 2);
  return pcm;
}

/** The audio bytes the journal's header on the disk counts (as any reader of the file sees it). */
function headerBytes(path: string): number {
  return readFileSync(path).readUInt32LE(40);
}

/** Waits (in real time, up to 10 s) until `done` holds, letting the pool's callbacks run. */
async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`Still waiting after 10 s for ${what}.`);
    await yieldToLoop();
  }
}

/** Whether this process has a file descriptor open on `path`. */
function isOpen(path: string): boolean {
  return readdirSync('/proc/self/fd').some((fd) => {
    try {
      return readlinkSync(join('/proc/self/fd', fd)) === path;
    } catch {
      return false;
    }
  });
}

describe('the journal’s flush', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    data = await makeTempDir('journal-flush');
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  afterAll(async () => {
    await data.remove();
  });

  it('runs every second of the clock and at the first append after a second, and a close waits for it', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const path = join(data.path, 'journal.wav');
    const journal = JournalWriter.create(path, { sampleRate: 16_000, channels: 1 });
    let seq = 0;
    const written = (): number => seq * 3200;

    // Each second with audio and no further appends: the timer's flush.
    for (let second = 0; second < 5; second++) {
      for (let end = seq + 3; seq < end; seq++) journal.append(chunk(seq));
      expect(headerBytes(path)).toBe(written() - 3 * 3200);
      vi.advanceTimersByTime(JOURNAL_SYNC_MS);
      expect(headerBytes(path)).toBe(written());
      await until(() => journal.syncedBytes === written(), `the flush of second ${second}`);
    }

    // A second passes on the clock before the timer's turn: the next append flushes.
    vi.setSystemTime(Date.now() + JOURNAL_SYNC_MS);
    journal.append(chunk(seq++));
    expect(headerBytes(path)).toBe(written());
    await until(() => journal.syncedBytes === written(), 'the append’s flush');

    // A flush due while one is under way follows it.
    journal.append(chunk(seq++));
    vi.advanceTimersByTime(JOURNAL_SYNC_MS);
    journal.append(chunk(seq++));
    vi.advanceTimersByTime(JOURNAL_SYNC_MS);
    expect(headerBytes(path)).toBe(written() - 3200);
    await until(() => journal.syncedBytes === written(), 'the flush that followed');
    expect(headerBytes(path)).toBe(written());

    // A close while a flush is under way: the journal ends at once, its file is closed once the flush is done.
    journal.append(chunk(seq++));
    vi.advanceTimersByTime(JOURNAL_SYNC_MS);
    journal.append(chunk(seq++));
    expect(journal.close()).toBe(written());
    expect(journal.syncedBytes).toBe(written());
    expect(() => journal.append(chunk(seq))).toThrow(/closed/);
    // The flush still holds the file (closed now, its number could go to another file that the flush would sync).
    expect(isOpen(path)).toBe(true);
    await until(() => !isOpen(path), 'the file’s close');
    expect(journal.syncedBytes).toBe(written());
    const wav = readFileSync(path);
    expect(wav.length).toBe(WAV_HEADER_BYTES + written());
    expect(wav.readUInt32LE(40)).toBe(written());
    for (let index = 0; index < seq; index++) {
      const at = WAV_HEADER_BYTES + index * 3200;
      expect(wav.subarray(at, at + 3200).equals(chunk(index))).toBe(true);
    }
  });
});
