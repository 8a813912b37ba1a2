// Shared pieces of the engine-pool tests: stand-in servers closed after each test, a short PCM file, pending checks.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { transcribeOffline, type OfflineTranscript } from '../../../src-main/asr/offline-session.js';
import type { EnginePool } from '../../../src-main/engine/pool/engine-pool.js';
import type { EngineLease } from '../../../src-main/engine/pool/pool-types.js';
import { startSimServer, type SimOptions, type SimServer } from '../../funasr-sim/server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** Per-file fixture: sims and pools are closed after each test; `pcmPath` is 1.5 s with one tone burst. */
export interface PoolFixture {
  pcmPath: () => string;
  startSim: (options?: Partial<SimOptions>) => Promise<SimServer>;
  track: (pool: EnginePool) => EnginePool;
}

/** Registers the hooks of the fixture. */
export function usePoolFixture(): PoolFixture {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  const sims: SimServer[] = [];
  const pools: EnginePool[] = [];
  beforeAll(async () => {
    dir = await makeTempDir('engine-pool');
    const samples = new Int16Array(24_000);
    for (let i = 4_000; i < 12_000; i++)
      samples[i] = Math.round(6000 * Math.sin((2 * Math.PI * 300 * i) / 16000));
    await writeFile(join(dir.path, 'burst.pcm'), Buffer.from(samples.buffer));
  });
  afterAll(async () => {
    await dir.remove();
  });
  afterEach(async () => {
    for (const pool of pools.splice(0)) pool.close();
    await Promise.all(sims.splice(0).map((sim) => sim.close()));
  });
  return {
    pcmPath: () => join(dir.path, 'burst.pcm'),
    startSim: async (options = {}) => {
      const sim = await startSimServer({ protocol: 'offline', port: 0, log: () => undefined, ...options });
      sims.push(sim);
      return sim;
    },
    track: (pool) => {
      pools.push(pool);
      return pool;
    },
  };
}

/** Transcribes `pcmPath` on the leased engine. */
export function transcribeOn(lease: EngineLease, pcmPath: string): Promise<OfflineTranscript> {
  return transcribeOffline({
    url: lease.url,
    pcmPath,
    wavName: 'burst',
    hotwords: [],
    itn: true,
    allowSelfSignedTls: lease.allowSelfSignedTls,
  });
}

/** Runs one transcription on the leased engine; a failure is reported to the pool and returned. */
export async function useLease(lease: EngineLease, pcmPath: string): Promise<unknown> {
  try {
    await transcribeOn(lease, pcmPath);
    lease.release();
    return null;
  } catch (error) {
    lease.reportFailure(error);
    return error;
  }
}

/** Whether a promise is still unsettled after the pending I/O and timers of this turn have run. */
export async function isPending(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  return !settled;
}
