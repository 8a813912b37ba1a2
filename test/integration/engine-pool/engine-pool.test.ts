// EnginePool against real stand-in servers: spreading, limits, engines that go away and come back, waiting, lazy URLs.
import { describe, expect, it } from 'vitest';
import { EnginePool } from '../../../src-main/engine/pool/engine-pool.js';
import { managedPoolEngine } from '../../../src-main/engine/pool/managed-pool-engine.js';
import type { EngineLease, PoolEngine, PoolEngineStatus } from '../../../src-main/engine/pool/pool-types.js';
import { FunscribeError } from '../../../src-main/util/errors.js';
import type { SimServer } from '../../funasr-sim/server.js';
import { isPending, transcribeOn, useLease, usePoolFixture } from './pool-fixture.js';

const fixture = usePoolFixture();

/** A remote engine entry for a sim. */
const remote = (id: string, sim: SimServer, concurrency = 1): PoolEngine => ({
  id,
  url: sim.url,
  concurrency,
  allowSelfSignedTls: false,
});

/** Resolves with the first health change of engine `id` to `healthy`. */
function healthChange(pool: EnginePool, id: string, healthy: boolean): Promise<PoolEngineStatus> {
  return new Promise((resolve) => {
    const off = pool.onHealthChange((status) => {
      if (status.id !== id || status.healthy !== healthy) return;
      off();
      resolve(status);
    });
  });
}

/** Closes a sim so its port refuses connections, and returns that port. */
async function stopped(sim: SimServer): Promise<number> {
  await sim.close();
  return sim.port;
}

describe('EnginePool: spreading work', () => {
  it('spreads files over two engines and never gives an engine more than its limit', async () => {
    const [a, b] = [await fixture.startSim(), await fixture.startSim()];
    const pool = fixture.track(new EnginePool({ engines: [remote('a', a, 2), remote('b', b, 2)] }));
    const active = { a: 0, b: 0 };
    const peak = { a: 0, b: 0 };
    const one = async (): Promise<void> => {
      const lease = await pool.acquire();
      const id = lease.engineId as 'a' | 'b';
      active[id] += 1;
      peak[id] = Math.max(peak[id], active[id]);
      await transcribeOn(lease, fixture.pcmPath());
      active[id] -= 1;
      lease.release();
    };
    await Promise.all(Array.from({ length: 8 }, one));
    expect(peak).toEqual({ a: 2, b: 2 });
    expect(a.sessions.length + b.sessions.length).toBe(8);
    expect(a.sessions.length).toBeGreaterThanOrEqual(2);
    expect(b.sessions.length).toBeGreaterThanOrEqual(2);
  });

  it('gives each new file to the least-loaded engine and makes callers wait while all slots are taken', async () => {
    const [a, b] = [await fixture.startSim(), await fixture.startSim()];
    const pool = fixture.track(new EnginePool({ engines: [remote('a', a, 2), remote('b', b, 2)] }));
    const held: EngineLease[] = [];
    for (let i = 0; i < 4; i++) held.push(await pool.acquire());
    expect(held.map((lease) => lease.engineId)).toEqual(['a', 'b', 'a', 'b']);
    const fifth = pool.acquire();
    expect(await isPending(fifth)).toBe(true);
    held[1]!.release();
    held[1]!.release();
    expect((await fifth).engineId).toBe('b');
    expect(pool.statuses().map(({ id, active }) => ({ id, active }))).toEqual([
      { id: 'a', active: 2 },
      { id: 'b', active: 2 },
    ]);
  });

  it('serves waiting callers first come, first served', async () => {
    const a = await fixture.startSim();
    const pool = fixture.track(new EnginePool({ engines: [remote('a', a)] }));
    const first = await pool.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) =>
      pool.acquire().then((lease) => {
        order.push(n);
        lease.release();
      }),
    );
    expect(await isPending(waiting[0]!)).toBe(true);
    first.release();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });
});

