// The global hotword list and the managed engine, through the app's own handlers against a real Docker daemon and the
// stand-in image: the list travels with every file (the engine's server-wide list, which it reads only at start, is
// kept empty), so a change reaches the engine with the next file and a removed word stops applying, without a restart.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../../src-shared/contract.js';
import { createAppService } from '../../../src-main/application/app-service.js';
import { wavHeader } from '../../../src-main/audio/pcm.js';
import { modelsVolumeName } from '../../../src-main/engine/container-spec.js';
import { connectDocker } from '../../../src-main/engine/docker-connection.js';
import { DockerEngine } from '../../../src-main/engine/docker-engine.js';
import { createServices, type Services } from '../../../src-main/services.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { writeBurstPcm } from '../../integration/asr/pcm-bursts.js';
import { requireSimImage } from './engine-test-kit.js';

const docker = connectDocker();
const engine = new DockerEngine(docker);
const instance = `hotwords-${randomBytes(3).toString('hex')}`;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let services: Services;
let api: ApiHandlers;
let wavPath: string;

/** A 16 kHz mono WAV file around PCM (the job decodes it with ffmpeg like any recording). */
async function writeWav(path: string, pcm: Buffer): Promise<void> {
  await writeFile(path, Buffer.concat([wavHeader(pcm.length, 16_000, 1), pcm]));
}

/** Transcribes the test file as the desktop app does (settings' hotwords), and returns the connection's log lines. */
async function transcribeAndReadHotwords(): Promise<{ words: string[]; containerStartedAt: string }> {
  const since = Date.now() / 1000;
  // The same file each time: told to go ahead although its content is already in the library.
  const {
    jobs: [job],
  } = await api.addFiles([wavPath], { allowDuplicates: true });
  await services.queue.whenIdle();
  expect(services.jobs.get(job!.id)).toMatchObject({ status: 'done' });
  const { container } = await services.engine.status();
  const logs = await engine.logs(container!.id, { since });
  // The first connection's merged hotwords (the engine may have started for this file and logged its own list).
  const opened = logs.findIndex((line) => line.includes('] on_open, active connections: '));
  const start = logs.findIndex((line, index) => index > opened && line.endsWith('] hotwords: '));
  expect(opened).toBeGreaterThanOrEqual(0);
  expect(start).toBeGreaterThanOrEqual(0);
  const words: string[] = [];
  for (const line of logs.slice(start + 1)) {
    const match = /\] (.+ : \d+)$/.exec(line);
    if (!match) break;
    words.push(match[1]!);
  }
  const info = await docker.getContainer(container!.id).inspect();
  return { words: words.sort(), containerStartedAt: info.State.StartedAt };
}

beforeAll(async () => {
  const image = (await requireSimImage(docker)).localTag;
  temp = await makeTempDir('engine-hotwords');
  const pcmPath = join(temp.path, 'speech.pcm');
  await writeBurstPcm(pcmPath, 4000, [{ startMs: 500, endMs: 2500 }]);
  wavPath = join(temp.path, 'speech.wav');
  await writeWav(wavPath, await readFile(pcmPath));
  services = await createServices({
    dataDir: temp.path,
    env: { ...process.env, FUNSCRIBE_ENGINE_INSTANCE: instance, FUNSCRIBE_IMAGE_OFFLINE_CPU: image },
  });
  api = createAppService(services, () => undefined);
});

afterAll(async () => {
  await services?.engine.remove({ keepModels: false });
  await services?.close();
  for (const container of await engine.findManaged(instance)) await engine.remove(container.id);
  await engine.removeVolume(modelsVolumeName(instance));
  await temp?.remove();
});

describe('the global hotword list', () => {
  it('reaches the engine with each file; a change applies to the next file and a removed word stops applying', async () => {
    await api.setSettings({
      hotwords: [
        { phrase: '阿里巴巴', weight: 20 },
        { phrase: '预算', weight: 30 },
      ],
    });
    const first = await transcribeAndReadHotwords();
    expect(first.words).toEqual(['阿里巴巴 : 20', '预算 : 30'].sort());
    const startLog = await services.engine.logs(500);
    const loadedAt = startLog.findIndex((line) => line.endsWith('] hotword path: /dev/null'));
    expect(loadedAt).toBeGreaterThan(0);
    expect(startLog[loadedAt + 1]).toMatch(/\] hotwords: $/);
    expect(startLog[loadedAt + 2]).toMatch(/\] SSL is closed!$/);

    await api.setSettings({
      hotwords: [
        { phrase: '预算', weight: 30 },
        { phrase: '会议纪要', weight: 10 },
      ],
    });
    const second = await transcribeAndReadHotwords();
    expect(second.words).toEqual(['会议纪要 : 10', '预算 : 30'].sort());
    expect(second.containerStartedAt).toBe(first.containerStartedAt);

    await api.setSettings({ hotwords: [] });
    const third = await transcribeAndReadHotwords();
    expect(third.words).toEqual([]);
  });
});
