// Recording memory: is main's memory flat over a long recording? Two hours of a two-channel call (16 kHz s16le,
// 100 ms chunks) go through main's recording path faster than real time, and the process's RSS and heap (after a
// full garbage collection) are sampled every recorded minute. Prints them at the start (after a warm-up), the middle
// and the end, and their slope in MB per recorded hour after the warm-up.
// Then the same with live captions to the FunASR stand-in in 2pass mode, at the speed it keeps up with (5x: at 20x
// and 100x it falls behind, the client counts it as dropped and reconnects, which the caption states printed show;
// 2 h at 5x take 24 min). Ends with a verdict: the slopes of the heap after GC, captions off and on side by side,
// flat when both stay under FLAT_MB_PER_HOUR.
// `npx tsx bench/recording-memory.ts [--hours 2] [--speed 100] [--caption-speed 5]`
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSimProcess } from '../test/helpers/sim-process.js';
import {
  CHUNK_MS,
  feedRecording,
  openBenchLibrary,
  speechChunks,
  startBenchRecording,
  type ChunkSource,
} from './recording-feed.js';

const MB = 1024 * 1024;
const MINUTE_MS = 60_000;
/**
 * Recorded minutes left out of the slope: caches, the first journal pages and the JIT settle (with captions on, heap
 * snapshots showed V8's compiled code still growing by about 0.2 MB until recorded minute 30, then no more).
 */
const WARM_UP_MINUTES = 30;
/** The heap slope (after GC, MB per recorded hour) under which memory counts as flat: 0.5 MB over 2 h. */
const FLAT_MB_PER_HOUR = 0.25;
/**
 * The stand-in's log lines this process keeps: it logs every 2pass reply, and keeping them all (the test helper's
 * default) grew this process's heap by 1.2 MB per recorded hour, which the bench then counted as main's.
 */
const SIM_LOG_LINES = 100;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Memory after one recorded minute. */
interface MemorySample {
  minute: number;
  rssMb: number;
  heapMb: number;
}

/** One recording's memory figures. */
interface MemoryRun {
  label: string;
  samples: MemorySample[];
  speed: number;
  recordedMs: number;
  /** Caption events received, and the caption states seen in order (captions on). */
  captions: number;
  states: string[];
}

/** The least-squares slope of `y` over `x`. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  const covariance = points.reduce((sum, p) => sum + (p.x - meanX) * (p.y - meanY), 0);
  const variance = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  return variance === 0 ? NaN : covariance / variance;
}

/** Samples this process's memory after a full collection. */
function sampleMemory(minute: number): MemorySample {
  collectGarbage();
  const usage = process.memoryUsage();
  return { minute, rssMb: usage.rss / MB, heapMb: usage.heapUsed / MB };
}

/**
 * Records `hours` at `speed` through main's recording path (live captions to `captionServer` when given), sampling
 * memory every recorded minute.
 */
async function recordAndSample(
  label: string,
  chunk: ChunkSource,
  hours: number,
  speed: number,
  captionServer: string | null,
): Promise<MemoryRun> {
  const library = await openBenchLibrary('recording-memory');
  let captions = 0;
  const states: string[] = [];
  const stopListening = library.services.liveRecordings.onEvent((event, payload) => {
    if (event === 'recording:caption') captions += 1;
    else if ('state' in payload && states.at(-1) !== payload.state) states.push(payload.state);
  });
  try {
    const recording = await startBenchRecording(library, captionServer);
    const samples = [sampleMemory(0)];
    const fed = await feedRecording({
      durationMs: hours * 60 * MINUTE_MS,
      speed,
      chunk,
      append: recording.append,
      everyChunks: MINUTE_MS / CHUNK_MS,
      onProgress: (chunks) => samples.push(sampleMemory((chunks * CHUNK_MS) / MINUTE_MS)),
    });
    const stopped = await recording.stop();
    return { label, samples, speed: fed.speed, recordedMs: stopped.durationMs, captions, states };
  } finally {
    stopListening();
    await library.dispose();
  }
}

/** The slopes of one run after the warm-up, in MB per recorded hour. */
interface MemorySlopes {
  rss: number;
  heap: number;
}

