// Engine starts that go wrong, against a real Docker daemon and the stand-in FunASR image: a taken port, a GPU the host
// cannot give, a model that cannot be downloaded, a copy in the models volume that lost a file, and a daemon that cannot
// be reached.
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, DEFAULT_HOST_PORT } from '../../../src-main/engine/catalog.js';
import { modelsVolumeName } from '../../../src-main/engine/container-spec.js';
import { connectDocker } from '../../../src-main/engine/docker-connection.js';
import { DockerEngine } from '../../../src-main/engine/docker-engine.js';
import { EngineManager, type EngineManagerOptions } from '../../../src-main/engine/engine-manager.js';
import { EngineSettingsStore } from '../../../src-main/engine/engine-settings.js';
import type { EngineProgress, EngineState } from '../../../src-shared/engine-types.js';
import { isPortFree } from '../../../src-main/engine/host-port.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { SettingsRepository } from '../../../src-main/store/settings-repo.js';
import { FunscribeError } from '../../../src-main/util/errors.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { requireSimImage } from './engine-test-kit.js';

const docker = connectDocker();
const engine = new DockerEngine(docker);
const run = randomBytes(3).toString('hex');
const instances: string[] = [];
let image: string;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let db: Database.Database;

/** A manager on its own instance `<name>-<run>` (containers and models volume), sharing the test database. */
function manager(name: string, options: Partial<EngineManagerOptions> = {}): EngineManager {
  const instance = `${name}-${run}`;
  if (!instances.includes(instance)) instances.push(instance);
  return new EngineManager({
    engine,
    settings: new EngineSettingsStore(new SettingsRepository(db)),
    dataDir: temp.path,
    instance,
    cores: 2,
    env: {},
    extraEnv: { FUNASR_SIM_DOWNLOAD_MS: '200' },
    ...options,
  });
}

beforeAll(async () => {
  image = (await requireSimImage(docker)).localTag;
  temp = await makeTempDir('engine-problems');
  db = openDatabase(join(temp.path, 'library.sqlite'));
});

afterAll(async () => {
  for (const instance of instances) {
    for (const container of await engine.findManaged(instance)) await engine.remove(container.id);
    await engine.removeVolume(modelsVolumeName(instance));
  }
  db?.close();
  await temp?.remove();
});

describe('start problems', () => {
  it('moves to the next free port when the default one is taken', async () => {
    const preferred = DEFAULT_HOST_PORT['en-cpu'];
    const blocker: Server = createServer();
    const blocked = await isPortFree(preferred);
    if (blocked) await new Promise<void>((resolve) => blocker.listen(preferred, '127.0.0.1', resolve));
    try {
      const mgr = manager('port');
      const { endpoint } = await mgr.ensureRunning({ kind: 'en-cpu', image });
      expect(endpoint).not.toBe(`ws://127.0.0.1:${preferred}`);
      const port = Number(endpoint.split(':').at(-1));
      expect(port).toBeGreaterThan(preferred);
      expect((await mgr.logs()).some((line) => line.endsWith(`listen on port:10095`))).toBe(true);
      await mgr.remove({ keepModels: false });
      expect(await engine.findManaged(`port-${run}`)).toEqual([]);
    } finally {
      if (blocked) await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('offers the CPU engine when the GPU cannot be had, leaving no container behind', async () => {
    const error = await manager('gpu')
      .ensureRunning({ gpu: true, image })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunscribeError);
    expect(error).toMatchObject({
      code: 'GPU_UNAVAILABLE',
      message: expect.stringContaining('Use the CPU engine instead'),
    });
    expect(await engine.findManaged(`gpu-${run}`)).toEqual([]);
  });

  it('fails with the last log lines when a model cannot be downloaded', async () => {
    const mgr = manager('fatal', { extraEnv: { FUNASR_SIM_DOWNLOAD_FAIL: 'speech_fsmn_vad' } });
    const error = (await mgr.ensureRunning({ image }).catch((e: unknown) => e)) as FunscribeError;
    expect(error).toBeInstanceOf(FunscribeError);
    expect(error.code).toBe('ENGINE_FAILED');
    expect(error.message).toMatch(
      /The engine failed to start: \/workspace\/models\/iic\/speech_fsmn_vad_zh-cn-16k-common-onnx\/model_quant\.onnx do not exists\./,
    );
    expect(error.message).toContain('Last lines of the engine log');
    expect(error.message).toContain('Download model: iic/speech_fsmn_vad_zh-cn-16k-common-onnx');
    expect(error.message).toContain('Failed to download model from modelscope.');
    const status = await mgr.status();
    expect(status.state).toBe('failed');
    expect(status.error?.code).toBe('ENGINE_FAILED');
    const [container] = await engine.findManaged(`fatal-${run}`);
    expect((await engine.inspect(container!.id))?.State.Running).toBe(false);
  });

  it('a start from the volume whose copy lost a file fetches it again from ModelScope, and then uses the copies', async () => {
    const mgr = manager('copies');
    await mgr.ensureRunning({ image });
    await mgr.stop();
    const vad = CATALOG['offline-cpu'].models.find((model) => model.role === 'vad')!;
    const lost = `/workspace/models/${vad.id}/model_quant.onnx`;
    const helper = await docker.createContainer({
      Image: image,
      Cmd: ['rm', lost],
      HostConfig: { Binds: [`${modelsVolumeName(`copies-${run}`)}:/workspace/models`] },
    });
    await helper.start();
    expect((await helper.wait()).StatusCode).toBe(0);
    await helper.remove();

    const progress: EngineProgress[] = [];
    const states: EngineState[] = [];
    const again = manager('copies');
    again.onStatus((status) => states.push(status.state));
    await again.ensureRunning({ image, onProgress: (p) => progress.push(p) });
    const args = async () => {
      const { container } = await again.status();
      const info = await docker.getContainer(container!.id).inspect();
      return [info.Path, ...info.Args];
    };
    // The first try named the copies and failed on the missing file; the second asked for the ids and re-fetched it.
    expect((await args())[(await args()).indexOf('--vad-dir') + 1]).toBe(vad.id);
    expect(
      progress.some((p) => p.phase === 'download-model' && p.subject === vad.id && p.doneBytes !== null),
    ).toBe(true);
    expect(states.at(-1)).toBe('ready');
    await again.stop();
    await manager('copies').ensureRunning({ image });
    expect((await args())[(await args()).indexOf('--vad-dir') + 1]).toBe(`/workspace/models/${vad.id}`);
  });

  it('reports an unreachable daemon', async () => {
    const unreachable = manager('none', {
      engine: new DockerEngine(connectDocker({ DOCKER_HOST: 'unix:///nonexistent.sock' })),
    });
    const status = await unreachable.status();
    expect(status.state).toBe('no-docker');
    expect(status.docker.available).toBe(false);
    expect(status.docker.problem?.code).toMatch(/^DOCKER_NOT_(RUNNING|INSTALLED)$/);
    await expect(unreachable.ensureRunning()).rejects.toMatchObject({ code: status.docker.problem?.code });
  });
});
