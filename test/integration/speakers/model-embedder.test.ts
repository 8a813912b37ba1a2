// The sherpa-onnx speaker-embedding backend in a real child process, with fabricated CAM++-shaped models
// (test/helpers/fabricated-onnx.ts). These prove the plumbing and the crash containment, never accuracy.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  EMBED_BATCH_SIZE,
  createModelEmbedder,
  type ModelEmbedder,
} from '../../../src-main/speakers/embedding/model-embedder.js';
import { nodeWorkerLauncher } from '../../../src-main/speakers/embedding/worker-process.js';
import { FunscribeError } from '../../../src-main/util/errors.js';
import { seededRandom } from '../../../src-main/util/seeded-random.js';
import { generateDiarizationSet } from '../../fixtures/conversations.js';
import {
  FABRICATED_EMBEDDING_DIM,
  writeFabricatedModels,
  type FabricatedModels,
} from '../../helpers/fabricated-onnx.js';
import { parseRttm } from '../../helpers/rttm.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { readMonoWav } from '../../helpers/wav.js';

const OUT_MAIN = join(import.meta.dirname, '../../../out/main/src-main/speakers/embedding');
const WORKER = join(OUT_MAIN, 'embedding-worker.js');
const GENERATED = join(import.meta.dirname, '../../fixtures/generated/diarization');
const WINDOW = 24_000; // 1.5 s at 16 kHz

const open = (modelPath: string): Promise<ModelEmbedder> =>
  createModelEmbedder({ modelPath, workerPath: WORKER, numThreads: 1 });

function tone(hz: number, length = WINDOW): Float32Array {
  return Float32Array.from({ length }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / 16_000));
}

function noise(seed: number, length = WINDOW): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length }, () => 0.3 * (random() * 2 - 1));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

