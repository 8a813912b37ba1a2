// The managed FunASR engine and the engine pool: status, start (once for all callers), stop, logs, the container
// FunScribe would create, and a health check of every engine; the live-caption engine's status, start, stop and plan.
import type Dockerode from 'dockerode';
import type { ApiHandlers, EngineHealthReport } from '../../src-shared/contract.js';
import type { EngineProgress } from '../../src-shared/engine-types.js';
import { captionEngineStatus, startCaptionEngine, stopCaptionEngine } from '../engine/caption-engine.js';
import type { EnsureRunningOptions } from '../engine/engine-manager.js';
import type { ApplicationParts } from './application-parts.js';
import type { EmitEvent } from './events.js';

/** The engine operations: the contract's, and the command line's start with options, log following and plan. */
export interface EngineOperations extends Pick<
  ApiHandlers,
  | 'engineStatus'
  | 'startEngine'
  | 'stopEngine'
  | 'engineLogs'
  | 'checkEngines'
  | 'engineDownloadPlan'
  | 'setEngineGpu'
  | 'captionEngineStatus'
  | 'startCaptionEngine'
  | 'stopCaptionEngine'
  | 'captionEngineDownloadPlan'
> {
  /** Starts the engine with these overrides unless it is ready (progress and cancel through the options). */
  runEngine(options: EnsureRunningOptions): Promise<{ endpoint: string }>;
  /** Prints the engine's log as it grows, from the last `tail` lines, until `signal` fires. */
  followEngineLogs(onLine: (line: string) => void, signal: AbortSignal, tail: number): Promise<void>;
  /** The Docker create body of the container a start would create (Docker is not contacted). */
  plannedEngineContainer(
    options: Pick<EnsureRunningOptions, 'kind' | 'gpu'>,
  ): Dockerode.ContainerCreateOptions;
}

/**
 * A contract start: every call while it runs joins it, so its progress goes to `onProgress` once; resolves with what
 * `start` resolves with (the status once ready).
 */
function sharedStart<S>(
  start: (options: EnsureRunningOptions) => Promise<S>,
  onProgress: (progress: EngineProgress) => void,
): () => Promise<S> {
  let starting: Promise<S> | null = null;
  return () => {
    starting ??= start({ onProgress }).finally(() => (starting = null));
    return starting;
  };
}

/**
 * The engine operations; status changes are sent as `engine:status`, a contract start's progress as `engine:progress`,
 * and the caption engine's as `caption-engine:status` and `caption-engine:progress`.
 */
export function engineOperations(parts: ApplicationParts, emit: EmitEvent): EngineOperations {
  const { engine, captionEngine } = parts;
  engine.onStatus((status) => emit('engine:status', status));
  captionEngine.onStatus((status) => emit('caption-engine:status', status));
  return {
    engineStatus: () => engine.status(),
    startEngine: sharedStart(
      (options) => engine.ensureRunning(options).then(() => engine.status()),
      (progress) => emit('engine:progress', progress),
    ),
    stopEngine: async () => {
      await engine.stop();
      return engine.status();
    },
    engineLogs: (tail) => engine.logs(tail),
    checkEngines: async () =>
      (await parts.pool.checkAll()).map(
        ({ engineId, url, ok, latencyMs, server, error, checkedAt }): EngineHealthReport => ({
          engineId,
          url,
          ok,
          latencyMs,
          server,
          error,
          checkedAt,
        }),
      ),
    engineDownloadPlan: () => engine.downloadPlan(),
    setEngineGpu: async (gpu) => {
      engine.useGpu(gpu);
      return engine.status();
    },
    captionEngineStatus: () => captionEngineStatus(parts),
    startCaptionEngine: sharedStart(
      (options) => startCaptionEngine(parts, options),
      (progress) => emit('caption-engine:progress', progress),
    ),
    stopCaptionEngine: () => stopCaptionEngine(parts),
    captionEngineDownloadPlan: () => captionEngine.downloadPlan(),
    runEngine: (options) => engine.ensureRunning(options),
    followEngineLogs: (onLine, signal, tail) => engine.followLogs(onLine, signal, tail),
    plannedEngineContainer: (options) => engine.plannedContainer(options),
  };
}
