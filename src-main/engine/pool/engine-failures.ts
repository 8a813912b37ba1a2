// Which failures are the engine's rather than the file's, which may pass by themselves, and the error for "no engine".
import type { ErrorInfo } from '../../../src-shared/types.js';
import { FunscribeError, toErrorInfo } from '../../util/errors.js';
import type { PoolEngineStatus } from './pool-types.js';

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

/** The error for "no engine can take work", naming each engine's last failure. */
export function unavailableError(engines: readonly PoolEngineStatus[]): FunscribeError {
  if (engines.length === 0) {
    return new FunscribeError(
      'ENGINE_UNAVAILABLE',
      'No FunASR engine is reachable: none is set up. Start the managed engine or add a server address.',
      { params: { reason: 'none' } },
    );
  }
  const reasons = engines.map((engine) => {
    const where = engine.url ? `${engine.id} (${engine.url})` : engine.id;
    return `${where}: ${engine.error?.message ?? 'not checked yet'}`;
  });
  return new FunscribeError('ENGINE_UNAVAILABLE', `No FunASR engine is reachable: ${reasons.join('; ')}`, {
    params: { reason: 'unreachable' },
  });
}
