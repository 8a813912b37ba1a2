// Engine benchmark, two figures side by side:
// (a) `engine start` → ready with the models already present: EngineManager.ensureRunning() on the stopped container
//     of the stand-in image from the local registry (the first start, which downloads the models, is not measured).
// (b) what the manager adds to one transcription: the same decoded 10-minute PCM sent (i) straight to the server with
//     transcribeOffline and (ii) through the job queue + engine pool + runner, timed from the job entering its
//     transcribe stage to it entering the speakers stage (decode excluded; the pool's engine wait is included).
// Run: npx tsx bench/engine.ts
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobInfo, TranscribeSettings } from '../src-main/api/types.js';
import { transcribeOffline } from '../src-main/asr/offline-session.js';
import { decodeToPcm } from '../src-main/audio/decode.js';
import { locateFfmpeg } from '../src-main/audio/ffmpeg-locate.js';
import { connectDocker } from '../src-main/engine/docker-connection.js';
import { DockerEngine } from '../src-main/engine/docker-engine.js';
import { EngineManager } from '../src-main/engine/engine-manager.js';
import { EngineSettingsStore } from '../src-main/engine/engine-settings.js';
import { EnginePool } from '../src-main/jobs/engine-pool.js';
import { openDatabase } from '../src-main/store/database.js';
import { SettingsRepository } from '../src-main/store/settings-repo.js';
import { generateConversation, MEETING_SCRIPT, repeatConversation } from '../test/fixtures/speech.js';
import { ensureSimImage } from '../test/helpers/docker-image.js';
import { startSimProcess } from '../test/helpers/sim-process.js';
import { startPipeline, type Pipeline } from '../test/integration/engine-pool/pipeline.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GENERATED = join(ROOT, 'test/fixtures/generated/speech');
/** Measured engine starts. */
const STARTS = 5;
/** Measured transcriptions per path. */
const RUNS = 10;
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

/** (a) Start → ready times of the managed engine with its models present, or the reason it could not run. */
async function measureEngineStart(): Promise<Summary | string> {
  const docker = connectDocker();
  const engine = new DockerEngine(docker);
  const problem = (await engine.diagnose()).problem;
  if (problem) return `skipped: ${problem.message}`;
  const { registryRef: image } = await ensureSimImage();
  const dataDir = await mkdtemp(join(tmpdir(), 'funscribe-bench-engine-'));
  const db = openDatabase(join(dataDir, 'library.sqlite'));
  const manager = new EngineManager({
    engine,
    settings: new EngineSettingsStore(new SettingsRepository(db)),
    dataDir,
    hotwords: () => [],
    instance: `bench-${randomBytes(3).toString('hex')}`,
    env: {},
  });
  try {
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
  } finally {
    await manager.remove({ keepModels: false });
    db.close();
    await rm(dataDir, { recursive: true, force: true });
  }
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

/** (b) The same 10-minute PCM straight to the server and through queue + pool + runner, alternating. */
async function measureOverhead(): Promise<{ direct: Summary; managed: Summary; audioMs: number }> {
  await mkdir(GENERATED, { recursive: true });
  const base = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  const meeting = await repeatConversation(base, join(GENERATED, 'meeting-10min.wav'), TEN_MINUTES_MS);
  const work = await mkdtemp(join(tmpdir(), 'funscribe-bench-overhead-'));
  const sim = await startSimProcess();
  const pool = new EnginePool({
    engines: [{ id: 'bench', url: sim.url, concurrency: 1, allowSelfSignedTls: false }],
  });
  const pipeline = await startPipeline(work, pool);
  try {
    const { pcmPath } = await decodeToPcm(await locateFfmpeg(), meeting.wavPath, join(work, 'direct'));
    const request = { url: sim.url, pcmPath, wavName: 'meeting-10min.wav', hotwords: [], itn: true };
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
    await sim.stop();
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
  const start = await measureEngineStart().catch((error: unknown) => `failed: ${String(error)}`);
  const { direct, managed, audioMs } = await measureOverhead();
  const extra = (key: 'mean' | 'p50'): string =>
    `${(((managed[key] - direct[key]) / direct[key]) * 100).toFixed(1)}% (${(managed[key] - direct[key]).toFixed(1)} ms)`;
  const verdict = managed.mean - direct.mean < direct.mean * 0.05 ? 'met' : 'NOT met';
  const left = [
    '(a) engine start → ready, models present',
    ...(typeof start === 'string'
      ? [start]
      : [`p50 ${ms(start.p50)}`, `min ${ms(start.min)}`, `max ${ms(start.max)}`, `(N=${STARTS} starts)`]),
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
