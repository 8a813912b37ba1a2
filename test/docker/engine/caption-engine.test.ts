// The live-caption engine next to the main one, through the application service as the record screen uses it, against
// the real Docker daemon and the stand-in image (which runs the 2pass binary in the caption container): both started
// at once on two loopback ports with their own containers, volumes, memory caps and progress events; a 2pass stream on
// the caption port; the lookup the recording uses; each stopped while the other keeps serving; none started beside a
// main engine of the 2pass kind, which serves captions and files.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiEventMap, ApiEventName } from '../../../src-shared/contract.js';
import type { CaptionEngineStatus, EngineStatus } from '../../../src-shared/engine-types.js';
import { createAppService, type AppService } from '../../../src-main/application/app-service.js';
import { captionEngineInstance, managedCaptionServer } from '../../../src-main/engine/caption-engine.js';
import { CATALOG } from '../../../src-main/engine/catalog.js';
import { containerName, modelsVolumeName } from '../../../src-main/engine/container-spec.js';
import { connectDocker } from '../../../src-main/engine/docker-connection.js';
import { DockerEngine } from '../../../src-main/engine/docker-engine.js';
import {
  DEFAULT_ENGINE_SETTINGS,
  engineLimits,
  thisMachine,
  withDockerMemory,
} from '../../../src-main/engine/engine-settings.js';
import { createServices, type Services } from '../../../src-main/services.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { writeBurstPcm } from '../../integration/asr/pcm-bursts.js';
import { buildVariant, removeImage, removeInstances, requireSimImage } from './engine-test-kit.js';

const docker = connectDocker();
const run = randomBytes(3).toString('hex');
const instance = `captions-${run}`;
const captionInstance = captionEngineInstance(instance);
/** The stand-in with quick model downloads baked in (the app passes no test environment into its containers). */
const IMAGE = `funscribe-test/funasr-sim:captions-${run}`;
/** Two sentences of tone; the stand-in closes a sentence after 500 ms of silence. */
const BURSTS = [
  { startMs: 300, endMs: 1500 },
  { startMs: 2200, endMs: 3200 },
];

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let services: Services;
let app: AppService;
let pcm: Buffer;
const events: { event: ApiEventName; payload: unknown }[] = [];

/** The payloads of one event sent so far. */
function sent<E extends ApiEventName>(event: E): ApiEventMap[E][] {
  return events.filter((entry) => entry.event === event).map((entry) => entry.payload as ApiEventMap[E]);
}

/**
 * Streams the PCM in 100 ms frames to a 2pass server as a live-caption client does (mode 2pass) or as a file is sent to
 * it (mode offline); resolves with every reply's mode and whether it had token times.
 */
async function twoPassReplies(
  url: string,
  mode: '2pass' | 'offline' = '2pass',
): Promise<{ mode: string | null; timed: boolean }[]> {
  const socket = new WebSocket(url);
  const replies: { mode: string | null; timed: boolean }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    socket.on('message', (data) => {
      const reply = JSON.parse(String(data)) as { mode?: string; is_final?: boolean; timestamp?: unknown };
      replies.push({
        mode: reply.mode ?? null,
        timed: typeof reply.timestamp === 'string' && reply.timestamp !== '',
      });
      if (reply.is_final) resolve();
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('the server closed the connection before its final reply')));
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(
    JSON.stringify({
      mode,
      chunk_size: [5, 10, 5],
      chunk_interval: 10,
      wav_name: 'live',
      wav_format: 'pcm',
      audio_fs: 16000,
      is_speaking: true,
      hotwords: '',
      itn: true,
    }),
  );
  for (let at = 0; at < pcm.length; at += 3200) socket.send(pcm.subarray(at, at + 3200));
  socket.send(JSON.stringify({ is_speaking: false }));
  try {
    await Promise.race([
      done,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no final reply in 10 s')), 10_000)),
    ]);
  } finally {
    socket.removeAllListeners('close');
    socket.close();
  }
  return replies;
}

/** The modes of the replies to a live-caption stream. */
async function twoPassModes(url: string): Promise<(string | null)[]> {
  return (await twoPassReplies(url)).map((reply) => reply.mode);
}

/** The host address every published port of a container is bound to. */
async function publishedHosts(id: string): Promise<string[]> {
  const info = await docker.getContainer(id).inspect();
  return Object.values(info.NetworkSettings.Ports ?? {}).flatMap((list) => (list ?? []).map((b) => b.HostIp));
}

