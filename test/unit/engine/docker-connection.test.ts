import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDocker, dockerTarget } from '../../../src-main/engine/docker-connection.js';
import {
  apiVersionProblem,
  diagnoseDocker,
  dockerConnectionProblem,
  memoryWarning,
} from '../../../src-main/engine/docker-diagnosis.js';
import { closedPort } from '../../helpers/closed-port.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  temp = await makeTempDir('docker-conn');
});
afterAll(() => temp.remove());

/** A unix socket file nobody listens on: a child listens on it, then is killed so the file stays behind. */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await once(child.stdout, 'data');
  child.kill('SIGKILL');
  await once(child, 'exit');
}

describe('dockerTarget', () => {
  it('honours DOCKER_HOST for unix, npipe and tcp', () => {
    expect(dockerTarget({ DOCKER_HOST: 'unix:///tmp/d.sock' }, 'linux').options).toEqual({
      socketPath: '/tmp/d.sock',
    });
    expect(dockerTarget({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' }, 'win32').options).toEqual({
      socketPath: '//./pipe/docker_engine',
    });
    expect(dockerTarget({ DOCKER_HOST: 'tcp://10.1.2.3:2375' }, 'linux').options).toEqual({
      host: '10.1.2.3',
      port: '2375',
      protocol: 'http',
    });
    expect(dockerTarget({ DOCKER_HOST: 'tcp://box:2376' }, 'linux').options).toMatchObject({
      protocol: 'https',
    });
  });

  it('uses the platform default, and Docker Desktop’s per-user socket when the default is missing', () => {
    expect(dockerTarget({}, 'win32').where).toBe('//./pipe/docker_engine');
    expect(dockerTarget({ HOME: '/home/u' }, 'linux', () => true).where).toBe('/var/run/docker.sock');
    const desktop = '/Users/u/.docker/run/docker.sock';
    expect(dockerTarget({ HOME: '/Users/u' }, 'darwin', (path) => path === desktop).where).toBe(desktop);
    expect(dockerTarget({ HOME: '/Users/u' }, 'darwin', () => false).where).toBe('/var/run/docker.sock');
  });

  it('reads ssh:// as docker-modem does (ssh to the host, not plain http on port 2375)', () => {
    const target = dockerTarget({ DOCKER_HOST: 'ssh://me@box:2222' }, 'linux');
    expect(target.options).toEqual({ host: 'box', port: '2222', protocol: 'ssh', username: 'me' });
    expect(target.where).toBe('ssh://me@box:2222');
  });

  it("gives a tcp:// address without a port Docker's default port, 2376 with TLS", () => {
    expect(dockerTarget({ DOCKER_HOST: 'tcp://box' }, 'linux').where).toBe('box:2375');
    expect(dockerTarget({ DOCKER_HOST: 'tcp://box', DOCKER_TLS_VERIFY: '1' }, 'linux').options).toEqual({
      host: 'box',
      port: '2376',
      protocol: 'https',
    });
  });

  it('refuses an address docker-modem cannot read as DOCKER_ERROR, naming it', () => {
    expect(() => dockerTarget({ DOCKER_HOST: 'tcp://[box' }, 'linux')).toThrow(
      expect.objectContaining({
        code: 'DOCKER_ERROR',
        message: expect.stringContaining('DOCKER_HOST=tcp://[box'),
      }),
    );
  });
});

describe('connectDocker', () => {
  it("follows the given environment only, and leaves this process's own as it was", () => {
    const own = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'tcp://10.9.9.9:2375';
    try {
      const docker = connectDocker({ HOME: '/home/u' }, 'linux');
      expect(docker.modem).toMatchObject({ socketPath: '/var/run/docker.sock', host: undefined });
      expect(connectDocker({ DOCKER_HOST: 'ssh://me@box' }, 'linux').modem).toMatchObject({
        host: 'box',
        protocol: 'ssh',
        username: 'me',
      });
      expect(process.env.DOCKER_HOST).toBe('tcp://10.9.9.9:2375');
    } finally {
      if (own === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = own;
    }
  });
});

describe('dockerConnectionProblem', () => {
  // Node's connect errors on a unix socket carry { errno, code, syscall: 'connect', address }; these are their shapes.
  const nodeError = (code: string) =>
    Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code, syscall: 'connect' });

  it('maps EACCES to the docker group advice', () => {
    const problem = dockerConnectionProblem(nodeError('EACCES'), '/var/run/docker.sock', true);
    expect(problem.code).toBe('DOCKER_PERMISSION_DENIED');
    expect(problem.message).toContain('sudo usermod -aG docker $USER');
  });

  it('tells "not installed" from "not running" when the socket is missing', () => {
    expect(dockerConnectionProblem(nodeError('ENOENT'), '/x.sock', false)).toMatchObject({
      code: 'DOCKER_NOT_INSTALLED',
      message: expect.stringContaining('Docker does not seem to be installed or running'),
    });
    expect(dockerConnectionProblem(nodeError('ENOENT'), '/x.sock', true).code).toBe('DOCKER_NOT_RUNNING');
    expect(dockerConnectionProblem(nodeError('ECONNREFUSED'), '/x.sock', true).code).toBe(
      'DOCKER_NOT_RUNNING',
    );
    expect(dockerConnectionProblem(new Error('boom'), '/x.sock', true).code).toBe('DOCKER_ERROR');
  });

  it('flags old APIs and small memory', () => {
    expect(apiVersionProblem('1.39', '18.09.1')?.code).toBe('DOCKER_API_TOO_OLD');
    expect(apiVersionProblem('1.41', '20.10.24')).toBeNull();
    expect(apiVersionProblem('2.0', '99')).toBeNull();
    expect(memoryWarning(2 * 1024 ** 3)).toContain('Docker Desktop');
    expect(memoryWarning(16 * 1024 ** 3)).toBeNull();
  });
});

describe('diagnoseDocker against real sockets', () => {
  it('reports a socket path that does not exist', async () => {
    const path = join(temp.path, 'missing.sock');
    const status = await diagnoseDocker(connectDocker({ DOCKER_HOST: `unix://${path}` }), () => true);
    expect(status.available).toBe(false);
    expect(status.problem?.code).toBe('DOCKER_NOT_RUNNING');
    expect(status.problem?.message).toContain(path);
    const notInstalled = await diagnoseDocker(connectDocker({ DOCKER_HOST: `unix://${path}` }), () => false);
    expect(notInstalled.problem?.code).toBe('DOCKER_NOT_INSTALLED');
  });

  it('reports a socket file nobody listens on as a daemon that is not running', async () => {
    const path = join(temp.path, 'stale.sock');
    await staleSocket(path);
    expect(existsSync(path)).toBe(true);
    const status = await diagnoseDocker(connectDocker({ DOCKER_HOST: `unix://${path}` }));
    expect(status.problem?.code).toBe('DOCKER_NOT_RUNNING');
    expect(status.problem?.message).toContain('ECONNREFUSED');
  });

  it('reaches an ssh:// daemon through ssh, and names the address when nothing answers there', async () => {
    const port = await closedPort();
    const status = await diagnoseDocker(connectDocker({ DOCKER_HOST: `ssh://me@127.0.0.1:${port}` }));
    expect(status.problem?.code).toBe('DOCKER_NOT_RUNNING');
    expect(status.problem?.message).toContain(
      `Docker does not answer at ssh://me@127.0.0.1:${port} (ECONNREFUSED)`,
    );
  });
});
