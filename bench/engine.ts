// Engine benchmark, two figures side by side:
// (a) `engine start` → ready with the models already present: EngineManager.ensureRunning() on the stopped container
//     of the stand-in image from the local registry (the first start, which downloads the models, is not measured).
// (b) what the manager adds to one transcription: the same decoded 10-minute PCM sent to the running managed container
//     (i) straight to its endpoint with transcribeOffline and (ii) through the job queue + engine pool (managed entry)
//     + runner, timed from the job entering its transcribe stage to it entering the speakers stage (decode excluded;
//     the pool's engine lookup is included). The stand-in answers in ~0.1 s where a real engine takes tens of seconds
//     for 10 minutes of audio, so the relative figure is a worst case; the absolute one is what the manager adds.
// Run: npx tsx bench/engine.ts
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobInfo, TranscribeSettings } from '../src-shared/types.js';
import { transcribeOffline } from '../src-main/asr/offline-session.js';
import { decodeToPcm } from '../src-main/audio/decode.js';
import { locateFfmpeg } from '../src-main/audio/ffmpeg-locate.js';
import { connectDocker } from '../src-main/engine/docker-connection.js';
import { DockerEngine } from '../src-main/engine/docker-engine.js';
import { EngineManager } from '../src-main/engine/engine-manager.js';
import { EngineSettingsStore } from '../src-main/engine/engine-settings.js';
import { EnginePool } from '../src-main/engine/pool/engine-pool.js';
import { managedPoolEngine } from '../src-main/engine/pool/managed-pool-engine.js';
import { openDatabase } from '../src-main/store/database.js';
import { SettingsRepository } from '../src-main/store/settings-repo.js';
import { generateConversation, MEETING_SCRIPT, repeatConversation } from '../test/fixtures/speech.js';
import { ensureSimImage } from '../test/helpers/docker-image.js';
import { startPipeline, type Pipeline } from '../test/integration/engine-pool/pipeline.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GENERATED = join(ROOT, 'test/fixtures/generated/speech');
/** Measured engine starts. */
const STARTS = 5;
/** Measured transcriptions per path. */
const RUNS = 20;
const TEN_MINUTES_MS = 600_000;
const POOLED: TranscribeSettings = { serverUrl: null, hotwords: [], itn: true, allowSelfSignedTls: false };

/** Mean, median, min and max of some durations in ms. */
interface Summary {
  mean: number;
  p50: number;
  min: number;
  max: number;
}

/** Summarises durations. */
function summarise(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const p50 = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return { mean, p50, min: sorted[0]!, max: sorted.at(-1)! };
}

/** A managed engine of the stand-in image in its own instance, for the benchmark only. */
interface BenchEngine {
  manager: EngineManager;
  image: string;
  dispose(): Promise<void>;
}

