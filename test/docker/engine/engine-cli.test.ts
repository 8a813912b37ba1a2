// `funscribe engine start|status|logs|stop|command` through the real CLI against a real Docker daemon, the local test
// registry and the stand-in FunASR image.
import type Dockerode from 'dockerode';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, ENGINE_KINDS } from '../../../src-main/engine/catalog.js';
import { modelsVolumeName } from '../../../src-main/engine/container-spec.js';
import { connectDocker } from '../../../src-main/engine/docker-connection.js';
import { DockerEngine } from '../../../src-main/engine/docker-engine.js';
import {
  DEFAULT_ENGINE_SETTINGS,
  engineLimits,
  EngineSettingsStore,
} from '../../../src-main/engine/engine-settings.js';
import type { EngineStatus } from '../../../src-shared/engine-types.js';
import { choosePort } from '../../../src-main/engine/host-port.js';
import { waitForReady } from '../../../src-main/engine/readiness.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { SettingsRepository } from '../../../src-main/store/settings-repo.js';
import { runCli } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import {
  buildVariant,
  deleteFromRegistry,
  pushVariant,
  removeImage,
  requireSimImage,
} from './engine-test-kit.js';

const docker = connectDocker();
const engine = new DockerEngine(docker);
const run = randomBytes(3).toString('hex');
const instance = `cli-${run}`;
const TAG = `engine-cli-${run}`;
const env = { FUNSCRIBE_ENGINE_INSTANCE: instance };
const DEAD_DOCKER = { DOCKER_HOST: 'unix:///nonexistent.sock' };
let ref: string;
let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  const sim = await requireSimImage(docker);
  temp = await makeTempDir('engine-cli');
  // A layer of its own so that the start really pulls; quick model downloads baked in (the CLI passes no env).
  const local = `funscribe-test/funasr-sim:${TAG}`;
  await buildVariant(docker, sim.localTag, local, {
    payloadBytes: 1_000_000,
    env: { FUNASR_SIM_DOWNLOAD_MS: '300' },
  });
  ref = await pushVariant(docker, local, TAG);
});

afterAll(async () => {
  for (const container of await engine.findManaged(instance)) await engine.remove(container.id);
  await engine.removeVolume(modelsVolumeName(instance));
  if (ref) {
    await removeImage(docker, ref);
    await deleteFromRegistry(ref);
  }
  await temp?.remove();
});