describe('EnginePool: engines that fail', () => {
  it('takes out an engine that went away and gives its work to the other one', async () => {
    const [a, b] = [await fixture.startSim(), await fixture.startSim()];
    const pool = fixture.track(
      new EnginePool({
        engines: [remote('a', a), remote('b', b)],
        recheck: { firstMs: 60_000, maxMs: 60_000 },
      }),
    );
    await stopped(a);
    const out = healthChange(pool, 'a', false);
    const lease = await pool.acquire();
    expect(lease.engineId).toBe('a');
    expect(await useLease(lease, fixture.pcmPath())).toMatchObject({ code: 'ASR_CONNECT_FAILED' });
    expect(await out).toMatchObject({ id: 'a', healthy: false, error: { code: 'ASR_CONNECT_FAILED' } });
    for (let i = 0; i < 3; i++) {
      const next = await pool.acquire();
      expect(next.engineId).toBe('b');
      expect(await useLease(next, fixture.pcmPath())).toBeNull();
    }
    expect(b.sessions).toHaveLength(3);
  });

  it('does not take an engine out for a failure that is not the connection', async () => {
    const a = await fixture.startSim();
    const pool = fixture.track(new EnginePool({ engines: [remote('a', a)] }));
    const lease = await pool.acquire();
    lease.reportFailure(new FunscribeError('ASR_BAD_REPLY', 'The server sent something odd.'));
    expect(pool.statuses()[0]).toMatchObject({ healthy: true, active: 0, error: null });
  });

  it('gives work again to an engine that comes back on the same port', async () => {
    const [a, b] = [await fixture.startSim(), await fixture.startSim()];
    const pool = fixture.track(
      new EnginePool({ engines: [remote('a', a), remote('b', b)], recheck: { firstMs: 30, maxMs: 200 } }),
    );
    const port = await stopped(a);
    expect(await useLease(await pool.acquire(), fixture.pcmPath())).toMatchObject({
      code: 'ASR_CONNECT_FAILED',
    });
    expect(pool.statuses()[0]!.healthy).toBe(false);
    const back = healthChange(pool, 'a', true);
    const revived = await fixture.startSim({ port });
    expect(await back).toMatchObject({ id: 'a', healthy: true, error: null });
    const leases = [await pool.acquire(), await pool.acquire()];
    expect(leases.map((lease) => lease.engineId).sort()).toEqual(['a', 'b']);
    const onA = leases.find((lease) => lease.engineId === 'a')!;
    expect(await useLease(onA, fixture.pcmPath())).toBeNull();
    expect(revived.sessions.length).toBeGreaterThanOrEqual(2);
    expect(revived.sessions.at(-1)!.replies).toHaveLength(1);
  });
});