/** Creates the benchmark's engine manager, or says why Docker cannot be used. */
async function benchEngine(): Promise<BenchEngine | string> {
  const engine = new DockerEngine(connectDocker());
  const problem = (await engine.diagnose()).problem;
  if (problem) return `skipped: ${problem.message}`;
  const { registryRef: image } = await ensureSimImage();
  const dataDir = await mkdtemp(join(tmpdir(), 'funscribe-bench-engine-'));
  const db = openDatabase(join(dataDir, 'library.sqlite'));
  const manager = new EngineManager({
    engine,
    settings: new EngineSettingsStore(new SettingsRepository(db)),
    dataDir,
    instance: `bench-${randomBytes(3).toString('hex')}`,
    env: {},
  });
  return {
    manager,
    image,
    async dispose() {
      await manager.remove({ keepModels: false });
      db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** (a) Start → ready times of the managed engine with its models present (the first, downloading start is not timed). */
async function measureEngineStart({ manager, image }: BenchEngine): Promise<Summary> {
  await manager.ensureRunning({ image });
  await manager.stop();
  const times: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const started = performance.now();
    await manager.ensureRunning({ image });
    times.push(performance.now() - started);
    await manager.stop();
  }
  return summarise(times);
}

/** Runs one job through the pipeline and returns how long its transcribe stage took (ms). */
async function pipelineRun(pipeline: Pipeline, wavPath: string): Promise<number> {
  const marks = new Map<string, number>();
  let jobId = '';
  const off = pipeline.queue.onUpdate((job: JobInfo) => {
    if (job.id !== jobId || !job.stage || marks.has(job.stage)) return;
    marks.set(job.stage, performance.now());
  });
  jobId = pipeline.queue.enqueue(wavPath, POOLED).id;
  await pipeline.queue.whenIdle();
  off();
  const job = pipeline.jobs.get(jobId)!;
  if (job.status !== 'done') throw new Error(`The benchmark job failed: ${job.error?.message ?? job.status}`);
  return marks.get('speakers')! - marks.get('transcribe')!;
}

/**
 * (b) The same 10-minute PCM to the running managed engine: straight to its endpoint, and through queue + pool (the
 * managed engine entry) + runner, alternating.
 */
async function measureOverhead({
  manager,
  image,
}: BenchEngine): Promise<{ direct: Summary; managed: Summary; audioMs: number }> {
  await mkdir(GENERATED, { recursive: true });
  const base = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  const meeting = await repeatConversation(base, join(GENERATED, 'meeting-10min.wav'), TEN_MINUTES_MS);
  const work = await mkdtemp(join(tmpdir(), 'funscribe-bench-overhead-'));
  const { endpoint } = await manager.ensureRunning({ image });
  const pool = new EnginePool({ engines: [managedPoolEngine(manager, 1)] });
  const pipeline = await startPipeline(work, pool);
  try {
    const { pcmPath } = await decodeToPcm(await locateFfmpeg(), meeting.wavPath, join(work, 'direct'));
    const request = { url: endpoint, pcmPath, wavName: 'meeting-10min.wav', hotwords: [], itn: true };
    const direct = async (): Promise<number> => {
      const started = performance.now();
      await transcribeOffline({ ...request, allowSelfSignedTls: false });
      return performance.now() - started;
    };
    const managed = (): Promise<number> => pipelineRun(pipeline, meeting.wavPath);
    await direct();
    await managed();
    const times = { direct: [] as number[], managed: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 === 0 ? (['direct', 'managed'] as const) : (['managed', 'direct'] as const);
      for (const path of order) times[path].push(await (path === 'direct' ? direct() : managed()));
    }
    return {
      direct: summarise(times.direct),
      managed: summarise(times.managed),
      audioMs: meeting.durationMs,
    };
  } finally {
    pool.close();
    await pipeline.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** Seconds with two decimals, or whole ms below a second. */
function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`;
}

/** Prints two columns of lines next to each other. */
function printSideBySide(left: string[], right: string[]): void {
  const width = Math.max(...left.map((line) => line.length));
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    console.log(`  ${(left[i] ?? '').padEnd(width)}  │  ${right[i] ?? ''}`);
  }
}

/** Measures both figures and prints them side by side. */
export async function runEngineBench(): Promise<void> {
  console.log('\nEngine: managed FunASR engine start, and the manager overhead on one transcription');
  const engine = await benchEngine();
  if (typeof engine === 'string') {
    console.log(`  ${engine}`);
    return;
  }
  let figures: [Summary, Awaited<ReturnType<typeof measureOverhead>>];
  try {
    figures = [await measureEngineStart(engine), await measureOverhead(engine)];
  } finally {
    await engine.dispose();
  }
  const [start, { direct, managed, audioMs }] = figures;
  const extra = (key: 'mean' | 'p50'): string =>
    `${(((managed[key] - direct[key]) / direct[key]) * 100).toFixed(1)}% (${(managed[key] - direct[key]).toFixed(1)} ms)`;
  const verdict = managed.mean - direct.mean < direct.mean * 0.05 ? 'met' : 'NOT met';
  const left = [
    '(a) engine start → ready, models present',
    `p50 ${ms(start.p50)}`,
    `min ${ms(start.min)}`,
    `max ${ms(start.max)}`,
    `(N=${STARTS} starts)`,
  ];
  const right = [
    `(b) ${(audioMs / 60000).toFixed(1)}-min PCM, ${RUNS} runs of each, alternating`,
    `direct transcribeOffline:     mean ${ms(direct.mean)}  p50 ${ms(direct.p50)}`,
    `queue + pool + runner stage:  mean ${ms(managed.mean)}  p50 ${ms(managed.p50)}`,
    `overhead: mean ${extra('mean')}, p50 ${extra('p50')}`,
    `target < 5%: ${verdict}`,
  ];
  printSideBySide(left, right);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runEngineBench();
}
