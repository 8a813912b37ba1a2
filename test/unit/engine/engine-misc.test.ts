import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startError } from '../../../src-main/engine/engine-launch.js';
import { dueForRestart } from '../../../src-main/engine/engine-manager.js';
import { choosePort, isPortFree } from '../../../src-main/engine/host-port.js';
import { pullError } from '../../../src-main/engine/image-pull.js';
import { currentRunSince, nextRunSince, stateFromLog } from '../../../src-main/engine/readiness.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function occupy(port = 0): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('choosePort', () => {
  it('keeps the preferred port when free and skips a taken one', async () => {
    const taken = await occupy();
    expect(await isPortFree(taken)).toBe(false);
    const chosen = await choosePort(taken);
    expect(chosen).toBeGreaterThan(taken);
    expect(await isPortFree(chosen)).toBe(true);
    expect(await choosePort(chosen)).toBe(chosen);
  });
});

describe('error mapping', () => {
  it('maps pull failures to codes', () => {
    const ref = 'registry/x:1';
    const http = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });
    expect(
      pullError(http(404, '(HTTP code 404) unexpected - manifest for x not found: manifest unknown'), ref),
    ).toMatchObject({
      code: 'IMAGE_NOT_FOUND',
      message: expect.stringContaining('does not exist in the registry: check the tag'),
    });
    expect(pullError(new Error('manifest unknown: manifest unknown'), ref).code).toBe('IMAGE_NOT_FOUND');
    expect(pullError(http(401, 'unauthorized: authentication required'), ref).code).toBe('REGISTRY_AUTH');
    expect(pullError(new Error('denied: requested access to the resource is denied'), ref).code).toBe(
      'REGISTRY_AUTH',
    );
    expect(pullError(Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }), ref).code).toBe(
      'REGISTRY_UNREACHABLE',
    );
    expect(pullError(new Error('Get "https://r/v2/": dial tcp 1.2.3.4:443: i/o timeout'), ref).code).toBe(
      'REGISTRY_UNREACHABLE',
    );
    expect(pullError(new Error('write /var/lib/docker/tmp/x: no space left on device'), ref).code).toBe(
      'DISK_FULL',
    );
    expect(pullError({ name: 'AbortError' }, ref).code).toBe('CANCELLED');
  });

  it('maps start failures: GPU to the CPU offer, taken ports', () => {
    const daemon = (message: string) =>
      Object.assign(new Error(`(HTTP code 500) server error - ${message}`), {
        statusCode: 500,
        json: { message },
      });
    const gpu = startError(
      daemon('could not select device driver "nvidia" with capabilities: [[gpu]]'),
      10098,
    );
    expect(gpu.code).toBe('GPU_UNAVAILABLE');
    expect(gpu.message).toMatch(/cannot give Docker an NVIDIA GPU .* Use the CPU engine instead/);
    const port = startError(
      daemon(
        'driver failed programming external connectivity: Bind for 127.0.0.1:10095 failed: port is already allocated',
      ),
      10095,
    );
    expect(port).toMatchObject({ code: 'PORT_IN_USE', message: expect.stringContaining('10095') });
    expect(startError(daemon('something else'), 1).code).toBe('DOCKER_ERROR');
    // Docker's own words when the CPU limit exceeds what it has (a Docker Desktop VM may have fewer than the host).
    const cpus = startError(
      daemon('Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available'),
      10095,
    );
    expect(cpus).toMatchObject({ code: 'DOCKER_ERROR' });
    expect(cpus.message).toMatch(/^Docker has only 2 CPUs .* Set the engine setting cpus to 2 at most/);
  });

  it('knows when a periodic restart is due', () => {
    const hour = 3_600_000;
    expect(dueForRestart(0, 5 * hour, 0)).toBe(false);
    expect(dueForRestart(0, 5 * hour, 6)).toBe(false);
    expect(dueForRestart(0, 6 * hour, 6)).toBe(true);
  });
});

describe('where the log of a run begins', () => {
  const at = (iso: string): number => Date.parse(iso) / 1000;
  const NEVER = '0001-01-01T00:00:00Z';

  it('starts just after the last run ended, or at the beginning for a container that never ran', () => {
    expect(nextRunSince({ FinishedAt: '2026-01-01T10:00:05.200Z' })).toBe(at('2026-01-01T10:00:05.201Z'));
    expect(nextRunSince({ FinishedAt: NEVER })).toBe(0);
  });

  it('starts after the last logged line when Docker logged it after the exit it recorded', () => {
    const finished = { FinishedAt: '2026-01-01T10:00:05.200Z' };
    const lateLine = Date.parse('2026-01-01T10:00:05.230Z');
    expect(nextRunSince(finished, lateLine)).toBe(at('2026-01-01T10:00:05.231Z'));
    expect(nextRunSince(finished, Date.parse('2026-01-01T10:00:05.100Z'))).toBe(
      at('2026-01-01T10:00:05.201Z'),
    );
    expect(nextRunSince({ FinishedAt: NEVER }, null)).toBe(0);
  });

  it('is halfway between the run before and a running one, and a little before StartedAt once the run has ended', () => {
    const running = { StartedAt: '2026-01-01T10:00:05.500Z', FinishedAt: '2026-01-01T10:00:05.200Z' };
    expect(currentRunSince(running)).toBe(at('2026-01-01T10:00:05.350Z'));
    expect(currentRunSince({ StartedAt: '2026-01-01T10:00:05.500Z', FinishedAt: NEVER })).toBe(0);
    const ended = { StartedAt: '2026-01-01T10:00:05.500Z', FinishedAt: '2026-01-01T10:00:06.000Z' };
    expect(currentRunSince(ended)).toBe(at('2026-01-01T10:00:05.400Z'));
  });
});

describe("the state read from a run's log", () => {
  const EXPORT = 'model is not exist, begin to export /workspace/models/iic/asr/model_blade.torchscript';
  const DONE = 'Downloading [model.pt]: 100%|██████████| 840M/840M [00:35<00:00, 24.0MB/s]';

  it("stays converting when the download's closing line (stderr) is read after the export line (stdout)", () => {
    expect(stateFromLog(['Downloading [model.pt]:   0%|          | 0.00/840M', DONE, EXPORT])).toBe(
      'exporting-models',
    );
    expect(stateFromLog(['Downloading [model.pt]:   0%|          | 0.00/840M', EXPORT, DONE])).toBe(
      'exporting-models',
    );
  });

  it('goes back to downloading for a download that is still under way after an export', () => {
    expect(stateFromLog([EXPORT, 'Downloading [model.pt]:  45%|████      | 378M/840M'])).toBe(
      'downloading-models',
    );
  });
});
