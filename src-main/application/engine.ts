// The managed FunASR engine and the engine pool: status, start (once for all callers), stop, logs, the container
// FunScribe would create, and a health check of every engine.
import type Dockerode from 'dockerode';
import type { ApiHandlers, EngineHealthReport } from '../../src-shared/contract.js';
import type { EngineStatus } from '../../src-shared/engine-types.js';
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

/** The engine operations; status changes are sent as `engine:status`, a contract start's progress as `engine:progress`. */
export function engineOperations(parts: ApplicationParts, emit: EmitEvent): EngineOperations {
  const { engine } = parts;
  engine.onStatus((status) => emit('engine:status', status));
  let starting: Promise<EngineStatus> | null = null;
  return {
    engineStatus: () => engine.status(),
    /** Starts the engine once for every caller in the meantime, so its progress is emitted once. */
    startEngine: () => {
      starting ??= engine
        .ensureRunning({ onProgress: (progress) => emit('engine:progress', progress) })
        .then(() => engine.status())
        .finally(() => (starting = null));
      return starting;
    },
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
    runEngine: (options) => engine.ensureRunning(options),
    followEngineLogs: (onLine, signal, tail) => engine.followLogs(onLine, signal, tail),
    plannedEngineContainer: (options) => engine.plannedContainer(options),
  };
}
