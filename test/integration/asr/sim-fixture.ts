// Starts stand-in FunASR servers for a test file, keeps their logs quiet and fails the test if one "crashed".
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startSimServer } from '../../funasr-sim/server.js';
import type { SimOptions, SimServer } from '../../funasr-sim/server.js';

/** Per-file fixture: a temp dir and a starter for sims that are closed after each test. */
export interface SimFixture {
  dir: () => string;
  start: (options?: Partial<SimOptions>) => Promise<SimServer>;
}

/** Registers the hooks; a sim that would have crashed (wrong JSON types) fails the test. */
export function useSimFixture(): SimFixture {
  let dir = '';
  const running: SimServer[] = [];
  const fatal: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'funscribe-asr-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((sim) => sim.close()));
    expect(fatal.splice(0)).toEqual([]);
  });
  return {
    dir: () => dir,
    start: async (options = {}) => {
      const sim = await startSimServer({
        protocol: 'offline',
        port: 0,
        log: () => undefined,
        onFatal: (reason) => fatal.push(reason),
        ...options,
      });
      running.push(sim);
      return sim;
    },
  };
}
