// The managed engine as one entry of the pool, started on first use unless it is ready.
import type { PoolEngine } from './pool-types.js';

/** The id of the managed engine in the pool. */
export const MANAGED_ENGINE_ID = 'managed';

/** What the pool needs of the engine manager (EngineManager fits). */
export interface ManagedEngineSource {
  status(): Promise<{ state: string; endpoint: string | null }>;
  ensureRunning(options: { signal?: AbortSignal }): Promise<{ endpoint: string }>;
}

/**
 * The managed engine as a pool entry: when a file first needs it, the engine that is ready (whatever image it was
 * started with, e.g. `engine start --image`) is used, else it is started from the engine settings.
 */
export function managedPoolEngine(manager: ManagedEngineSource, concurrency: number): PoolEngine {
  return {
    id: MANAGED_ENGINE_ID,
    url: async (signal) => {
      const status = await manager.status();
      if (status.state === 'ready' && status.endpoint) return status.endpoint;
      return (await manager.ensureRunning({ signal })).endpoint;
    },
    concurrency,
    allowSelfSignedTls: false,
  };
}
