// The stand-in FunASR image against the real Docker engine and the local registry: first-start model download into
// a named volume, a transcription through the published port, reuse of the models, a failed download,
// run_server.sh as the docs use it, and a push/pull round trip.
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSimImage, registryAddress } from '../helpers/docker-image.js';
import { execIn } from './engine/engine-test-kit.js';
import { burstPcm, connect, sendPcm } from '../unit/funasr-sim/sim-client.js';

const docker = new Docker();
const RUN = randomBytes(4).toString('hex');
const LABELS = { 'funscribe.test': `image-test-${RUN}` };
const BIN = '/workspace/FunASR/runtime/websocket/build/bin';
const READY = /asr model init finished\. listen on port:10095$/;
const ASR = 'iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx';
const VAD = 'iic/speech_fsmn_vad_zh-cn-16k-common-onnx';
const PUNC = 'iic/punc_ct-transformer_cn-en-common-vocab471067-large-onnx';
const SERVER_ARGS = [
  '--port',
  '10095',
  '--certfile',
  '0',
  '--download-model-dir',
  '/workspace/models',
].concat(['--model-dir', ASR, '--vad-dir', VAD, '--punc-dir', PUNC, '--itn-dir', '', '--lm-dir', '']);

let image: { localTag: string; registryRef: string };

/** Every log line of a container (stdout and stderr), with a wait for a line matching a pattern. */
class ContainerLog {
  readonly lines: string[] = [];
  private ended = false;
  private readonly waiters = new Set<() => void>();