beforeAll(async () => {
  const sim = await requireSimImage(docker);
  await buildVariant(docker, sim.localTag, IMAGE, { env: { FUNASR_SIM_DOWNLOAD_MS: '200' } });
  temp = await makeTempDir('caption-engine');
  const pcmPath = join(temp.path, 'live.pcm');
  await writeBurstPcm(pcmPath, 4000, BURSTS);
  pcm = await readFile(pcmPath);
  services = await createServices({
    dataDir: temp.path,
    env: {
      ...process.env,
      FUNSCRIBE_ENGINE_INSTANCE: instance,
      FUNSCRIBE_IMAGE_OFFLINE_CPU: IMAGE,
      FUNSCRIBE_IMAGE_ONLINE_CPU: IMAGE,
    },
  });
  app = createAppService(services, (event, payload) => events.push({ event, payload }));
});

afterAll(async () => {
  await services?.close();
  await removeInstances(new DockerEngine(docker), [instance, captionInstance]);
  await removeImage(docker, IMAGE);
  await temp?.remove();
});

describe('the live-caption engine next to the main engine', () => {
  let main: EngineStatus;
  let captions: CaptionEngineStatus;

  it('starts both at once: two containers, two loopback ports, two volumes, progress told apart', async () => {
    const before = await app.captionEngineDownloadPlan();
    expect(before.kind).toBe('online-cpu');
    expect(before.models.map((model) => [model.name, model.present])).toEqual(
      CATALOG['online-cpu'].models.map((model) => [model.id, false]),
    );
    [main, captions] = await Promise.all([app.startEngine(), app.startCaptionEngine()]);
    // The caption engine's models are now in its volume; the file engine's plan stays its own kind's.
    expect((await app.captionEngineDownloadPlan()).models.every((model) => model.present)).toBe(true);
    expect((await app.engineDownloadPlan()).models.map((model) => model.name)).toEqual(
      CATALOG['offline-cpu'].models.map((model) => model.id),
    );
    expect(main.state).toBe('ready');
    expect(captions.state).toBe('ready');
    expect(captions.port).not.toBe(main.port);
    expect(captions.endpoint).toBe(`ws://127.0.0.1:${captions.port}`);
    expect(main.container?.name).toBe(containerName('offline-cpu', instance));
    expect(captions.container?.name).toBe(`funscribe-engine-online-cpu-${instance}-captions`);
    for (const status of [main, captions])
      expect(await publishedHosts(status.container!.id)).toEqual(['127.0.0.1']);

    const info = await docker.getContainer(captions.container!.id).inspect();
    expect(info.Path).toBe(CATALOG['online-cpu'].serverBinary);
    const mainInfo = await docker.getContainer(main.container!.id).inspect();
    // The memory caps are decided together: the caption engine's own, the two within 3/4 of Docker's memory.
    const machine = withDockerMemory(thisMachine(), ((await docker.info()) as { MemTotal: number }).MemTotal);
    const settings = DEFAULT_ENGINE_SETTINGS;
    expect(info.HostConfig.Memory).toBe(
      engineLimits(settings, 'online-cpu', machine, 'captions').memoryBytes,
    );
    expect(mainInfo.HostConfig.Memory).toBe(engineLimits(settings, 'offline-cpu', machine).memoryBytes);
    expect(info.HostConfig.Memory).toBeLessThan(mainInfo.HostConfig.Memory!);
    expect(info.HostConfig.Memory! + mainInfo.HostConfig.Memory!).toBeLessThanOrEqual(
      machine.totalMemoryBytes * 0.75,
    );
    expect(captions.servedByMain).toBeNull();
    expect(mainInfo.Mounts.map((mount) => mount.Name)).toEqual([modelsVolumeName(instance)]);
    expect(info.Mounts.map((mount) => mount.Name)).toEqual([`funscribe-models-${instance}-captions`]);

    // Each engine's progress goes out under its own event: the 2pass models only under the caption engine's.
    const downloaded = (progress: { phase: string; subject: string | null }[]): Set<string | null> =>
      new Set(progress.filter((p) => p.phase === 'download-model').map((p) => p.subject));
    expect(downloaded(sent('caption-engine:progress'))).toEqual(
      new Set(CATALOG['online-cpu'].models.map((model) => model.id)),
    );
    expect(downloaded(sent('engine:progress'))).toEqual(
      new Set(CATALOG['offline-cpu'].models.map((model) => model.id)),
    );
    expect(sent('caption-engine:progress').at(-1)?.phase).toBe('ready');
    expect(sent('caption-engine:status').map((status) => status.state)).toEqual(
      expect.arrayContaining(['downloading-models', 'ready']),
    );
    expect(sent('engine:status').at(-1)?.state).toBe('ready');
    expect(sent('caption-engine:status').every((status) => status.container?.id !== main.container?.id)).toBe(
      true,
    );
  });

  it('serves a 2pass stream on the caption port, and the recording finds it there', async () => {
    const modes = await twoPassModes(captions.endpoint!);
    expect(modes).toContain('2pass-online');
    expect(modes.filter((mode) => mode === '2pass-offline')).toHaveLength(BURSTS.length);
    expect(await managedCaptionServer(services)).toEqual({
      url: captions.endpoint,
      engine: 'captions',
      kind: 'online-cpu',
    });
  });

  it('stops the caption engine while the main one keeps running, and the other way round', async () => {
    expect(await app.stopCaptionEngine()).toMatchObject({ state: 'stopped' });
    expect(await app.engineStatus()).toMatchObject({ state: 'ready', endpoint: main.endpoint });
    // The main engine runs an offline kind: no managed 2pass server is left.
    expect(await managedCaptionServer(services)).toBeNull();

    expect(await app.startCaptionEngine()).toMatchObject({ state: 'ready', endpoint: captions.endpoint });
    expect(await app.stopEngine()).toMatchObject({ state: 'stopped' });
    expect(await app.captionEngineStatus()).toMatchObject({ state: 'ready', endpoint: captions.endpoint });
    const modes = await twoPassModes(captions.endpoint!);
    expect(modes.filter((mode) => mode === '2pass-offline')).toHaveLength(BURSTS.length);
  });

  it('starts no caption engine beside a main engine of the 2pass kind: it serves the captions, and files in mode offline', async () => {
    await app.stopCaptionEngine();
    const { endpoint } = await app.runEngine({ kind: 'online-cpu' });
    expect(await managedCaptionServer(services)).toEqual({
      url: endpoint,
      engine: 'main',
      kind: 'online-cpu',
    });
    const progressBefore = sent('caption-engine:progress').length;
    expect(await app.startCaptionEngine()).toMatchObject({ servedByMain: endpoint, state: 'stopped' });
    expect(await app.captionEngineStatus()).toMatchObject({ servedByMain: endpoint, state: 'stopped' });
    expect(sent('caption-engine:progress')).toHaveLength(progressBefore);
    const captionContainers = await new DockerEngine(docker).findManaged(captionInstance);
    expect(captionContainers.map((container) => container.state)).toEqual(['exited']);
    // A file sent to the same server in mode offline: its sentences with token times, no partials.
    const replies = await twoPassReplies(endpoint, 'offline');
    const sentences = replies.filter((reply) => reply.mode === '2pass-offline');
    expect(sentences).toHaveLength(BURSTS.length);
    expect(sentences.every((reply) => reply.timed)).toBe(true);
    expect(replies.some((reply) => reply.mode === '2pass-online')).toBe(false);
  });
  it('waits for a main engine of the 2pass kind that is starting, starting none of its own; captions say connecting meanwhile', async () => {
    await app.stopEngine();
    const progressBefore = sent('caption-engine:progress').length;
    const starting = app.runEngine({ kind: 'online-cpu' });
    await expect.poll(() => services.engine.startingKind(), { interval: 20 }).toBe('online-cpu');
    // A recording's captions while it starts: connecting (not unavailable), then live on the main engine.
    const states: string[] = [];
    const settings = { serverUrl: null, hotwords: [], itn: true, allowSelfSignedTls: false };
    const captions = services.startCaptions('waiting-for-main', settings, (event, payload) => {
      if (event === 'recording:captions-state') states.push((payload as { state: string }).state);
    });
    try {
      const status = await app.startCaptionEngine();
      const { endpoint } = await starting;
      expect(status).toMatchObject({ servedByMain: endpoint, state: 'stopped' });
      expect(sent('caption-engine:progress')).toHaveLength(progressBefore);
      const captionContainers = await new DockerEngine(docker).findManaged(captionInstance);
      expect(captionContainers.map((container) => container.state)).toEqual(['exited']);
      await expect.poll(() => states, { timeout: 15_000 }).toContain('live');
      expect(states).not.toContain('unavailable');
    } finally {
      await captions.end();
    }
  });
});
