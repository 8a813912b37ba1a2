// One engine as the pool tracks it: load, health, the known address and the re-check state.
import type { ErrorInfo } from '../../../src-shared/types.js';
import type { PoolEngine, PoolEngineStatus } from './pool-types.js';

/** The pool's view of one engine. */
export interface Slot {
  spec: PoolEngine;
  active: number;
  healthy: boolean;
  error: ErrorInfo | null;
  latencyMs: number | null;
  checkedAt: number | null;
  /** The fixed or resolved address; null while a lazy one is unknown. */
  url: string | null;
  /** The address resolution in flight, shared by every caller. */
  resolving: Promise<string> | null;
  /** Consecutive failed checks, for the back-off. */
  failures: number;
  recheckTimer: NodeJS.Timeout | null;
  checking: boolean;
  /** Aborted when the engine leaves the pool. */
  removed: AbortController;
}

/** A new engine: assumed healthy until a failure says otherwise (no check before the first file). */
export function newSlot(spec: PoolEngine): Slot {
  return {
    spec,
    active: 0,
    healthy: true,
    error: null,
    latencyMs: null,
    checkedAt: null,
    url: typeof spec.url === 'string' ? spec.url : null,
    resolving: null,
    failures: 0,
    recheckTimer: null,
    checking: false,
    removed: new AbortController(),
  };
}

/** Stops an engine's re-checks and any address resolution once it leaves the pool. */
export function retire(slot: Slot): void {
  if (slot.recheckTimer) clearTimeout(slot.recheckTimer);
  slot.recheckTimer = null;
  slot.removed.abort();
}

/** The public view of a slot. */
export function statusOf(slot: Slot): PoolEngineStatus {
  return {
    id: slot.spec.id,
    url: slot.url,
    healthy: slot.healthy,
    active: slot.active,
    concurrency: slot.spec.concurrency,
    error: slot.error,
    latencyMs: slot.latencyMs,
    checkedAt: slot.checkedAt,
  };
}