/** True while `pid` is a live process (a zombie, exited but not reaped, counts as gone). Linux /proc. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function failure(promise: Promise<unknown>): Promise<FunscribeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FunscribeError);
  return error as FunscribeError;
}

async function expectWorking(modelPath: string): Promise<void> {
  const embedder = await open(modelPath);
  const [vector] = await embedder.embed([tone(440)]);
  expect(vector).toHaveLength(FABRICATED_EMBEDDING_DIM);
  await embedder.close();
}

describe('model embedder (sherpa-onnx in a child process)', () => {
  let temp: { path: string; remove: () => Promise<void> };
  let models: FabricatedModels;

  beforeAll(async () => {
    temp = await makeTempDir('embedder');
    models = await writeFabricatedModels(temp.path);
  });
  afterAll(() => temp.remove());

  it('loads the fabricated model and embeds deterministically, across calls and embedders', async () => {
    const first = await open(models.valid);
    const second = await open(models.valid);
    expect(first.dim).toBe(FABRICATED_EMBEDDING_DIM);
    expect(first.pid).not.toBe(second.pid);
    const windows = [tone(220), noise(1), noise(2)];
    const [a, b, c] = await Promise.all([first.embed(windows), first.embed(windows), second.embed(windows)]);
    await Promise.all([first.close(), second.close()]);
    for (const vector of a!) {
      expect(vector).toHaveLength(FABRICATED_EMBEDDING_DIM);
      expect(vector.every(Number.isFinite)).toBe(true);
      expect(vector.some((x) => x !== 0)).toBe(true);
    }
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const [toneVector, noise1, noise2] = a!;
    expect(cosine(toneVector!, noise1!)).toBeLessThan(cosine(noise1!, noise2!));
  });

  it('works over a message port as in an Electron utility process (the packaged app cannot fork Node)', async () => {
    // Electron gives a utility process `process.parentPort` and no IPC channel; this shim gives the worker a port
    // of that shape over Node's channel, so the worker must use the port for requests and replies.
    const shim = join(temp.path, 'parent-port-shim.mjs');
    await writeFile(
      shim,
      `const send = process.send.bind(process);
       process.send = () => { throw new Error('the worker used the Node channel'); };
       process.parentPort = {
         postMessage: (message) => send(message),
         on: (event, listener) => process.on(event, (data) => listener({ data })),
       };`,
    );
    const launch = nodeWorkerLauncher(['--import', shim]);
    const embedder = await createModelEmbedder({
      modelPath: models.valid,
      workerPath: WORKER,
      numThreads: 1,
      launch,
    });
    const [vector] = await embedder.embed([tone(440)]);
    expect(vector).toHaveLength(FABRICATED_EMBEDDING_DIM);
    await embedder.close();
    const broken = createModelEmbedder({
      modelPath: models.noFramework,
      workerPath: WORKER,
      numThreads: 1,
      launch,
    });
    expect((await failure(broken)).code).toBe('SPEAKER_MODEL_FAILED');
  });

  it('gives different vectors for two speakers of a generated conversation', async () => {
    const [file] = await generateDiarizationSet(GENERATED);
    const samples = await readMonoWav(file!.wavPath);
    const turns = parseRttm(await readFile(file!.rttmPath, 'utf8'));
    const firstOf = (speaker: string): Float32Array => {
      const turn = turns.find((t) => t.speaker === speaker)!;
      const start = Math.round(turn.startMs * 16);
      return samples.subarray(start, start + WINDOW);
    };
    const speakers = [...new Set(turns.map((t) => t.speaker))];
    const embedder = await open(models.valid);
    const [one, two] = await embedder.embed([firstOf(speakers[0]!), firstOf(speakers[1]!)]);
    await embedder.close();
    expect(one!.every(Number.isFinite) && two!.every(Number.isFinite)).toBe(true);
    expect(one).not.toEqual(two);
  }, 300_000);

  it('returns a 200-window job in order, batch after batch, from views into one long buffer', async () => {
    const meeting = new Float32Array(200 * 8_000 + WINDOW);
    const random = seededRandom(42);
    for (let i = 0; i < meeting.length; i++)
      meeting[i] = 0.2 * Math.sin(i * (0.01 + i / 4e7)) + 0.1 * (random() * 2 - 1);
    const windows = Array.from({ length: 200 }, (_, k) => meeting.subarray(k * 8_000, k * 8_000 + WINDOW));
    const embedder = await open(models.valid);
    const progress: number[] = [];
    const vectors = await embedder.embed(windows, { onProgress: (done) => progress.push(done) });
    const singles = await Promise.all(
      [0, EMBED_BATCH_SIZE - 1, EMBED_BATCH_SIZE, 199].map(async (k) => ({
        k,
        vector: (await embedder.embed([windows[k]!.slice()]))[0],
      })),
    );
    await embedder.close();
    expect(vectors).toHaveLength(200);
    expect(progress).toEqual([64, 128, 192, 200]);
    for (const { k, vector } of singles) expect(vectors[k]).toEqual(vector);
    expect(vectors[0]).not.toEqual(vectors[199]);
  });

  it('refuses windows too short to embed and stays usable', async () => {
    const embedder = await open(models.valid);
    const error = await failure(embedder.embed([tone(440), new Float32Array(10)]));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(await embedder.embed([tone(440)])).toHaveLength(1);
    const aborted = await failure(embedder.embed([tone(440)], { signal: AbortSignal.abort() }));
    expect(aborted.code).toBe('CANCELLED');
    await embedder.close();
  });

  it('reports a missing model file clearly', async () => {
    const path = join(temp.path, 'not-downloaded.onnx');
    const error = await failure(open(path));
    expect(error.code).toBe('SPEAKER_MODEL_MISSING');
    expect(error.message).toContain(path);
    expect(String((error.cause as Error).message)).toContain('Please check your config');
  });

  it.each([
    ['random bytes', 'randomBytes', 'SIGABRT', 'Protobuf parsing failed'],
    ['an ONNX file without speaker metadata', 'noFramework', 'SIGSEGV', 'metadata'],
  ] as const)('contains the crash when loading %s', async (_name, which, signal, stderr) => {
    const error = await failure(open(models[which]));
    expect(error.code).toBe('SPEAKER_MODEL_FAILED');
    expect(error.message).toContain(`its process stopped: ${signal}`);
    expect(error.message).toMatch(/re-download it or use the built-in voice statistics/);
    expect((error.cause as Error).message).toContain(stderr);
    await expectWorking(models.valid);
  });

  it('contains a crash while embedding: pending and later calls reject, a new embedder works', async () => {
    const embedder = await open(models.failsAtRun);
    const pid = embedder.pid!;
    const error = await failure(embedder.embed([tone(300), tone(600)]));
    expect(error.code).toBe('SPEAKER_MODEL_FAILED');
    expect(error.message).toContain('its process stopped: SIGABRT');
    expect((error.cause as Error).message).toContain('Reshape');
    expect((await failure(embedder.embed([tone(300)]))).code).toBe('SPEAKER_MODEL_FAILED');
    expect(embedder.pid).toBeUndefined();
    expect(isRunning(pid)).toBe(false);
    await embedder.close();
    await expectWorking(models.valid);
  });

  it('close() ends the child and cancels a call in flight', async () => {
    const embedder = await open(models.valid);
    const pid = embedder.pid!;
    expect(isRunning(pid)).toBe(true);
    const inFlight = failure(
      embedder.embed(Array.from({ length: 3 * EMBED_BATCH_SIZE }, (_, k) => noise(k))),
    );
    await embedder.close();
    expect((await inFlight).code).toBe('CANCELLED');
    expect(isRunning(pid)).toBe(false);
    expect(embedder.pid).toBeUndefined();
    expect((await failure(embedder.embed([tone(440)]))).code).toBe('INTERNAL');
  });

  it('the child exits when its parent process dies', async () => {
    const script = `
      const { createModelEmbedder } = await import(${JSON.stringify(join(OUT_MAIN, 'model-embedder.js'))});
      const embedder = await createModelEmbedder({ modelPath: ${JSON.stringify(models.valid)}, numThreads: 1 });
      console.log(embedder.pid);
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const childPid = await new Promise<number>((resolve) =>
      parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))),
    );
    expect(isRunning(childPid)).toBe(true);
    const parentGone = new Promise((resolve) => parent.once('exit', resolve));
    parent.kill('SIGKILL');
    await parentGone;
    await vi.waitFor(() => expect(isRunning(childPid)).toBe(false), { timeout: 20_000, interval: 50 });
  });
});