  constructor(stream: NodeJS.ReadableStream) {
    const collect = new PassThrough();
    let partial = '';
    collect.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts);
      this.wake();
    });
    docker.modem.demuxStream(stream, collect, collect);
    stream.on('end', () => {
      if (partial) this.lines.push(partial);
      this.ended = true;
      this.wake();
    });
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** Resolves with the index of the first line matching `pattern`; rejects if the container's output ends first. */
  async waitFor(pattern: RegExp): Promise<number> {
    for (;;) {
      const index = this.lines.findIndex((line) => pattern.test(line));
      if (index >= 0) return index;
      if (this.ended) throw new Error(`no line matching ${pattern}; log:\n${this.lines.join('\n')}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
  }
}

async function createVolume(name: string): Promise<string> {
  const volume = `funscribe-imgtest-${RUN}-${name}`;
  await docker.createVolume({ Name: volume, Labels: LABELS });
  return volume;
}

/** Creates and starts a container of the image with port 10095 on an ephemeral 127.0.0.1 port. */
async function start(
  cmd: string[],
  options: { volume?: string; env?: string[] } = {},
): Promise<{ container: Docker.Container; log: ContainerLog; port: number }> {
  const container = await docker.createContainer({
    Image: image.localTag,
    Cmd: cmd,
    Env: ['FUNASR_SIM_DOWNLOAD_MS=300', ...(options.env ?? [])],
    Labels: LABELS,
    ExposedPorts: { '10095/tcp': {} },
    HostConfig: {
      PortBindings: { '10095/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
      Binds: options.volume ? [`${options.volume}:/workspace/models`] : [],
    },
  });
  await container.start();
  const stream = await container.logs({ follow: true, stdout: true, stderr: true });
  const info = await container.inspect();
  const binding = info.NetworkSettings.Ports['10095/tcp']?.[0];
  return { container, log: new ContainerLog(stream), port: Number(binding?.HostPort ?? 0) };
}

beforeAll(async () => {
  image = await ensureSimImage();
});

afterAll(async () => {
  const filters = { label: [`funscribe.test=image-test-${RUN}`] };
  for (const info of await docker.listContainers({ all: true, filters })) {
    await docker.getContainer(info.Id).remove({ force: true });
  }
  for (const volume of (await docker.listVolumes({ filters })).Volumes ?? []) {
    await docker.getVolume(volume.Name).remove();
  }
});

describe('stand-in FunASR image', () => {
  it('downloads the models on first start, transcribes, and reuses the models on the next start', async () => {
    const volume = await createVolume('models');
    const first = await start([`${BIN}/funasr-wss-server`, ...SERVER_ARGS], { volume });
    const ready = await first.log.waitFor(READY);
    const text = first.log.lines;
    const downloadAsr = text.findIndex((l) => l.endsWith(`] Download model: ${ASR} from modelscope: `));
    const progress = text.findIndex((l) =>
      /^Downloading \[model_quant\.onnx\]: 100%\|█{10}\| 234M\/234M /.test(l),
    );
    const setAsr = text.findIndex((l) => l.endsWith(`] Set model-dir : /workspace/models/${ASR}`));
    expect(downloadAsr).toBeGreaterThan(0);
    expect(progress).toBeGreaterThan(downloadAsr);
    expect(setAsr).toBeGreaterThan(progress);
    expect(ready).toBeGreaterThan(setAsr);

    const client = await connect(`ws://127.0.0.1:${first.port}`);
    client.ws.send(
      JSON.stringify({ mode: 'offline', wav_name: 'tones', wav_format: 'pcm', audio_fs: 16000 }),
    );
    sendPcm(
      client.ws,
      burstPcm(4000, [
        { start: 500, end: 1800 },
        { start: 2600, end: 3500 },
      ]),
    );
    client.ws.send(JSON.stringify({ is_speaking: false }));
    const reply = JSON.parse(await client.reply(0)) as { mode: string; wav_name: string; timestamp: string };
    client.close();
    expect(reply).toMatchObject({ mode: 'offline', wav_name: 'tones' });
    const stamps = JSON.parse(reply.timestamp) as [number, number][];
    expect(stamps.length).toBeGreaterThan(1);
    expect(stamps[0]?.[0]).toBeGreaterThanOrEqual(400);
    expect(stamps.at(-1)?.[1]).toBeLessThanOrEqual(3600);

    await first.container.stop({ t: 5 });
    expect((await first.container.inspect()).State.ExitCode).toBe(0);

    const again = await start([`${BIN}/funasr-wss-server`, ...SERVER_ARGS], { volume });
    await again.log.waitFor(READY);
    expect(again.log.lines.some((l) => l.startsWith('Downloading ['))).toBe(false);
    expect(again.log.lines.some((l) => l.endsWith(`] Set model-dir : /workspace/models/${ASR}`))).toBe(true);
    await again.container.stop({ t: 5 });
  });

  it('exits with 255 and "do not exists." when a model download fails', async () => {
    const volume = await createVolume('failing');
    const { container, log } = await start([`${BIN}/funasr-wss-server`, ...SERVER_ARGS], {
      volume,
      env: ['FUNASR_SIM_DOWNLOAD_FAIL=punc_ct-transformer'],
    });
    await log.waitFor(new RegExp(`/workspace/models/${PUNC}/model_quant\\.onnx do not exists\\.$`));
    expect((await container.wait()).StatusCode).toBe(255);
    expect(log.lines.some((l) => l.includes('Failed to download model from modelscope.'))).toBe(true);
    expect(log.lines.some((l) => READY.test(l))).toBe(false);
  });

  it('run_server.sh starts the server in the background like the real script', async () => {
    const script = 'cd /workspace/FunASR/runtime && bash run_server.sh --certfile 0 --itn-dir "" --lm-dir ""';
    const { container, log } = await start([
      '/bin/sh',
      '-c',
      `${script} > /workspace/log.txt 2>&1; echo "script returned $?"; exec sleep 600`,
    ]);
    await log.waitFor(/^script returned 0$/);
    let serverLog = '';
    while (!READY.test(serverLog.trimEnd().split('\n').at(-1) ?? '')) {
      serverLog = (await execIn(docker, container.id, ['cat', '/workspace/log.txt'])).output;
      await sleep(100);
    }
    expect(serverLog).toContain(`Set model-dir : /workspace/models/${ASR}`);
    expect(serverLog).toContain('hotword path: /workspace/FunASR/runtime/websocket/hotwords.txt');
    expect(serverLog).toContain('SSL is closed!');
    expect((await execIn(docker, container.id, ['ps'])).output).toMatch(
      /node \/opt\/funasr-sim\/sim\.mjs --protocol offline/,
    );
    const config = JSON.parse(
      (await execIn(docker, container.id, ['cat', '/workspace/.config/server_config'])).output,
    ) as {
      server: Record<string, string>[];
    };
    expect(config.server[0]).toMatchObject({
      exec: `${BIN}/funasr-wss-server`,
      '--certfile': '',
      '--keyfile': '',
      '--port': '10095',
    });
    const rejected = await execIn(docker, container.id, [
      'sh',
      '-c',
      'cd /workspace/FunASR/runtime && sh run_server.sh --listen-ip 127.0.0.1',
    ]);
    expect(rejected.code).toBe(1);
    expect(rejected.output).toContain('invalid option --listen-ip');
    await container.remove({ force: true });
  });

  it('pulls the pushed image back from the local registry', async () => {
    const ref = `${registryAddress()}/funscribe/funasr-sim:image-test-pullback`;
    const [repo, tag] = [ref.slice(0, ref.lastIndexOf(':')), ref.slice(ref.lastIndexOf(':') + 1)];
    await docker.getImage(image.localTag).tag({ repo, tag });
    const pushed = await docker.getImage(ref).push({ authconfig: { serveraddress: registryAddress() } });
    await new Promise((resolve, reject) =>
      docker.modem.followProgress(pushed, (error: Error | null) => (error ? reject(error) : resolve(null))),
    );
    await docker.getImage(ref).remove();
    await expect(docker.getImage(ref).inspect()).rejects.toMatchObject({ statusCode: 404 });

    const events: { status?: string }[] = [];
    const stream = await docker.pull(ref);
    await new Promise((resolve, reject) =>
      docker.modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(error) : resolve(null)),
        (event: { status?: string }) => events.push(event),
      ),
    );
    expect(events.some((e) => e.status?.startsWith('Digest: sha256:'))).toBe(true);
    expect(events.at(-1)?.status).toBe(`Status: Downloaded newer image for ${ref}`);
    expect((await docker.getImage(ref).inspect()).Id).toBe(
      (await docker.getImage(image.localTag).inspect()).Id,
    );
    await docker.getImage(ref).remove();

    await expect(docker.pull(`${registryAddress()}/funscribe/funasr-sim:no-such-tag`)).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
