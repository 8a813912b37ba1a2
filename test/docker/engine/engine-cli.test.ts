// `funscribe engine start|status|logs|stop` through the real CLI against a real Docker daemon, the local test registry
// and the stand-in FunASR image.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelsVolumeName } from '../../../src-main/engine/container-spec.js';
import { connectDocker } from '../../../src-main/engine/docker-connection.js';
import { DockerEngine } from '../../../src-main/engine/docker-engine.js';
import type { EngineStatus } from '../../../src-main/engine/engine-types.js';
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
});