/** Prints the figures of one run, one row per measure; returns their slopes. */
function printRun(run: MemoryRun): MemorySlopes {
  const settled = run.samples.filter((sample) => sample.minute >= WARM_UP_MINUTES);
  const start = settled[0]!;
  const middle = settled[Math.floor(settled.length / 2)]!;
  const end = settled.at(-1)!;
  const perHour = (pick: (sample: MemorySample) => number): number =>
    slope(settled.map((sample) => ({ x: sample.minute / 60, y: pick(sample) }))) || 0;
  const slopes: MemorySlopes = {
    rss: perHour((sample) => sample.rssMb),
    heap: perHour((sample) => sample.heapMb),
  };
  console.log(
    `  ${run.label}: ${(run.recordedMs / 3_600_000).toFixed(2)} h recorded at ${run.speed.toFixed(0)}x real time` +
      (run.states.length > 0
        ? `; ${run.captions} caption replies, caption states ${run.states.join(' → ')}`
        : ''),
  );
  for (const [name, pick, perHourMb] of [
    ['RSS ', (sample: MemorySample) => sample.rssMb, slopes.rss],
    ['heap', (sample: MemorySample) => sample.heapMb, slopes.heap],
  ] as const) {
    console.log(
      `    ${name}  min ${start.minute}: ${pick(start).toFixed(1)} MB, min ${middle.minute}: ${pick(middle).toFixed(1)} MB, ` +
        `min ${end.minute}: ${pick(end).toFixed(1)} MB; slope ${perHourMb.toFixed(2)} MB/h after ${WARM_UP_MINUTES} min`,
    );
  }
  return slopes;
}

/** The verdict line: the heap (after GC) slopes with captions off and on side by side, and whether both are flat. */
function printVerdict(off: MemorySlopes, on: MemorySlopes): void {
  const flat = Math.abs(off.heap) < FLAT_MB_PER_HOUR && Math.abs(on.heap) < FLAT_MB_PER_HOUR;
  const mb = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
  console.log(
    `  verdict: heap after GC ${mb(off.heap)} MB/h captions off, ${mb(on.heap)} MB/h captions on ` +
      `(RSS ${mb(off.rss)} and ${mb(on.rss)} MB/h): ` +
      (flat ? `flat (both under ±${FLAT_MB_PER_HOUR} MB/h)` : `NOT flat (limit ±${FLAT_MB_PER_HOUR} MB/h)`),
  );
}

/** Runs the benchmark and prints its figures. */
export async function runRecordingMemoryBench(
  options: { hours?: number; speed?: number; captionSpeed?: number } = {},
): Promise<void> {
  const hours = options.hours ?? 2;
  if (!(hours * 60 >= 2 * WARM_UP_MINUTES))
    throw new Error(
      `--hours must be at least ${(2 * WARM_UP_MINUTES) / 60}: the first ${WARM_UP_MINUTES} min are warm-up`,
    );
  const speed = options.speed ?? 100;
  const captionSpeed = options.captionSpeed ?? 5;
  const chunk = await speechChunks();
  console.log(
    `\nRecording memory: ${hours} h of a two-channel call, 16 kHz s16le in ${CHUNK_MS} ms chunks, asked at ${speed}x real time; ` +
      'RSS and heap after a full GC every recorded minute',
  );
  const off = printRun(await recordAndSample('journal only (captions off)', chunk, hours, speed, null));
  const sim = await startSimProcess(['--protocol', '2pass'], { logLines: SIM_LOG_LINES });
  try {
    const label = `journal + live captions (2pass stand-in), at ${captionSpeed}x: the speed the stand-in keeps up with`;
    printVerdict(off, printRun(await recordAndSample(label, chunk, hours, captionSpeed, sim.url)));
  } finally {
    await sim.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { hours: { type: 'string' }, speed: { type: 'string' }, 'caption-speed': { type: 'string' } },
  });
  const number = (value: string | undefined): number | undefined =>
    value === undefined ? undefined : Number(value);
  await runRecordingMemoryBench({
    hours: number(values.hours),
    speed: number(values.speed),
    captionSpeed: number(values['caption-speed']),
  });
}
