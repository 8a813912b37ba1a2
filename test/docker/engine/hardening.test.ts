// The hardened engine container against a real Docker daemon and the stand-in image, which writes where the real
// images write: without the scratch tmpfs a read-only root stops the model download (ModelScope keeps its session
// under HOME), and the GPU server dies unless /tmp lets it execute the engines torch_blade writes there. The hardened
// containers themselves get ready (engine-manager.test.ts, gpu-launch.test.ts).
import type Dockerode from 'dockerode';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContainerSpec } from '../../../src-main/engine/container-spec.js';
import { connectDocker } from '../../../src-main/engine/docker-connection.js';
import { DockerEngine } from '../../../src-main/engine/docker-engine.js';
import type { EngineKind } from '../../../src-shared/engine-types.js';
import { launchContainer } from '../../../src-main/engine/engine-launch.js';
import { choosePort } from '../../../src-main/engine/host-port.js';
import { waitForReady } from '../../../src-main/engine/readiness.js';
import { removeInstances, requireSimImage } from './engine-test-kit.js';

const docker = connectDocker();
const engine = new DockerEngine(docker);
const run = randomBytes(3).toString('hex');
const instances = [`ro-${run}`, `noexec-${run}`, `cpus-${run}`];
const LIMITS = { memoryBytes: 2 * 1024 ** 3, cpus: 1 };
let image: string;

/** The manager's container spec for `kind` in `instance` with its host config changed by `change` (no GPU request). */
async function spec(
  kind: EngineKind,
  instance: string,
  env: Record<string, string>,
  change: (host: Dockerode.HostConfig) => Dockerode.HostConfig,
): Promise<Dockerode.ContainerCreateOptions> {
  const built = buildContainerSpec({
    kind,
    image,
    hostPort: await choosePort(22000),
    cores: 2,
    limits: LIMITS,
    instance,
    extraEnv: { FUNASR_SIM_DOWNLOAD_MS: '200', FUNASR_SIM_EXPORT_MS: '300', ...env },
  });
  const { DeviceRequests: _gpu, ...host } = built.HostConfig ?? {};
  return { ...built, HostConfig: change(host) };
}

/**
 * Starts a container and waits for its readiness: the error it failed with (or null) and its log, read until a line
 * `last` accepts is in it or 5 s have passed (Docker may still be copying a dead container's last lines).
 */
async function outcomeOf(create: Dockerode.ContainerCreateOptions, last: (line: string) => boolean) {
  const id = await engine.create(create);
  await engine.start(id);
  const outcome = await waitForReady(engine, id, { since: 0 }).then(
    () => null,
    (error: unknown) => error,
  );
  let logs = await engine.logs(id);
  for (const deadline = Date.now() + 5000; !logs.some(last) && Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    logs = await engine.logs(id);
  }
  await engine.remove(id);
  return { outcome, logs };
}

beforeAll(async () => {
  image = (await requireSimImage(docker)).localTag;
});

afterAll(() => removeInstances(engine, instances));

describe('the stand-in under the hardened container', () => {
  it('a read-only root without the scratch tmpfs fails the download by id, as ModelScope cannot keep its session in HOME', async () => {
    const { outcome, logs } = await outcomeOf(
      await spec('offline-cpu', instances[0]!, {}, ({ Tmpfs: _scratch, ...host }) => host),
      (line) => line.endsWith(' do not exists.'),
    );
    expect(outcome).toMatchObject({ code: 'ENGINE_FAILED' });
    expect(logs).toContain("OSError: [Errno 30] Read-only file system: '/tmp/.modelscope'");
    expect(logs.some((line) => line.endsWith(' do not exists.'))).toBe(true);
  });

  it('the GPU server dies when /tmp does not allow executing the engine torch_blade writes there', async () => {
    const { outcome, logs } = await outcomeOf(
      await spec('offline-gpu', instances[1]!, { FUNASR_SIM_BUILD: 'gpu' }, (host) => ({
        ...host,
        Tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=1g' },
      })),
      (line) => line === '  what():  Fail to open ral engine',
    );
    expect(outcome).toMatchObject({ code: 'ENGINE_FAILED' });
    expect(logs).toContain('  what():  Fail to open ral engine');
  });

  it('a CPU limit above what Docker has is refused with advice, and no container is left behind', async () => {
    const dockerCpus = cpus().length;
    const launch = launchContainer(
      engine,
      {
        kind: 'offline-cpu',
        image,
        cores: dockerCpus,
        limits: { ...LIMITS, cpus: dockerCpus + 1 },
        instance: instances[2]!,
      },
      await choosePort(22000),
    );
    await expect(launch).rejects.toMatchObject({
      code: 'DOCKER_ERROR',
      message: expect.stringContaining(`Set the engine setting cpus to ${dockerCpus} at most`),
    });
    expect(await engine.findManaged(instances[2]!)).toEqual([]);
  });
});
