// Pieces of the engine status: a container's engine state read from Docker and its log, the endpoint, restart timing.
import type { DockerEngine, ManagedContainer } from './docker-engine.js';
import type { DockerStatus, EngineState } from '../../src-shared/engine-types.js';
import { currentRunSince, stateFromLog } from './readiness.js';

/** The Docker status before the daemon was asked. */
export const UNKNOWN_DOCKER: DockerStatus = {
  available: false,
  version: null,
  apiVersion: null,
  memoryBytes: null,
  problem: null,
  warnings: [],
};

/** The websocket address of an engine published on a loopback port. */
export function endpointOf(port: number): string {
  return `ws://127.0.0.1:${port}`;
}

/** Whether a server started at `startedAtMs` has run for `hours` by `nowMs` (0 hours = never). */
export function dueForRestart(startedAtMs: number, nowMs: number, hours: number): boolean {
  return hours > 0 && nowMs - startedAtMs >= hours * 3_600_000;
}

/** The engine state of a container from Docker's state and the log of its current run; `known` is the manager's. */
export async function containerEngineState(
  engine: DockerEngine,
  container: ManagedContainer,
  known: EngineState,
): Promise<EngineState> {
  if (container.state === 'restarting') return 'starting';
  if (container.state !== 'running') return known === 'failed' ? 'failed' : 'stopped';
  const info = await engine.inspect(container.id);
  const since = info ? currentRunSince(info.State) : 0;
  return stateFromLog(await engine.logs(container.id, { since }));
}
