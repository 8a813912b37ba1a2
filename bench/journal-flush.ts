// Journal flush: how much the recording journal's once-a-second flush holds up the thread that records (Electron's
// main, which also serves IPC). Two journals record the same two-channel 16 kHz call in 100 ms chunks in real time on
// the same disk, one after the other: a reference that flushes as the journal did before (header, then fdatasyncSync
// on the thread) and the journal itself (header on the thread, fdatasync in libuv's pool). For each: how long its
// once-a-second timer's callback, which flushes, held the thread (p50 and max, from async_hooks' before and after),
// how long an append took (p99 and max: one that is due flushes too), and the event loop's delay over the run
// (perf_hooks.monitorEventLoopDelay at 1 ms resolution, p99 and max; it also counts whatever else the machine does).
// Once on the disk as it is, then again while another process writes and fsyncs 8 MB at a time to the same disk.
// `npx tsx bench/journal-flush.ts [--seconds 20] [--dir D]` (D: a folder on the disk to measure; the system's temp)
import { spawn } from 'node:child_process';
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHook } from 'node:async_hooks';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { wavHeader } from '../src-main/audio/pcm.js';
import { JOURNAL_SYNC_MS, JournalWriter, WAV_HEADER_BYTES } from '../src-main/recording/wav-journal.js';
import { CHUNK_MS, feedRecording, speechChunks, type ChunkSource } from './recording-feed.js';

/** What the bench records with: append chunks, close. */
interface BenchJournal {
  append(pcm: Uint8Array): void;
  close(): void;
}

const FORMAT = { sampleRate: 16_000, channels: 2 } as const;

/** The journal's flush as it was: the header and fdatasyncSync on the thread, due by the clock or at an append. */
function blockingJournal(path: string): BenchJournal {
  const fd = openSync(path, 'wx');
  writeSync(fd, wavHeader(0, FORMAT.sampleRate, FORMAT.channels), 0, WAV_HEADER_BYTES, 0);
  let bytes = 0;
  let lastFlush = Date.now();
  const flush = (): void => {
    writeSync(fd, wavHeader(bytes, FORMAT.sampleRate, FORMAT.channels), 0, WAV_HEADER_BYTES, 0);
    fdatasyncSync(fd);
    lastFlush = Date.now();
  };
  const timer = setInterval(flush, JOURNAL_SYNC_MS);
  return {
    append(pcm) {
      bytes += writeSync(fd, pcm, 0, pcm.length, WAV_HEADER_BYTES + bytes);
      if (Date.now() - lastFlush >= JOURNAL_SYNC_MS) flush();
    },
    close() {
      clearInterval(timer);
      closeSync(fd);
    },
  };
}

/** What one journal's recording held up. */
interface FlushFigures {
  timerCallbacks: number;
  timerP50Ms: number;
  timerMaxMs: number;
  appendP99Ms: number;
  appendMaxMs: number;
  loopP99Ms: number;
  loopMaxMs: number;
}

/** The `q` quantile of `values` (sorted in place). */
function quantile(values: number[], q: number): number {
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? 0;
}

/** Times the callbacks of the timers `open` sets up (the journal's flush timer) on the thread, in ms. */
function timeTimersOf<T>(open: () => T): { opened: T; callbackMs: number[]; stop(): void } {
  const timers = new Set<number>();
  const started = new Map<number, number>();
  const callbackMs: number[] = [];
  let opening = true;
  const hook = createHook({
    init: (id, type) => void (opening && type === 'Timeout' && timers.add(id)),
    before: (id) => void (timers.has(id) && started.set(id, performance.now())),
    after: (id) => {
      const from = started.get(id);
      if (from !== undefined) callbackMs.push(performance.now() - from);
      started.delete(id);
    },
  }).enable();
  const opened = open();
  opening = false;
  return { opened, callbackMs, stop: () => void hook.disable() };
}

/**
 * Records `seconds` of the call in real time into the journal `open` makes, timing its flush timer's callbacks, every
 * append and the event loop's delay.
 */
async function measure(open: () => BenchJournal, chunk: ChunkSource, seconds: number): Promise<FlushFigures> {
  const { opened: journal, callbackMs, stop } = timeTimersOf(open);
  const appendMs: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  await feedRecording({
    durationMs: seconds * 1000,
    speed: 1,
    chunk,
    append: (_seq, pcm) => {
      const started = performance.now();
      journal.append(pcm);
      appendMs.push(performance.now() - started);
    },
  });
  loop.disable();
  journal.close();
  stop();
  return {
    timerCallbacks: callbackMs.length,
    timerP50Ms: quantile(callbackMs, 0.5),
    timerMaxMs: Math.max(...callbackMs),
    appendP99Ms: quantile(appendMs, 0.99),
    appendMaxMs: Math.max(...appendMs),
    loopP99Ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
  };
}

/** Starts a process writing and fsyncing 8 MB at a time to a file in `dir` until it is killed. */
function busyDisk(dir: string): () => void {
  const script = `
    const fs = require('node:fs');
    const fd = fs.openSync(process.argv[1], 'w');
    const block = Buffer.alloc(8 << 20, 1);
    for (let i = 0; ; i = (i + 1) % 16) { fs.writeSync(fd, block, 0, block.length, i * block.length); fs.fsyncSync(fd); }`;
  const child = spawn(process.execPath, ['-e', script, join(dir, 'busy.bin')], { stdio: 'ignore' });
  return () => child.kill();
}

/** One figure line for a journal. */
function line(name: string, figures: FlushFigures): string {
  const ms = (value: number): string => `${value.toFixed(2)} ms`;
  return (
    `  ${name.padEnd(36)} flush timer ${String(figures.timerCallbacks).padStart(3)}×: p50 ${ms(figures.timerP50Ms)}, ` +
    `max ${ms(figures.timerMaxMs)}; append p99 ${ms(figures.appendP99Ms)}, max ${ms(figures.appendMaxMs)}; ` +
    `event-loop delay p99 ${ms(figures.loopP99Ms)}, max ${ms(figures.loopMaxMs)}`
  );
}

/** Runs the bench and prints its figures. */
export async function runJournalFlushBench(options: { seconds?: number; dir?: string } = {}): Promise<void> {
  const seconds = options.seconds ?? 20;
  const chunk = await speechChunks();
  const dir = await mkdtemp(join(options.dir ?? tmpdir(), 'funscribe-bench-journal-'));
  console.log(
    `Journal flush: ${seconds} s of a two-channel call in ${CHUNK_MS} ms chunks, real time, per journal (${dir})`,
  );
  try {
    for (const busy of [false, true]) {
      const stopLoad = busy ? busyDisk(dir) : () => undefined;
      try {
        const before = await measure(
          () => blockingJournal(join(dir, `blocking-${busy}.wav`)),
          chunk,
          seconds,
        );
        const after = await measure(
          () => JournalWriter.create(join(dir, `pool-${busy}.wav`), FORMAT),
          chunk,
          seconds,
        );
        console.log(busy ? ' the disk busy (another process writing and fsyncing):' : ' the disk as it is:');
        console.log(line('fdatasyncSync on the thread (before)', before));
        console.log(line('fdatasync in the pool (the journal)', after));
      } finally {
        stopLoad();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, dir: { type: 'string' } } });
  await runJournalFlushBench({
    seconds: values.seconds === undefined ? undefined : Number(values.seconds),
    dir: values.dir,
  });
}