describe('funscribe engine', () => {
  it('starts from a registry image, reports status as JSON, prints logs and stops', async () => {
    const start = await runCli(temp.path, ['engine', 'start', '--image', ref], env);
    expect(start.stderr).toContain(`Downloading ${ref}`);
    expect(start.stderr).toContain('Downloading model iic/speech_fsmn_vad_zh-cn-16k-common-onnx');
    expect(start.code).toBe(0);
    const endpoint = /ready at (ws:\/\/127\.0\.0\.1:\d+)/.exec(start.stdout)?.[1];
    expect(endpoint).toBeDefined();

    const status = await runCli(temp.path, ['engine', 'status', '--json'], env);
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout) as EngineStatus;
    expect(json).toMatchObject({ state: 'ready', endpoint, gpu: false, image: ref, error: null });
    expect(json.docker.available).toBe(true);
    expect(json.container?.name).toBe(`funscribe-engine-offline-cpu-${instance}`);
    const info = await docker.getContainer(json.container!.id).inspect();
    expect(info.NetworkSettings.Ports['10095/tcp']).toEqual([
      { HostIp: '127.0.0.1', HostPort: String(json.port) },
    ]);

    const logs = await runCli(temp.path, ['engine', 'logs', '--tail', '3'], env);
    expect(logs.code).toBe(0);
    expect(logs.stdout.trim().split('\n')).toHaveLength(3);
    expect(logs.stdout).toContain('asr model init finished. listen on port:10095');

    const stop = await runCli(temp.path, ['engine', 'stop'], env);
    expect(stop.code).toBe(0);
    const stopped = JSON.parse(
      (await runCli(temp.path, ['engine', 'status', '--json'], env)).stdout,
    ) as EngineStatus;
    expect(stopped).toMatchObject({ state: 'stopped', endpoint: null });
  });

  it('a second engine start runs with local model paths and asks ModelScope nothing', async () => {
    const start = await runCli(temp.path, ['engine', 'start', '--image', ref], env);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stderr).not.toContain('Downloading model');
    const json = JSON.parse(
      (await runCli(temp.path, ['engine', 'status', '--json'], env)).stdout,
    ) as EngineStatus;
    const info = await docker.getContainer(json.container!.id).inspect();
    for (const model of CATALOG['offline-cpu'].models) {
      expect(info.Args[info.Args.indexOf(model.flag) + 1]).toBe(`/workspace/models/${model.id}`);
    }
    const logs = (await runCli(temp.path, ['engine', 'logs', '--tail', '200'], env)).stdout.split('\n');
    const run = logs.slice(logs.findLastIndex((line) => line.includes('] model-dir : ')));
    expect(run.some((line) => /Download model|modelscope/.test(line))).toBe(false);
    expect(run.at(-2)).toContain('asr model init finished. listen on port:10095');
    expect((await runCli(temp.path, ['engine', 'stop'], env)).code).toBe(0);
  });

  it('says what is wrong when Docker cannot be reached', async () => {
    const result = await runCli(temp.path, ['engine', 'start'], {
      ...env,
      DOCKER_HOST: 'unix:///nonexistent.sock',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/DOCKER_NOT_(RUNNING|INSTALLED)/);
    const status = await runCli(temp.path, ['engine', 'status'], {
      ...env,
      DOCKER_HOST: 'unix:///nonexistent.sock',
    });
    expect(status.stdout).toMatch(/Docker: +not usable: .*nonexistent\.sock/);
    for (const command of [
      ['engine', 'logs'],
      ['engine', 'stop'],
    ]) {
      const other = await runCli(temp.path, command, { ...env, DOCKER_HOST: 'unix:///nonexistent.sock' });
      expect(other.code, command.join(' ')).toBe(1);
      expect(other.stderr, command.join(' ')).toMatch(
        /nonexistent\.sock.*\[DOCKER_NOT_(RUNNING|INSTALLED)\]/,
      );
    }
  });

  it("engine command prints every kind's container without Docker: a docker run command and the create body", async () => {
    for (const kind of ENGINE_KINDS) {
      const json = await runCli(temp.path, ['engine', 'command', '--kind', kind, '--json'], {
        ...env,
        ...DEAD_DOCKER,
      });
      expect(json.code, json.stderr).toBe(0);
      const body = JSON.parse(json.stdout) as Dockerode.ContainerCreateOptions;
      expect(body).toMatchObject({
        name: `funscribe-engine-${kind}-${instance}`,
        Env: ['PYTHONUNBUFFERED=1', 'HOME=/tmp', 'MODELSCOPE_CACHE=/workspace/models'],
        HostConfig: {
          Mounts: [{ Type: 'volume', Source: modelsVolumeName(instance), Target: '/workspace/models' }],
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
          ReadonlyRootfs: true,
        },
      });
      const limits = engineLimits(DEFAULT_ENGINE_SETTINGS, kind);
      expect(body.HostConfig).toMatchObject({
        Memory: limits.memoryBytes,
        NanoCpus: Math.round(limits.cpus * 1e9),
      });
      expect(body.Image).toMatch(
        /^registry\.cn-hangzhou\.aliyuncs\.com\/funasr_repo\/funasr:funasr-runtime-sdk-/,
      );
      expect(Object.values(body.HostConfig?.PortBindings ?? {})).toHaveLength(1);
      expect(body.HostConfig?.DeviceRequests !== undefined).toBe(kind === 'offline-gpu');
      expect(body.Entrypoint).toEqual(kind === 'offline-gpu' ? ['/bin/sh'] : []);
      expect(body.Cmd).toContain('--hotword');

      const line = await runCli(temp.path, ['engine', 'command', '--kind', kind], { ...env, ...DEAD_DOCKER });
      expect(line.code, line.stderr).toBe(0);
      expect(line.stdout).toMatch(/^docker run --detach \\\n/);
      expect(line.stdout).toContain(
        `--label org.funscribe.spec-hash=${body.Labels?.['org.funscribe.spec-hash']} \\`,
      );
      expect(line.stdout.includes('--gpus all')).toBe(kind === 'offline-gpu');
      for (const option of ['--cap-drop ALL', '--security-opt no-new-privileges', '--read-only']) {
        expect(line.stdout).toContain(`${option} \\`);
      }
      expect(line.stdout).toContain(`--pids-limit ${body.HostConfig?.PidsLimit} \\`);
      expect(line.stdout).toContain(`--cpus ${limits.cpus} \\`);
      expect(line.stdout).toContain(
        `--tmpfs /tmp:rw,${kind === 'offline-gpu' ? '' : 'no'}exec,nosuid,nodev,size=1g`,
      );
      expect(line.stderr).toContain('127.0.0.1 only');
    }
  });

  it('the printed docker run command creates the container the create body describes, and it serves', async () => {
    const commandEnv = {
      ...env,
      FUNSCRIBE_IMAGE_OFFLINE_CPU: ref,
      FUNSCRIBE_ENGINE_INSTANCE: `${instance}-run`,
    };
    // The command publishes the settings' port (else the kind's default, which may be taken here).
    const db = openDatabase(join(temp.path, 'library.sqlite'));
    // Limits from the settings, which the command shows as they are.
    new EngineSettingsStore(new SettingsRepository(db)).update({
      port: await choosePort(23000),
      memoryGiB: 2.5,
      cpus: 1.5,
    });
    db.close();
    const body = JSON.parse(
      (await runCli(temp.path, ['engine', 'command', '--kind', 'offline-cpu', '--json'], commandEnv)).stdout,
    ) as Dockerode.ContainerCreateOptions;
    const printed = await runCli(temp.path, ['engine', 'command', '--kind', 'offline-cpu'], commandEnv);
    expect(printed.stdout).toContain('--memory 2560m \\');
    expect(printed.stdout).toContain('--cpus 1.5 \\');
    const id = await promisify(execFile)('/bin/sh', ['-c', printed.stdout]).then(
      (result) => result.stdout.trim(),
      async (error: unknown) => {
        await engine.remove(body.name!);
        throw error;
      },
    );
    try {
      const info = await docker.getContainer(id).inspect();
      expect(info.Name).toBe(`/${body.name}`);
      expect(info.Config.Image).toBe(body.Image);
      expect(info.Config.Entrypoint ?? []).toEqual(body.Entrypoint);
      expect(info.Config.Cmd).toEqual(body.Cmd);
      expect(info.Config.WorkingDir).toBe(body.WorkingDir);
      expect(info.Config.Env).toEqual(expect.arrayContaining(body.Env!));
      expect(info.Config.Labels).toMatchObject(body.Labels!);
      // Every host setting of the body, the hardening and the settings' limits included.
      expect(body.HostConfig).toMatchObject({ Memory: 2.5 * 1024 ** 3, NanoCpus: 1_500_000_000 });
      for (const [field, value] of Object.entries(body.HostConfig ?? {})) {
        expect(info.HostConfig[field as keyof typeof info.HostConfig], field).toEqual(value);
      }
      await waitForReady(engine, id, { since: 0 });
    } finally {
      await engine.remove(id);
      await engine.removeVolume(modelsVolumeName(`${instance}-run`));
    }
  });
});
