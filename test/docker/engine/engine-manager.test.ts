// The engine manager's life cycle against a real Docker daemon, the local test registry and the stand-in FunASR image:
// pull, the exact container, readiness from the log, a transcription through it, local model paths from the second
// start on (and reuse), sharing, upgrade, recovery.
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transcribeOffline } from '../../../src-main/asr/offline-session.js';
import { CATALOG } from '../../../src-main/engine/catalog.js';
import { LABELS, modelsVolumeName, serverCommand } from '../../../src-main/engine/container-spec.js';
import { connectDocker } from '../../../src-main/engine/docker-connection.js';
import { DockerEngine } from '../../../src-main/engine/docker-engine.js';
import { EngineManager } from '../../../src-main/engine/engine-manager.js';
import { EngineSettingsStore } from '../../../src-main/engine/engine-settings.js';
import type { EngineProgress, EngineState } from '../../../src-shared/engine-types.js';
import { currentRunSince } from '../../../src-main/engine/readiness.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { SettingsRepository } from '../../../src-main/store/settings-repo.js';
import { registryAddress } from '../../helpers/docker-image.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { writeBurstPcm, type Burst } from '../../integration/asr/pcm-bursts.js';
import {
  buildVariant,
  deleteFromRegistry,
  execIn,
  modelFiles,
  pushVariant,
  removeImage,
  requireSimImage,
} from './engine-test-kit.js';

const docker = connectDocker();
const engine = new DockerEngine(docker);
const run = randomBytes(3).toString('hex');
const instance = `lifecycle-${run}`;
/** A pushed variant with a 3 MB layer of its own, so that pulling it downloads. */
const PULL_TAG = `engine-pull-${run}`;
/** A local variant to upgrade to. */
const UPGRADE_TAG = `funscribe-test/funasr-sim:upgrade-${run}`;
/**
 * Fast model downloads, and 1.2 s of model loading with the port bound before the ready line. Every manager passes the
 * same environment: it is part of the container spec, and a different one would replace the container.
 */
const SIM_ENV = { FUNASR_SIM_DOWNLOAD_MS: '400', FUNASR_SIM_LOAD_MS: '1200' };
const BURSTS: Burst[] = [
  { startMs: 600, endMs: 1900 },
  { startMs: 2900, endMs: 4400 },
];
const MODEL_IDS = CATALOG['offline-cpu'].models.map((model) => model.id);

let pullRef: string;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let db: Database.Database;
let pcmPath: string;

/** A manager on this file's instance, sharing the test database. */
function manager(): EngineManager {
  return new EngineManager({
    engine,
    settings: new EngineSettingsStore(new SettingsRepository(db)),
    dataDir: temp.path,
    instance,
    cores: 2,
    env: {},
    extraEnv: SIM_ENV,
  });
}

/** Resolves true when a TCP connection to 127.0.0.1:port is accepted. */
function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until `check` holds, polling (bounded). */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Transcribes the burst file through an endpoint and expects one sentence on each burst (±200 ms). */
async function expectBurstTranscript(endpoint: string): Promise<void> {
  const transcript = await transcribeOffline({
    url: endpoint,
    pcmPath,
    wavName: 'bursts.pcm',
    hotwords: [],
    itn: true,
    allowSelfSignedTls: false,
  });
  expect(transcript.durationMs).toBe(5500);
  expect(transcript.text.length).toBeGreaterThan(0);
  expect(transcript.sentences).toHaveLength(BURSTS.length);
  transcript.sentences.forEach((sentence, index) => {
    const burst = BURSTS[index]!;
    expect(Math.abs(sentence.startMs - burst.startMs)).toBeLessThanOrEqual(200);
    expect(Math.abs(sentence.endMs - burst.endMs)).toBeLessThanOrEqual(200);
    expect(sentence.text.length).toBeGreaterThan(0);
  });
}

/**
 * The log lines of a container's current run, from where the app reads them (not from StartedAt: Docker may stamp the
 * first lines earlier, and with local model paths the lines up to the port come within milliseconds of the start).
 */
