// The live-caption engine: a second managed container running the 2pass image next to the main (file) engine, with a
// container name, labels, models volume and model record of its own (an instance of its own), on its own loopback port
// (10096, the port FunASR's docs publish the online image on, or the next free one), started and stopped on its own.
// And the one question the recording asks of the managed engines: which 2pass server is ready for captions, if any.
// A main engine of the 2pass kind serves both: its server takes files in mode "offline" (the VAD's segments go to the
// offline Paraformer only, and come back as 2pass-offline sentences with timestamps; websocket-server-2pass.cpp,
// FunTpassInferBuffer and Audio::Split in the runtime) as well as live audio, so no caption container starts beside it.
import { setTimeout as delay } from 'node:timers/promises';
import { CATALOG } from './catalog.js';
import { DEFAULT_INSTANCE } from './container-spec.js';
import {
  EngineManager,
  type EngineManagerOptions,
  type EnsureRunningOptions,
  type ReadyServer,
} from './engine-manager.js';
import type { CaptionEngineStatus, EngineKind } from '../../src-shared/engine-types.js';

/** The kind the caption engine runs: the online (2pass) CPU image. */
export const CAPTION_ENGINE_KIND: EngineKind = 'online-cpu';

/** The instance of the caption engine that goes with the main engine's `instance`. */
export function captionEngineInstance(instance: string = DEFAULT_INSTANCE): string {
  return instance === DEFAULT_INSTANCE ? 'captions' : `${instance}-captions`;
}

/** The caption engine next to the main engine built from the same options (its own instance, the 2pass kind). */
export function createCaptionEngine(options: EngineManagerOptions): EngineManager {
  return new EngineManager({
    ...options,
    instance: captionEngineInstance(options.instance),
    pinnedKind: CAPTION_ENGINE_KIND,
    role: 'captions',
  });
}

/** A ready managed 2pass server for live captions: its ws:// address and which engine runs it. */
export interface ManagedCaptionServer {
  url: string;
  /** `captions`: the caption engine; `main`: the main engine, whose settings chose a 2pass kind. */
  engine: 'captions' | 'main';
  kind: EngineKind;
}

/** What the lookup asks of each engine (EngineManager fits). */
export interface ReadyServerSource {
  readyServer(): Promise<ReadyServer | null>;
  /** The kind of a start in flight, else null. */
  startingKind(): EngineKind | null;
}

/** How long the caption engine waits for a main engine of the 2pass kind that is starting, in ms (a pull included). */
export const MAIN_ENGINE_WAIT_MS = 10 * 60_000;

/** How often the caption engine looks whether that main engine is ready, in ms. */
const MAIN_ENGINE_POLL_MS = 500;

/** Whether the engine is starting a 2pass kind: once ready, it serves the captions. */
export function startingTwoPass(engine: ReadyServerSource): boolean {
  const kind = engine.startingKind();
  return kind !== null && CATALOG[kind].protocol === '2pass';
}

/**
 * Is a managed 2pass engine running, and at which URL? The caption engine when it is ready, else the main engine when
 * it is ready and runs a 2pass kind; null when neither (or Docker cannot be used). Asks Docker each time, so a call
 * after the engine dropped and came back finds it again.
 */
export async function managedCaptionServer(engines: {
  engine: ReadyServerSource;
  captionEngine: ReadyServerSource;
}): Promise<ManagedCaptionServer | null> {
  const candidates = [
    { engine: 'captions', source: engines.captionEngine },
    { engine: 'main', source: engines.engine },
  ] as const;
  for (const { engine, source } of candidates) {
    const ready = await readyTwoPass(source);
    if (ready) return { url: ready.endpoint, engine, kind: ready.kind };
  }
  return null;
}

/** The engine's server when it is ready and speaks 2pass, else null. */
async function readyTwoPass(source: ReadyServerSource): Promise<ReadyServer | null> {
  const ready = await source.readyServer();
  return ready && CATALOG[ready.kind].protocol === '2pass' ? ready : null;
}

/** The two managed engines as the caption engine's operations use them (EngineManager fits). */
export interface CaptionEngines {
  engine: ReadyServerSource;
  captionEngine: Pick<EngineManager, 'status' | 'ensureRunning' | 'stop'>;
}

/** The main engine's endpoint when it runs a 2pass kind and is ready (it serves the captions), else null. */
async function servedByMain(engine: ReadyServerSource): Promise<string | null> {
  return (await readyTwoPass(engine))?.endpoint ?? null;
}

/** The caption engine's status, and whether the main engine serves the captions instead. */
export async function captionEngineStatus(engines: CaptionEngines): Promise<CaptionEngineStatus> {
  const [status, main] = await Promise.all([engines.captionEngine.status(), servedByMain(engines.engine)]);
  return { ...status, servedByMain: main };
}

/**
 * The main engine's endpoint once it serves the captions: at once when it is ready, after its start when it is starting
 * a 2pass kind (up to `waitMs`, or until `signal`); null when it does not (an offline kind, its start failed, too slow).
 */
async function mainServesCaptions(
  engine: ReadyServerSource,
  waitMs: number,
  signal: AbortSignal | undefined,
): Promise<string | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const endpoint = await servedByMain(engine);
    if (endpoint !== null || !startingTwoPass(engine) || Date.now() >= deadline || signal?.aborted)
      return endpoint;
    await delay(MAIN_ENGINE_POLL_MS, undefined, { signal }).catch(() => undefined);
  }
}

/**
 * Starts the caption engine unless the main engine serves the captions (it runs a 2pass kind and is ready, or will be:
 * a start of it in flight is waited for, up to `waitMs`): then nothing starts, and the status says so. Resolves once
 * the caption engine (or that main engine) is ready.
 */
export async function startCaptionEngine(
  engines: CaptionEngines,
  options: EnsureRunningOptions = {},
  waitMs: number = MAIN_ENGINE_WAIT_MS,
): Promise<CaptionEngineStatus> {
  if ((await mainServesCaptions(engines.engine, waitMs, options.signal)) === null) {
    await engines.captionEngine.ensureRunning(options);
  }
  return captionEngineStatus(engines);
}

/** Stops the caption engine (the main engine keeps running); its status afterwards. */
export async function stopCaptionEngine(engines: CaptionEngines): Promise<CaptionEngineStatus> {
  await engines.captionEngine.stop();
  return captionEngineStatus(engines);
}