describe('EnginePool: no engine reachable', () => {
  it('lets callers wait while every engine is out and hands them the first one that comes back', async () => {
    const a = await fixture.startSim();
    const pool = fixture.track(
      new EnginePool({ engines: [remote('a', a)], recheck: { firstMs: 30, maxMs: 100 } }),
    );
    const port = await stopped(a);
    await useLease(await pool.acquire(), fixture.pcmPath());
    const waiting = pool.acquire();
    expect(await isPending(waiting)).toBe(true);
    await fixture.startSim({ port });
    const lease = await waiting;
    expect(lease.engineId).toBe('a');
    expect(await useLease(lease, fixture.pcmPath())).toBeNull();
  });

  it('fails waiting callers with ENGINE_UNAVAILABLE naming every engine and its error after the timeout', async () => {
    const [a, b] = [await fixture.startSim(), await fixture.startSim()];
    const pool = fixture.track(
      new EnginePool({
        engines: [remote('a', a), remote('b', b)],
        unavailableTimeoutMs: 300,
        recheck: { firstMs: 60_000, maxMs: 60_000 },
      }),
    );
    await Promise.all([stopped(a), stopped(b)]);
    const [first, second] = [await pool.acquire(), await pool.acquire()];
    await Promise.all([useLease(first, fixture.pcmPath()), useLease(second, fixture.pcmPath())]);
    const failure = await pool.acquire().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    const { message } = failure as FunscribeError;
    expect(message).toMatch(/^No FunASR engine is reachable: /);
    expect(message).toContain(`a (${a.url}): Could not reach`);
    expect(message).toContain(`b (${b.url}): Could not reach`);
  });

  it('cancels a waiting caller with CANCELLED and gives the slot to the next one', async () => {
    const a = await fixture.startSim();
    const pool = fixture.track(new EnginePool({ engines: [remote('a', a)] }));
    const held = await pool.acquire();
    const controller = new AbortController();
    const cancelled = pool.acquire(controller.signal);
    const next = pool.acquire();
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    held.release();
    expect((await next).engineId).toBe('a');
    await expect(pool.acquire(controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('fails at once, without waiting, when no engine can come back by itself', async () => {
    const pool = fixture.track(
      new EnginePool({
        unavailableTimeoutMs: 600_000,
        engines: [
          {
            id: 'managed',
            url: () => Promise.reject(new FunscribeError('DOCKER_NOT_RUNNING', 'Docker is not running.')),
            concurrency: 2,
            allowSelfSignedTls: false,
          },
        ],
      }),
    );
    await expect(pool.acquire()).rejects.toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
      message: 'No FunASR engine is reachable: managed: Docker is not running.',
    });
    const empty = fixture.track(new EnginePool({ unavailableTimeoutMs: 600_000 }));
    await expect(empty.acquire()).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
  });
});

describe('EnginePool: lazy addresses, checks and the engine list', () => {
  it('resolves a lazy address only when work needs it, once for concurrent callers, and again after a failure', async () => {
    const sim = await fixture.startSim();
    let calls = 0;
    let current = sim;
    const pool = fixture.track(
      new EnginePool({
        recheck: { firstMs: 30, maxMs: 100 },
        engines: [
          {
            id: 'managed',
            url: async () => {
              calls += 1;
              await new Promise((resolve) => setTimeout(resolve, 20));
              return current.url;
            },
            concurrency: 3,
            allowSelfSignedTls: false,
          },
        ],
      }),
    );
    expect(calls).toBe(0);
    expect(pool.statuses()[0]!.url).toBeNull();
    const leases = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    expect(calls).toBe(1);
    expect(leases.map((lease) => lease.url)).toEqual([sim.url, sim.url, sim.url]);
    leases[1]!.release();
    leases[2]!.release();
    const port = await stopped(sim);
    expect(await useLease(leases[0]!, fixture.pcmPath())).toMatchObject({ code: 'ASR_CONNECT_FAILED' });
    const back = healthChange(pool, 'managed', true);
    current = await fixture.startSim({ port });
    await back;
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(await useLease(await pool.acquire(), fixture.pcmPath())).toBeNull();
  });

  it('checks every engine on demand, with latency for the healthy and the error for the others', async () => {
    const [a, b] = [await fixture.startSim(), await fixture.startSim()];
    const pool = fixture.track(
      new EnginePool({
        engines: [remote('a', a), remote('b', b)],
        recheck: { firstMs: 60_000, maxMs: 60_000 },
      }),
    );
    await stopped(b);
    const [healthA, healthB] = await pool.checkAll();
    expect(healthA).toMatchObject({ engineId: 'a', url: a.url, ok: true, error: null });
    expect(healthA!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(healthB).toMatchObject({
      engineId: 'b',
      ok: false,
      latencyMs: null,
      error: { code: 'ASR_CONNECT_FAILED' },
    });
    expect(pool.statuses().map(({ id, healthy }) => ({ id, healthy }))).toEqual([
      { id: 'a', healthy: true },
      { id: 'b', healthy: false },
    ]);
    expect((await pool.acquire()).engineId).toBe('a');
  });

  it('refuses a bad engine list and keeps running work when the list changes', async () => {
    const [a, b] = [await fixture.startSim(), await fixture.startSim()];
    const pool = fixture.track(new EnginePool({ engines: [remote('a', a)] }));
    expect(() => pool.setEngines([remote('a', a), remote('a', b)])).toThrow(/its own name/);
    expect(() => pool.setEngines([{ ...remote('a', a), url: 'http://x' }])).toThrow(FunscribeError);
    expect(() => pool.setEngines([{ ...remote('a', a), concurrency: 0 }])).toThrow(/from 1 to 16/);
    const held = await pool.acquire();
    pool.setEngines([remote('a', a), remote('b', b)]);
    expect(pool.statuses().map(({ id, active }) => ({ id, active }))).toEqual([
      { id: 'a', active: 1 },
      { id: 'b', active: 0 },
    ]);
    expect((await pool.acquire()).engineId).toBe('b');
    held.release();
    expect(pool.statuses()[0]!.active).toBe(0);
  });

  it('uses the managed engine that is ready as it is, and starts it only when it is not', async () => {
    let running: SimServer | null = null;
    let starts = 0;
    const manager = {
      status: async () => ({ state: running ? 'ready' : 'stopped', endpoint: running?.url ?? null }),
      ensureRunning: async () => {
        starts += 1;
        running = await fixture.startSim();
        return { endpoint: running.url };
      },
    };
    const pool = fixture.track(new EnginePool({ engines: [managedPoolEngine(manager, 2)] }));
    const first = await pool.acquire();
    expect(starts).toBe(1);
    expect(first).toMatchObject({ engineId: 'managed', url: running!.url });
    first.release();
    const ready = fixture.track(new EnginePool({ engines: [managedPoolEngine(manager, 2)] }));
    expect((await ready.acquire()).url).toBe(running!.url);
    expect(starts).toBe(1);
  });
});