async function currentRunLogs(id: string): Promise<string[]> {
  const info = await docker.getContainer(id).inspect();
  return engine.logs(id, { since: currentRunSince(info.State) });
}

/** Progress that carries downloaded bytes of a model (a restart with the models present has none). */
const modelBytes = (progress: EngineProgress[]): EngineProgress[] =>
  progress.filter((p) => p.phase === 'download-model' && p.doneBytes !== null);

beforeAll(async () => {
  const sim = await requireSimImage(docker);
  temp = await makeTempDir('engine-docker');
  db = openDatabase(join(temp.path, 'library.sqlite'));
  // Limits from the settings (one CPU: the server's threads follow it), the same for every manager of this file.
  new EngineSettingsStore(new SettingsRepository(db)).update({ memoryGiB: 3, cpus: 1 });
  pcmPath = join(temp.path, 'bursts.pcm');
  await writeBurstPcm(pcmPath, 5500, BURSTS);
  const pullLocal = `funscribe-test/funasr-sim:${PULL_TAG}`;
  await buildVariant(docker, sim.localTag, pullLocal, { payloadBytes: 3_000_000 });
  pullRef = await pushVariant(docker, pullLocal, PULL_TAG);
  await buildVariant(docker, sim.localTag, UPGRADE_TAG);
});

afterAll(async () => {
  for (const container of await engine.findManaged(instance)) await engine.remove(container.id);
  await engine.removeVolume(modelsVolumeName(instance));
  for (const ref of [UPGRADE_TAG, pullRef]) if (ref) await removeImage(docker, ref);
  if (pullRef) await deleteFromRegistry(pullRef);
  db?.close();
  await temp?.remove();
});

describe('pulling', () => {
  it('pulls from the local registry with growing byte progress that ends at the total', async () => {
    const progress: EngineProgress[] = [];
    await engine.pull(pullRef, { onProgress: (p) => progress.push(p) });
    expect(await engine.imageExists(pullRef)).toBe(true);
    const downloads = progress.filter((p) => p.message.startsWith('Downloading'));
    expect(downloads.length).toBeGreaterThan(0);
    const done = downloads.map((p) => p.doneBytes ?? 0);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    const last = progress.at(-1)!;
    expect(last.totalBytes).toBeGreaterThan(1_000_000);
    expect(last.doneBytes).toBe(last.totalBytes);
    await removeImage(docker, pullRef);
  });

  it('reports a missing tag as IMAGE_NOT_FOUND', async () => {
    const missing = `${registryAddress()}/funscribe/funasr-sim:no-such-tag-${run}`;
    await expect(engine.pull(missing)).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
      message: expect.stringContaining('check the tag'),
    });
  });
});

