// The engine pool's pure pieces: which failures are the connection's, the engine list checks, the error text.
import { describe, expect, it } from 'vitest';
import {
  isConnectionFailure,
  isEngineFailure,
  mayRecover,
  unavailableError,
} from '../../../src-main/engine/pool/engine-failures.js';
import { validateEngines } from '../../../src-main/engine/pool/engine-list.js';
import { untilAborted } from '../../../src-main/util/until-aborted.js';
import { FunscribeError, type ErrorCode } from '../../../src-main/util/errors.js';

const error = (code: ErrorCode): FunscribeError => new FunscribeError(code, code);

describe('failure classes', () => {
  it('treats lost, refused and timed-out connections as worth another try, and nothing else', () => {
    const codes: ErrorCode[] = ['ASR_CONNECT_FAILED', 'ASR_CONNECTION_LOST', 'ASR_TIMEOUT'];
    expect(codes.map((code) => isConnectionFailure(error(code)))).toEqual([true, true, true]);
    expect(isConnectionFailure(error('ASR_TLS_FAILED'))).toBe(false);
    expect(isConnectionFailure(error('ASR_BAD_REPLY'))).toBe(false);
    expect(isConnectionFailure(new Error('boom'))).toBe(false);
  });

  it('takes an engine out for a refused certificate too, but not for a bad reply', () => {
    expect(isEngineFailure(error('ASR_TLS_FAILED'))).toBe(true);
    expect(isEngineFailure(error('ASR_BAD_REPLY'))).toBe(false);
  });

  it('waits for engines that may come back by themselves only', () => {
    expect(mayRecover(null)).toBe(true);
    expect(mayRecover({ code: 'ASR_CONNECT_FAILED', message: '' })).toBe(true);
    expect(mayRecover({ code: 'ASR_TLS_FAILED', message: '' })).toBe(false);
    expect(mayRecover({ code: 'DOCKER_NOT_RUNNING', message: '' })).toBe(false);
  });
});

describe('validateEngines', () => {
  const ok = { id: 'a', url: 'ws://127.0.0.1:10095', concurrency: 2, allowSelfSignedTls: false };

  it('accepts fixed and lazy addresses', () => {
    const lazy = { ...ok, id: 'managed', url: async () => 'ws://127.0.0.1:10096' };
    expect(validateEngines([ok, lazy])).toEqual([ok, lazy]);
  });

  it('refuses empty or repeated names, bad addresses and limits outside 1–16', () => {
    for (const bad of [
      [{ ...ok, id: '' }],
      [ok, ok],
      [{ ...ok, url: 'http://127.0.0.1' }],
      [{ ...ok, concurrency: 0 }],
      [{ ...ok, concurrency: 17 }],
      [{ ...ok, concurrency: 1.5 }],
    ]) {
      expect(() => validateEngines(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});

describe('unavailableError', () => {
  it('names each engine with its address and last error', () => {
    const failure = unavailableError([
      {
        id: 'team',
        url: 'ws://gpu:10095',
        healthy: false,
        active: 0,
        concurrency: 4,
        latencyMs: null,
        checkedAt: 1,
        error: { code: 'ASR_CONNECT_FAILED', message: 'Could not reach it.' },
      },
      {
        id: 'managed',
        url: null,
        healthy: false,
        active: 0,
        concurrency: 2,
        latencyMs: null,
        checkedAt: 1,
        error: { code: 'DOCKER_NOT_RUNNING', message: 'Docker is not running.' },
      },
    ]);
    expect(failure.code).toBe('ENGINE_UNAVAILABLE');
    expect(failure.message).toBe(
      'No FunASR engine is reachable: team (ws://gpu:10095): Could not reach it.; managed: Docker is not running.',
    );
  });

  it('says so when no engine is set up', () => {
    expect(unavailableError([]).message).toMatch(/^No FunASR engine is reachable: none is set up\./);
  });
});

describe('untilAborted', () => {
  it('passes the result through, or rejects with CANCELLED when the signal aborts first', async () => {
    await expect(untilAborted(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
    const controller = new AbortController();
    const never = new Promise<number>(() => undefined);
    const waiting = untilAborted(never, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
