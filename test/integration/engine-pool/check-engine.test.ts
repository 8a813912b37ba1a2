// checkEngine against real stand-in servers: healthy offline and 2pass ones (their kind and token times learnt), a
// closed port, a server that never answers.
import { afterEach, describe, expect, it } from 'vitest';
import { checkEngine } from '../../../src-main/engine/pool/remote-engine.js';
import { startSimServer, type SimOptions, type SimServer } from '../../funasr-sim/server.js';

const running: SimServer[] = [];

/** Starts an offline stand-in on a free port, closed after the test. */
async function startSim(options: Partial<SimOptions> = {}): Promise<SimServer> {
  const sim = await startSimServer({ protocol: 'offline', port: 0, log: () => undefined, ...options });
  running.push(sim);
  return sim;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

describe('checkEngine', () => {
  it('reports a working server as healthy with its round-trip latency, after one real test transcription', async () => {
    const sim = await startSim();
    const health = await checkEngine(sim.url);
    expect(health).toMatchObject({
      url: sim.url,
      ok: true,
      server: { kind: 'offline', timestamps: true },
      error: null,
    });
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health.checkedAt).toBeGreaterThan(0);
    expect(sim.sessions).toHaveLength(1);
    expect(sim.sessions[0]!.audioBytes).toBe(32_000);
    expect(sim.sessions[0]!.replies).toHaveLength(1);
  });

  it('learns that a 2pass server answers, and whether its model gives token times', async () => {
    const sim = await startSim({ protocol: '2pass' });
    expect(await checkEngine(sim.url)).toMatchObject({
      ok: true,
      server: { kind: '2pass', timestamps: true },
    });
    expect(sim.sessions[0]?.config).toMatchObject({ chunk_size: [5, 10, 5], mode: 'offline' });
    const plain = await startSim({
      protocol: '2pass',
      modelDir: 'damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-onnx',
    });
    expect(await checkEngine(plain.url)).toMatchObject({
      ok: true,
      server: { kind: '2pass', timestamps: false },
    });
  });

  it('reports a closed port as ASR_CONNECT_FAILED', async () => {
    const sim = await startSim();
    await sim.close();
    const health = await checkEngine(sim.url);
    expect(health).toMatchObject({ url: sim.url, ok: false, latencyMs: null, server: null });
    expect(health.error?.code).toBe('ASR_CONNECT_FAILED');
    expect(health.error?.message).toContain(sim.url);
  });

  it('reports a server that never replies as ASR_TIMEOUT after the given limit', async () => {
    const sim = await startSim({ faults: ['no-reply'] });
    const health = await checkEngine(sim.url, { timeoutMs: 300 });
    expect(health.ok).toBe(false);
    expect(health.error?.code).toBe('ASR_TIMEOUT');
  });

  it('refuses an address that is not ws:// or wss://', async () => {
    await expect(checkEngine('http://127.0.0.1:10095')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('throws CANCELLED when aborted instead of reporting the engine as broken', async () => {
    const sim = await startSim({ faults: ['no-reply'] });
    const controller = new AbortController();
    const check = checkEngine(sim.url, { signal: controller.signal, timeoutMs: 30_000 });
    setTimeout(() => controller.abort(), 50);
    await expect(check).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