describe('the managed engine', () => {
  let firstModels: string[] = [];

  it('pulls, downloads the models, creates the exact container, and is ready only after the ready line', async () => {
    const states: EngineState[] = [];
    const mgr = manager();
    mgr.onStatus((status) => states.push(status.state));
    const progress: EngineProgress[] = [];
    let resolved = false;
    const started = mgr
      .ensureRunning({ image: pullRef, onProgress: (p) => progress.push(p) })
      .finally(() => (resolved = true));
    // The server binds its port while it loads models: TCP connects, yet the engine is not ready.
    await until(() => progress.some((p) => p.phase === 'load'), 'the loading phase');
    const status = await mgr.status();
    expect(status.port).not.toBeNull();
    await until(() => tcpAccepts(status.port!), 'the port to accept TCP');
    expect(resolved).toBe(false);
    expect((await mgr.logs()).some((line) => line.includes('asr model init finished'))).toBe(false);

    const { endpoint } = await started;
    expect(endpoint).toBe(`ws://127.0.0.1:${status.port}`);
    expect(progress.some((p) => p.phase === 'pull')).toBe(true);
    for (const id of MODEL_IDS) {
      const complete = modelBytes(progress).filter((p) => p.subject === id && p.doneBytes === p.totalBytes);
      expect(complete.length, `a finished download of ${id}`).toBeGreaterThan(0);
    }
    expect(states).toEqual(
      expect.arrayContaining(['pulling', 'starting', 'downloading-models', 'loading', 'ready']),
    );
    expect(states.indexOf('loading')).toBeLessThan(states.indexOf('ready'));

    const info = await docker.getContainer(status.container!.id).inspect();
    const bindings = Object.values(info.NetworkSettings.Ports ?? {}).flatMap((list) => list ?? []);
    expect(bindings.length).toBeGreaterThan(0);
    for (const binding of bindings) expect(binding.HostIp).toBe('127.0.0.1');
    expect(info.HostConfig.PortBindings).toEqual({
      '10095/tcp': [{ HostIp: '127.0.0.1', HostPort: String(status.port) }],
    });
    expect(info.NetworkSettings.Ports['10095/tcp']).toEqual([
      { HostIp: '127.0.0.1', HostPort: String(status.port) },
    ]);
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.Mounts.find((m) => m.Destination === '/workspace/models')).toMatchObject({
      Type: 'volume',
      Name: modelsVolumeName(instance),
    });
    expect(info.Mounts).toHaveLength(1);
    expect([info.Path, ...info.Args]).toEqual(serverCommand('offline-cpu', 1));
    expect(info.Config.Env).toEqual(
      expect.arrayContaining(['PYTHONUNBUFFERED=1', 'HOME=/tmp', 'MODELSCOPE_CACHE=/workspace/models']),
    );
    // Hardened, with the limits from the settings, and it downloaded its models and became ready all the same.
    expect(info.HostConfig).toMatchObject({
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: 1024,
      Memory: 3 * 1024 ** 3,
      NanoCpus: 1_000_000_000,
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=1g' },
    });
    const inside = await execIn(docker, status.container!.id, [
      'sh',
      '-c',
      'grep -E "^Cap(Eff|Bnd)|^NoNewPrivs" /proc/1/status; touch /workspace/FunASR/x 2>&1; ls /tmp/.modelscope/credentials',
    ]);
    expect(inside.output).toMatch(/CapBnd:\s+0{16}/);
    expect(inside.output).toMatch(/CapEff:\s+0{16}/);
    expect(inside.output).toMatch(/NoNewPrivs:\s+1/);
    expect(inside.output).toContain('Read-only file system');
    // The download tool's ModelScope session went to HOME on the scratch tmpfs.
    expect(inside.output).toMatch(/^session$/m);
    expect(info.Config.Labels[LABELS.managed]).toBe('true');

    const logs = await mgr.logs(500);
    // No server-wide hotwords: the empty file is read, and no word follows "hotwords:" before the port is bound.
    const hotwordsAt = logs.findIndex((line) => line.endsWith('] hotword path: /dev/null'));
    const sslAt = logs.findIndex((line) => line.endsWith('] SSL is closed!'));
    expect(hotwordsAt).toBeGreaterThan(0);
    expect(logs.slice(hotwordsAt + 1, sslAt).map((line) => line.replace(/^.*\] /, ''))).toEqual([
      'hotwords: ',
    ]);
    for (const id of MODEL_IDS) {
      expect(
        logs.some(
          (line) =>
            line.endsWith(`] Download model: ${id} from modelscope: `) ||
            line.endsWith(`] Download model: ${id} from modelscope : `),
        ),
      ).toBe(true);
    }
    firstModels = await modelFiles(docker, status.container!.id);
    for (const id of MODEL_IDS) {
      expect(firstModels.some((file) => file.startsWith(`/workspace/models/${id}/`))).toBe(true);
    }
  });

  it('transcribes a file through the running container, which it keeps although its models are now known', async () => {
    const before = await manager().status();
    const startedAt = (await docker.getContainer(before.container!.id).inspect()).State.StartedAt;
    const { endpoint } = await manager().ensureRunning({ image: pullRef });
    await expectBurstTranscript(endpoint);
    const after = await docker.getContainer(before.container!.id).inspect();
    expect(after.State.StartedAt).toBe(startedAt);
  });

  it('starts the second time with local model paths: no network, nothing fetched, then reused as it is', async () => {
    const first = await manager().status();
    await manager().stop();
    expect((await manager().status()).state).toBe('stopped');

    const progress: EngineProgress[] = [];
    const fresh = manager();
    await fresh.ensureRunning({ image: pullRef, onProgress: (p) => progress.push(p) });
    const again = await fresh.status();
    expect(again).toMatchObject({ state: 'ready', endpoint: first.endpoint });
    const info = await docker.getContainer(again.container!.id).inspect();
    const args = [info.Path, ...info.Args];
    for (const model of CATALOG['offline-cpu'].models) {
      expect(args[args.indexOf(model.flag) + 1]).toBe(`/workspace/models/${model.id}`);
    }
    expect(progress.some((p) => p.phase === 'download-model')).toBe(false);
    expect(progress.at(-1)?.phase).toBe('ready');
    const logs = await currentRunLogs(again.container!.id);
    // The server neither announces a download nor lets ModelScope ask the hub.
    expect(logs.some((line) => /Download model|modelscope|Downloading \[/.test(line))).toBe(false);
    expect(logs.some((line) => line.endsWith(`] Set model-dir : /workspace/models/${MODEL_IDS[1]}`))).toBe(
      true,
    );
    expect(await modelFiles(docker, again.container!.id)).toEqual(firstModels);

    // The next start reuses this container: the spec no longer changes.
    await fresh.stop();
    await manager().ensureRunning({ image: pullRef });
    expect((await manager().status()).container?.id).toBe(again.container!.id);
  });

  it('shares one start between concurrent callers', async () => {
    const mgr = manager();
    await mgr.stop();
    const states: EngineState[] = [];
    mgr.onStatus((status) => states.push(status.state));
    const [a, b] = await Promise.all([
      mgr.ensureRunning({ image: pullRef }),
      mgr.ensureRunning({ image: pullRef }),
    ]);
    expect(a).toEqual(b);
    expect(states.filter((state) => state === 'starting')).toHaveLength(1);
    expect(states.filter((state) => state === 'ready')).toHaveLength(1);
  });

  it('upgrades to another tag keeping the models', async () => {
    const before = await manager().status();
    const progress: EngineProgress[] = [];
    const mgr = manager();
    await mgr.ensureRunning({ image: UPGRADE_TAG, onProgress: (p) => progress.push(p) });
    const after = await mgr.status();
    expect(after.container?.id).not.toBe(before.container?.id);
    expect(after.image).toBe(UPGRADE_TAG);
    expect(await engine.inspect(before.container!.id)).toBeNull();
    expect(modelBytes(progress)).toEqual([]);
    const logs = await currentRunLogs(after.container!.id);
    expect(logs.some((line) => line.startsWith('Downloading ['))).toBe(false);
    expect(logs.some((line) => line.includes('Set punc-dir : /workspace/models/'))).toBe(true);
    expect(await modelFiles(docker, after.container!.id)).toEqual(firstModels);
  });

  it('notices a killed container through Docker events, sees it ready again, and transcribes', async () => {
    const mgr = manager();
    await mgr.ensureRunning({ image: UPGRADE_TAG });
    const states: EngineState[] = [];
    mgr.onStatus((status) => states.push(status.state));
    const unwatch = mgr.watch();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const { container } = await mgr.status();
      await docker.getContainer(container!.id).kill();
      await until(() => states.includes('failed'), 'the death to be noticed');
      await until(() => states.at(-1) === 'ready', 'the engine to be ready again');
      const status = await mgr.status();
      expect(status).toMatchObject({ state: 'ready', container: { id: container!.id } });
      await expectBurstTranscript(status.endpoint!);
    } finally {
      unwatch();
    }
  });
});
