// The engine pool's public types and its small pure helpers: engine list checks, failure classes, the error text.
import type { ErrorInfo } from '../../../src-shared/types.js';
import { validateServerUrl } from '../../settings/app-settings.js';
import { FunscribeError, toErrorInfo } from '../../util/errors.js';

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

/** Default wait for an engine to come back while none is healthy. */
export const DEFAULT_UNAVAILABLE_TIMEOUT_MS = 180_000;
/** Default re-check back-off of an engine that is out. */
export const DEFAULT_RECHECK = { firstMs: 1_000, maxMs: 15_000 };

/** Failures of the connection itself: the engine is gone for now, and the same file may work elsewhere or later. */
const CONNECTION_CODES = new Set(['ASR_CONNECT_FAILED', 'ASR_CONNECTION_LOST', 'ASR_TIMEOUT']);
/** Failures that take an engine out of the pool: the connection ones plus a refused certificate. */
const ENGINE_CODES = new Set([...CONNECTION_CODES, 'ASR_TLS_FAILED']);

/** Whether an error is a connection-level failure (lost, refused, timed out) worth trying again. */
export function isConnectionFailure(error: unknown): boolean {
  return CONNECTION_CODES.has(toErrorInfo(error).code);
}

/** Whether an error says the engine (not the file) is at fault. */
export function isEngineFailure(error: unknown): boolean {
  return ENGINE_CODES.has(toErrorInfo(error).code);
}

/** Whether an engine that is out with this error may come back by itself (so waiting makes sense). */
export function mayRecover(error: ErrorInfo | null): boolean {
  return error === null || CONNECTION_CODES.has(error.code);
}

/** Checks an engine list: unique non-empty ids, valid fixed addresses, concurrency 1–16. */
export function validateEngines(engines: readonly PoolEngine[]): PoolEngine[] {
  const ids = new Set<string>();
  for (const engine of engines) {
    if (typeof engine.id !== 'string' || engine.id === '' || ids.has(engine.id)) {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        `Every engine needs its own name (got ${JSON.stringify(engine.id)}).`,
      );
    }
    ids.add(engine.id);
    if (typeof engine.url === 'string') validateServerUrl(engine.url);
    if (!Number.isInteger(engine.concurrency) || engine.concurrency < 1 || engine.concurrency > 16) {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        `The number of files engine ${engine.id} works on at once must be from 1 to 16.`,
      );
    }
  }
  return [...engines];
}

/** The error for "no engine can take work", naming each engine's last failure. */
export function unavailableError(engines: readonly PoolEngineStatus[]): FunscribeError {
  if (engines.length === 0) {
    return new FunscribeError(
      'ENGINE_UNAVAILABLE',
      'No FunASR engine is reachable: none is set up. Start the managed engine or add a server address.',
    );
  }
  const reasons = engines.map((engine) => {
    const where = engine.url ? `${engine.id} (${engine.url})` : engine.id;
    return `${where}: ${engine.error?.message ?? 'not checked yet'}`;
  });
  return new FunscribeError('ENGINE_UNAVAILABLE', `No FunASR engine is reachable: ${reasons.join('; ')}`);
}

/** Settles with `promise`, or rejects with CANCELLED as soon as `signal` aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new FunscribeError('CANCELLED', 'Cancelled.'));
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

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
