// The engine pool's public types: the engines it is given, the leases it hands out, what it reports, its options.
import type { ErrorInfo } from '../../../src-shared/types.js';

/** One engine the pool may give work to. */
export interface PoolEngine {
  id: string;
  /** A fixed ws:// or wss:// address, or a function returning it (e.g. starting the managed engine), called lazily. */
  url: string | ((signal: AbortSignal) => Promise<string>);
  /** How many files this engine may work on at once (1–16). */
  concurrency: number;
  allowSelfSignedTls: boolean;
}

/** A slot on one engine, held while a file is transcribed there. */
export interface EngineLease {
  engineId: string;
  url: string;
  allowSelfSignedTls: boolean;
  /** Gives the slot back (only the first call counts). */
  release(): void;
  /** Gives the slot back after a failure; a connection-level failure takes the engine out until it answers again. */
  reportFailure(error: unknown): void;
}

/** What the pool knows about one engine (for the UI and the CLI). */
export interface PoolEngineStatus {
  id: string;
  /** The address, or null while a lazily resolved address is not known. */
  url: string | null;
  healthy: boolean;
  active: number;
  concurrency: number;
  /** The failure that took the engine out, while it is out. */
  error: ErrorInfo | null;
  latencyMs: number | null;
  checkedAt: number | null;
}

/** Options of the pool. */
export interface EnginePoolOptions {
  engines?: PoolEngine[];
  /** How long `acquire` waits while no engine is healthy before ENGINE_UNAVAILABLE (default 3 min). */
  unavailableTimeoutMs?: number;
  /** Back-off between re-checks of an engine that is out: the first delay, doubled up to `maxMs`. */
  recheck?: { firstMs: number; maxMs: number };
  /** Limit of one re-check's connect and reply (default 10 s). */
  checkTimeoutMs?: number;
}
