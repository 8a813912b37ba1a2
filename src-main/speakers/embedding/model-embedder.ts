// Parent side of the speaker-embedding child process: starts embedding-worker.js, sends windows in batches and
// turns every way the child can fail (missing file, rejected model, native crash) into a FunscribeError.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { FunscribeError, throwIfAborted } from '../../util/errors.js';
import { forkNodeWorker, type WorkerLauncher, type WorkerProcess } from './worker-process.js';
import type { EmbedRequest, WorkerReply } from './worker-protocol.js';

/** Windows per message to the worker (64 × 1.5 s ≈ 6 MB), so an hour of audio never becomes one giant message. */
export const EMBED_BATCH_SIZE = 64;
/** Shortest window sherpa can embed: one 25 ms fbank frame at 16 kHz. */
export const MIN_WINDOW_SAMPLES = 400;
/** Where the compiled worker sits: next to this file in out/main. */
export const DEFAULT_WORKER_PATH = fileURLToPath(new URL('./embedding-worker.js', import.meta.url));

const STDERR_LINES_KEPT = 20;
const FALLBACK_HINT = 're-download it or use the built-in voice statistics.';

/** Options of `createModelEmbedder`. */
export interface ModelEmbedderOptions {
  /** Path of a 3D-Speaker/WeSpeaker ONNX embedding model with sherpa-onnx metadata (e.g. CAM++). */
  modelPath: string;
  /** onnxruntime threads in the child (default 2). */
  numThreads?: number;
  /** The compiled worker script (default `DEFAULT_WORKER_PATH`). */
  workerPath?: string;
  /** How the worker process is started (default a Node child process; the app uses an Electron utility process). */
  launch?: WorkerLauncher;
}

/** Cancellation and progress for one `embed` call. */
export interface EmbedOptions {
  signal?: AbortSignal;
  /** Called after each batch with windows done so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** A loaded speaker-embedding model running in its own process. */
export interface ModelEmbedder {
  /** Embedding size (192 for CAM++). */
  readonly dim: number;
  /** Process id of the child, while it runs. */
  readonly pid: number | undefined;
  /** One vector per 16 kHz mono [-1, 1] window, in input order. */
  embed(windows: Float32Array[], options?: EmbedOptions): Promise<Float32Array[]>;
  /** Stops the child; pending calls reject with CANCELLED. Resolves once the process has exited. */
  close(): Promise<void>;
}

interface Pending {
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
}

/** Starts the worker and loads the model; rejects with SPEAKER_MODEL_MISSING or SPEAKER_MODEL_FAILED (child gone). */
export async function createModelEmbedder(options: ModelEmbedderOptions): Promise<ModelEmbedder> {
  const { modelPath, numThreads = 2, workerPath = DEFAULT_WORKER_PATH, launch = forkNodeWorker } = options;
  if (!existsSync(workerPath))
    throw new FunscribeError('INTERNAL', `The speaker embedding helper is missing (${workerPath}).`);
  const child = launch(workerPath, [modelPath, String(numThreads)]);
  const session = new WorkerSession(child, modelPath);
  return session.start();
}

/** Copies a window that is a view into a larger buffer, since structured clone would copy the whole buffer. */
function compact(window: Float32Array): Float32Array {
  return window.byteLength === window.buffer.byteLength ? window : window.slice();
}

class WorkerSession implements ModelEmbedder {
  dim = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly stderrTail: string[] = [];
  private nextId = 0;
  private failure: FunscribeError | undefined;
  private closed = false;
  private readonly exited: Promise<void>;
  private starting: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(
    private readonly child: WorkerProcess,
    private readonly modelPath: string,
  ) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => this.keepStderr(chunk));
    child.onMessage((message) => this.onMessage(message));
    this.exited = new Promise((resolve) =>
      child.onStop((how) => {
        this.fail(this.crashError(how));
        resolve();
      }),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  start(): Promise<ModelEmbedder> {
    return new Promise((resolve, reject) => {
      this.starting = { resolve: () => resolve(this), reject };
    });
  }

  async embed(windows: Float32Array[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    if (this.closed) throw new FunscribeError('INTERNAL', 'The speaker model was already closed.');
    const short = windows.findIndex((w) => w.length < MIN_WINDOW_SAMPLES);
    if (short >= 0)
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        `Speaker window ${short} is too short to embed (${windows[short]?.length} samples).`,
      );
    const vectors: Float32Array[] = [];
    for (let start = 0; start < windows.length; start += EMBED_BATCH_SIZE) {
      throwIfAborted(options.signal);
      vectors.push(...(await this.request(windows.slice(start, start + EMBED_BATCH_SIZE).map(compact))));
      options.onProgress?.(vectors.length, windows.length);
    }
    return vectors;
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.fail(new FunscribeError('CANCELLED', 'Cancelled.'));
    }
    await this.exited;
  }

  private request(windows: Float32Array[]): Promise<Float32Array[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const message: EmbedRequest = { type: 'embed', id, windows };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send(message, (why) => this.fail(this.crashError(why)));
    });
  }

  private onMessage(message: WorkerReply): void {
    if (message.type === 'ready') {
      this.dim = message.dim;
      this.starting?.resolve();
      this.starting = undefined;
      return;
    }
    if (message.type === 'load-error') {
      this.fail(this.loadError(message.message));
      return;
    }
    const waiting = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (message.type === 'vectors') waiting?.resolve(message.vectors);
    else
      waiting?.reject(
        new FunscribeError('SPEAKER_MODEL_FAILED', `The speaker model failed: ${message.message}`),
      );
  }

  /** Rejects the start and every pending call with `error`; later calls reject with it too. */
  private fail(error: FunscribeError): void {
    this.failure ??= error;
    this.starting?.reject(this.failure);
    this.starting = undefined;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
    if (this.pid !== undefined) this.child.kill();
  }

  /** sherpa refuses a missing file with "Please check your config!"; anything else it rejects is a bad model. */
  private loadError(detail: string): FunscribeError {
    if (!statSync(this.modelPath, { throwIfNoEntry: false })?.isFile())
      return new FunscribeError(
        'SPEAKER_MODEL_MISSING',
        `The speaker model file was not found (${this.modelPath}). Download it again or use the built-in voice statistics.`,
        { cause: new Error(detail) },
      );
    return new FunscribeError(
      'SPEAKER_MODEL_FAILED',
      `The speaker model could not be loaded (${this.modelPath}). It may be damaged or not a speaker-embedding model; ${FALLBACK_HINT}`,
      { cause: new Error([detail, ...this.stderrTail].join('\n')) },
    );
  }

  private crashError(how: string): FunscribeError {
    return new FunscribeError(
      'SPEAKER_MODEL_FAILED',
      `The speaker model could not be used (its process stopped: ${how}). The model file may be damaged; ${FALLBACK_HINT}`,
      { cause: new Error([`speaker embedding worker stopped: ${how}`, ...this.stderrTail].join('\n')) },
    );
  }

  private keepStderr(chunk: string): void {
    const lines = stripVTControlCharacters(chunk).split('\n');
    this.stderrTail.push(...lines.filter((line) => line.trim() !== ''));
    this.stderrTail.splice(0, Math.max(0, this.stderrTail.length - STDERR_LINES_KEPT));
  }
}
