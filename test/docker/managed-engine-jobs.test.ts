// The managed engine as users meet it, against the real Docker engine and the stand-in FunASR image:
// `funscribe engine start --image <local registry ref>`, then `funscribe transcribe` with no --server; and a container
// killed in the middle of an upload, after which the job is retried on the revived engine and nothing is lost.
import Dockerode from 'dockerode';
import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src-shared/types.js';
import { containerName } from '../../src-main/engine/container-spec.js';
import { MANAGED_ENGINE_ID } from '../../src-main/engine/pool/managed-pool-engine.js';
import { UPLOAD_SHARE } from '../../src-main/asr/utterance-transcriber.js';
import type { TranscribeRetry } from '../../src-main/jobs/transcription-runner.js';
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

/**
 * How long each step of the kill-and-retry test may take on a slow, loaded machine. The test waits for events, so
 * these only bound a hang; the test's own timeout is their sum.
 */
const DEADLINES = {
  /** Decoding two hours of audio until the upload begins. */
  decode: 180_000,
  /** A Docker event or a job event that follows at once from what the test did. */
  event: 60_000,
  /** The killed engine started again. */
  revive: 180_000,
  /** The second upload, recognition and speaker labelling of two hours of audio. */
  finish: 600_000,
};

/** The kill-and-retry test's own timeout, the last resort: every step's deadline, and time to make the audio. */
const KILL_TEST_TIMEOUT =
  Object.values(DEADLINES).reduce((sum, deadline) => sum + deadline) + 2 * DEADLINES.event;

/** Everything a source reported, kept so a test can wait for a value that may already have come. */
class EventLog<T> {
  readonly values: T[] = [];
  private readonly added = new EventEmitter();

  /** Records a value (pass it as the listener). */
  readonly add = (value: T): void => {
    this.values.push(value);
    this.added.emit('add');
  };

  /** The index of the first value from `from` on that passes `test`; fails naming `what` after `deadlineMs`. */
  async indexOf(test: (value: T) => boolean, what: string, deadlineMs: number, from = 0): Promise<number> {
    const deadline = AbortSignal.timeout(deadlineMs);
    for (let index = from; ;) {
      for (; index < this.values.length; index += 1) if (test(this.values[index]!)) return index;
      await once(this.added, 'add', { signal: deadline }).catch(() => {
        throw new Error(`Waited ${deadlineMs / 1000} s for ${what}.`);
      });
    }
  }
}

/** Passes on the action of every Docker event of the named container; resolves once Docker is sending them. */
async function followContainer(name: string, onAction: (action: string) => void): Promise<() => void> {
  const stopped = new AbortController();
  const stream = (await docker.getEvents({
    filters: { type: ['container'], container: [name] },
    abortSignal: stopped.signal,
  } as Dockerode.GetEventsOptions)) as NodeJS.ReadableStream;
  createInterface({ input: stream })
    .on('line', (line) => onAction((JSON.parse(line) as { Action: string }).Action))
    .on('error', () => undefined); // the stream ends in an "aborted" error when the test stops following it
  return () => stopped.abort();
}

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

  it(
    'retries a job whose engine was killed mid-upload once the engine is back, with nothing lost',
    {
      timeout: KILL_TEST_TIMEOUT,
    },
    async () => {
      const long = await repeatConversation(short, join(SPEECH, 'meeting-2h.wav'), 2 * 3_600_000);
      const jobs = new EventLog<JobInfo>();
      const retries = new EventLog<TranscribeRetry>();
      const engineEvents = new EventLog<string>();
      const engine = containerName('offline-cpu', instance);
      const stopFollowing = await followContainer(engine, engineEvents.add);
      const services = await createServices({
        dataDir: data.path,
        env: { ...process.env, ...env },
        onTranscribeRetry: retries.add,
      });
      services.queue.onUpdate(jobs.add);
      try {
        const job = services.queue.enqueue(long.wavPath, {
          serverUrl: null,
          hotwords: [],
          itn: true,
          allowSelfSignedTls: false,
        });
        const uploading = await jobs.indexOf(
          (info) => info.stage === 'transcribe' && info.progress > 0,
          'the upload to begin',
          DEADLINES.decode,
        );
        await docker.getContainer(engine).kill();
        const died = await engineEvents.indexOf(
          (action) => action === 'die',
          'the engine to die',
          DEADLINES.event,
        );
        await retries.indexOf(() => true, 'the job to be retried', DEADLINES.event);
        expect(retries.values[0]).toMatchObject({ jobId: job.id, attempt: 2, engineId: MANAGED_ENGINE_ID });
        const restarted = await jobs.indexOf(
          (info) => info.stage === 'transcribe' && info.progress === 0,
          'the transcription to start over',
          DEADLINES.event,
          uploading,
        );
        const firstAttempt = jobs.values.slice(uploading, restarted).map((info) => info.progress);
        expect(Math.max(...firstAttempt), 'the first upload was cut off').toBeLessThan(UPLOAD_SHARE);
        await engineEvents.indexOf(
          (action) => action === 'start',
          'the engine to start again',
          DEADLINES.revive,
          died,
        );
        const settled = await jobs.indexOf(
          (info) => info.status === 'done' || info.status === 'failed',
          'the job to finish',
          DEADLINES.finish,
          restarted,
        );

        expect(jobs.values[settled]!.error).toBeNull();
        expect(retries.values).toHaveLength(1);
        const stages = jobs.values.map((info) => info.stage);
        expect(stages.filter((stage, i) => stage === 'decode' && stages[i - 1] !== 'decode')).toHaveLength(1);
        const finished = services.jobs.get(job.id)!;
        expect(finished.status).toBe('done');
        const meeting = services.meetings.get(finished.meetingId!)!;
        expect(meeting.segments).toHaveLength(long.turns.length);
        expect(Math.abs(meeting.segments.at(-1)!.endMs - long.turns.at(-1)!.endMs)).toBeLessThanOrEqual(200);
      } finally {
        stopFollowing();
        await services.close();
      }
    },
  );
});
