// The managed engine as users meet it, against the real Docker engine and the stand-in FunASR image:
// `funscribe engine start --image <local registry ref>`, then `funscribe transcribe` with no --server; and a container
// killed in the middle of an upload, after which the job is retried on the revived engine and nothing is lost.
import Dockerode from 'dockerode';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src-main/api/types.js';
import { containerName } from '../../src-main/engine/container-spec.js';
import { createServices } from '../../src-main/services.js';
import {
  generateConversation,
  MEETING_SCRIPT,
  repeatConversation,
  type Conversation,
} from '../fixtures/speech.js';
import { ensureSimImage } from '../helpers/docker-image.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SPEECH = join(import.meta.dirname, '../fixtures/generated/speech');
const docker = new Dockerode();

interface StatusJson {
  state: string;
  endpoint: string | null;
  port: number | null;
  container: { id: string; name: string } | null;
}

describe('the managed engine in real Docker', () => {
  const instance = `jobs-${randomUUID().slice(0, 8)}`;
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let env: NodeJS.ProcessEnv;
  let short: Conversation;

  beforeAll(async () => {
    const { registryRef } = await ensureSimImage();
    await mkdir(SPEECH, { recursive: true });
    short = await generateConversation(SPEECH, 'meeting-4-turns', MEETING_SCRIPT);
    data = await makeTempDir('managed');
    env = {
      FUNSCRIBE_ENGINE_INSTANCE: instance,
      FUNSCRIBE_IMAGE_OFFLINE_CPU: registryRef,
      FUNASR_SIM_DOWNLOAD_MS: '300',
    };
    const started = await runCli(data.path, ['engine', 'start', '--image', registryRef], env);
    expect(started.stderr).not.toMatch(/error/i);
    expect(started.code).toBe(0);
  });

  afterAll(async () => {
    const services = await createServices({ dataDir: data.path, env: { ...process.env, ...env } });
    await services.engine.remove({ keepModels: false });
    await services.close();
    await data.remove();
  });

  it('transcribes without --server on the engine it started, bound to 127.0.0.1 only', async () => {
    const result = await runCli(data.path, ['transcribe', short.wavPath, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as {
      meetings: { segments: { startMs: number }[] }[];
      errors: unknown[];
    };
    expect(json.errors).toEqual([]);
    expect(json.meetings[0]!.segments).toHaveLength(short.turns.length);

    const status = JSON.parse(
      (await runCli(data.path, ['engine', 'status', '--json'], env)).stdout,
    ) as StatusJson;
    expect(status.state).toBe('ready');
    expect(status.endpoint).toBe(`ws://127.0.0.1:${status.port}`);
    const inspected = await docker.getContainer(status.container!.id).inspect();
    const bindings = Object.values(inspected.HostConfig.PortBindings ?? {}).flat() as { HostIp: string }[];
    expect(bindings.length).toBeGreaterThan(0);
    expect(bindings.every((binding) => binding.HostIp === '127.0.0.1')).toBe(true);
    const published = Object.values(inspected.NetworkSettings.Ports ?? {}).flat() as { HostIp: string }[];
    expect(published.every((binding) => binding.HostIp === '127.0.0.1')).toBe(true);
  });

  it('retries a job whose engine was killed mid-upload once the engine is back, with nothing lost', async () => {
    const long = await repeatConversation(short, join(SPEECH, 'meeting-2h.wav'), 2 * 3_600_000);
    const services = await createServices({ dataDir: data.path, env: { ...process.env, ...env } });
    try {
      let killed = false;
      let decodeEntries = 0;
      let lastStage: JobInfo['stage'] = null;
      let lastProgress = 0;
      let restartedUpload = false;
      services.queue.onUpdate((job) => {
        if (job.stage === 'decode' && lastStage !== 'decode') decodeEntries += 1;
        if (killed && job.stage === 'transcribe' && job.progress < lastProgress) restartedUpload = true;
        lastStage = job.stage;
        lastProgress = job.progress;
        if (!killed && job.stage === 'transcribe' && job.progress > 0.02) {
          killed = true;
          void docker.getContainer(containerName('offline-cpu', instance)).kill();
        }
      });
      const job = services.queue.enqueue(long.wavPath, {
        serverUrl: null,
        hotwords: [],
        itn: true,
        allowSelfSignedTls: false,
      });
      await services.queue.whenIdle();
      const finished = services.jobs.get(job.id)!;
      expect(killed).toBe(true);
      expect(restartedUpload, 'the transcription was tried again after the kill').toBe(true);
      expect(finished.error).toBeNull();
      expect(finished.status).toBe('done');
      expect(decodeEntries).toBe(1);
      const meeting = services.meetings.get(finished.meetingId!)!;
      expect(meeting.segments).toHaveLength(long.turns.length);
      expect(Math.abs(meeting.segments.at(-1)!.endMs - long.turns.at(-1)!.endMs)).toBeLessThanOrEqual(200);
    } finally {
      await services.close();
    }
  });
});
