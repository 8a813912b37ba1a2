// The engine methods of the API handlers over the real services: a Docker daemon that cannot be reached (a socket path
// that does not exist) and remote engines that are real stand-in servers on loopback, one of them closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEventMap, ApiEventName, ApiHandlers } from '../../../src-shared/contract.js';
import { createAppService } from '../../../src-main/application/app-service.js';
import { createServices, type Services } from '../../../src-main/services.js';
import { startSimServer, type SimServer } from '../../funasr-sim/server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** The rejection of a promise (fails the test when it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as { code: string; message: string },
  );
}

describe('engine API handlers', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let services: Services;
  let handlers: ApiHandlers;
  let sim: SimServer;
  let closedUrl: string;
  const events: { event: ApiEventName; payload: ApiEventMap[ApiEventName] }[] = [];

  beforeAll(async () => {
    temp = await makeTempDir('engine-handlers');
    services = await createServices({
      dataDir: temp.path,
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' },
    });
    handlers = createAppService(services, (event, payload) => events.push({ event, payload }));
    sim = await startSimServer({ protocol: 'offline', port: 0, log: () => undefined });
    const closed = await startSimServer({ protocol: 'offline', port: 0, log: () => undefined });
    closedUrl = closed.url;
    await closed.close();
  });

  afterAll(async () => {
    await services?.close();
    await sim?.close();
    await temp?.remove();
  });

  it('reports that Docker is not running, in words a user can act on', async () => {
    const status = await handlers.engineStatus();
    expect(status.state).toBe('no-docker');
    expect(status.docker.problem?.code).toBe('DOCKER_NOT_RUNNING');
    expect(status.docker.problem?.message).toContain('/nonexistent.sock');
  });

  it('fails a start with the Docker error code, shared by concurrent callers, and tells the listeners', async () => {
    const [first, second] = await Promise.all([
      rejectionOf(handlers.startEngine()),
      rejectionOf(handlers.startEngine()),
    ]);
    expect(first.code).toBe('DOCKER_NOT_RUNNING');
    expect(second).toBe(first);
    const statuses = events.filter((entry) => entry.event === 'engine:status');
    expect(statuses).toHaveLength(1);
    expect(statuses[0]!.payload).toMatchObject({ state: 'failed', error: { code: 'DOCKER_NOT_RUNNING' } });
    expect((await rejectionOf(handlers.startEngine())).code).toBe('DOCKER_NOT_RUNNING');
  });

  it('checks every remote engine: latency for the live one, the error for the closed one', async () => {
    services.updateSettings({
      engineMode: 'remote',
      remoteEngines: [
        { url: sim.url, concurrency: 1 },
        { url: closedUrl, concurrency: 1 },
      ],
    });
    const [live, closed] = await handlers.checkEngines();
    expect(live).toMatchObject({ engineId: sim.url, url: sim.url, ok: true, error: null });
    expect(live!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(closed).toMatchObject({ engineId: closedUrl, ok: false, latencyMs: null });
    expect(closed!.error?.code).toBe('ASR_CONNECT_FAILED');
    expect(Object.keys(live!).sort()).toEqual([
      'checkedAt',
      'engineId',
      'error',
      'latencyMs',
      'ok',
      'server',
      'url',
    ]);
    expect(sim.sessions).toHaveLength(1);
  });
});
