// The job pipeline with the engine pool: a killed engine mid-transcription, a dead engine next to a live one, errors
// that are not the connection's, and the explicit --server path. Real ffmpeg, SQLite, websockets and processes.
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Meeting, TranscribeSettings } from '../../../src-shared/types.js';
import { EnginePool } from '../../../src-main/engine/pool/engine-pool.js';
import type { PoolEngine } from '../../../src-main/engine/pool/pool-types.js';
import { startSimServer, type SimServer } from '../../funasr-sim/server.js';
import { generateConversation, MEETING_SCRIPT, type Conversation } from '../../fixtures/speech.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { decodeEntries, startPipeline, type Pipeline } from './pipeline.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');
const TOLERANCE_MS = 200;
const POOLED: TranscribeSettings = { serverUrl: null, hotwords: [], itn: true, allowSelfSignedTls: false };

/** A remote engine entry with one slot. */
const remote = (id: string, url: string): PoolEngine => ({
  id,
  url,
  concurrency: 1,
  allowSelfSignedTls: false,
});

let conversation: Conversation;
let data: Awaited<ReturnType<typeof makeTempDir>>;
let pipeline: Pipeline | null = null;
let pool: EnginePool | null = null;
const processes: SimProcess[] = [];
const sims: SimServer[] = [];

/** A pipeline over a fresh library, with a pool of `engines` (fast re-checks, bounded wait). */
async function pooledPipeline(engines: PoolEngine[], unavailableTimeoutMs = 30_000): Promise<Pipeline> {
  pool = new EnginePool({ engines, recheck: { firstMs: 50, maxMs: 400 }, unavailableTimeoutMs });
  pipeline = await startPipeline(join(data.path, String(Date.now())), pool);
  return pipeline;
}

/** An in-process stand-in server, closed after the test. */
async function startSim(options: Parameters<typeof startSimServer>[0]): Promise<SimServer> {
  const sim = await startSimServer(options);
  sims.push(sim);
  return sim;
}

/** Checks that the meeting has one sentence per spoken turn, where the speech really is. */
function expectRightSentences(meeting: Meeting): void {
  expect(meeting.segments).toHaveLength(conversation.turns.length);
  for (const [index, turn] of conversation.turns.entries()) {
    const segment = meeting.segments[index]!;
    expect(Math.abs(segment.startMs - turn.startMs), `turn ${index} start`).toBeLessThanOrEqual(TOLERANCE_MS);
    expect(Math.abs(segment.endMs - turn.endMs), `turn ${index} end`).toBeLessThanOrEqual(TOLERANCE_MS);
  }
}

beforeAll(async () => {
  await mkdir(GENERATED, { recursive: true });
  conversation = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  data = await makeTempDir('runner-retry');
});

beforeEach(() => {
  pipeline = null;
  pool = null;
});

afterEach(async () => {
  pool?.close();
  await pipeline?.close();
  await Promise.all(processes.splice(0).map((sim) => sim.stop()));
  await Promise.all(sims.splice(0).map((sim) => sim.close()));
});

afterAll(async () => {
  await data?.remove();
});

describe('transcription runner with the engine pool', () => {
  it('finishes a job whose engine was killed while it waited for the reply, re-sending the same decoded PCM', async () => {
    const slow = await startSimProcess(['--fault', 'slow-reply', '--slow-reply-ms', '60000']);
    processes.push(slow);
    const { queue, jobs, meetings, updates, retries } = await pooledPipeline([remote('team', slow.url)]);
    let restarted: Promise<SimProcess> | null = null;
    const restart = async (): Promise<SimProcess> => {
      while (!slow.logs.some((line) => line.includes('client done'))) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      slow.child.kill('SIGKILL');
      await once(slow.child, 'exit');
      const fresh = await startSimProcess(['--port', String(slow.port)]);
      processes.push(fresh);
      return fresh;
    };
    queue.onUpdate((job) => {
      if (!restarted && job.stage === 'transcribe' && job.progress >= 0.3) restarted = restart();
    });
    const job = queue.enqueue(conversation.wavPath, POOLED);
    await queue.whenIdle();
    const fresh = await restarted!;

    const done = jobs.get(job.id)!;
    expect(done).toMatchObject({ status: 'done', error: null });
    expectRightSentences(meetings.get(done.meetingId!)!);
    expect(retries).toEqual([
      {
        jobId: job.id,
        attempt: 2,
        engineId: 'team',
        error: expect.objectContaining({ code: 'ASR_CONNECTION_LOST' }),
      },
    ]);
    expect(decodeEntries(updates, job.id)).toBe(1);
    const afterLoss = updates.slice(updates.findIndex((u) => u.stage === 'transcribe' && u.progress >= 0.3));
    expect(afterLoss).toContainEqual(
      expect.objectContaining({ stage: 'transcribe', progress: 0, error: null }),
    );

    // The 16 kHz mono WAV decodes to its own samples: the PCM is the file without its 44-byte header.
    const pcmBytes = (await stat(conversation.wavPath)).size - 44;
    const received = fresh.logs.flatMap((line) => /buffer\.size=(\d+)/.exec(line)?.[1] ?? []).map(Number);
    expect(received).toContain(pcmBytes);
  });

  it('moves a file to the next healthy engine when the first one cannot be reached', async () => {
    const dead = await startSim({ protocol: 'offline', port: 0, log: () => undefined });
    await dead.close();
    const live = await startSim({ protocol: 'offline', port: 0, log: () => undefined });
    const { queue, jobs, meetings, retries } = await pooledPipeline([
      remote('dead', dead.url),
      remote('live', live.url),
    ]);
    const job = queue.enqueue(conversation.wavPath, POOLED);
    await queue.whenIdle();
    const done = jobs.get(job.id)!;
    expect(done.status).toBe('done');
    expectRightSentences(meetings.get(done.meetingId!)!);
    expect(retries.map(({ attempt, engineId, error }) => ({ attempt, engineId, code: error.code }))).toEqual([
      { attempt: 2, engineId: 'dead', code: 'ASR_CONNECT_FAILED' },
    ]);
    expect(live.sessions).toHaveLength(1);
    expect(pool!.statuses().map(({ id, healthy }) => ({ id, healthy }))).toEqual([
      { id: 'dead', healthy: false },
      { id: 'live', healthy: true },
    ]);
  });

  it('fails without a retry on an error that is not the connection, and removes the decoded audio', async () => {
    const odd = await startSim({
      protocol: 'offline',
      port: 0,
      log: () => undefined,
      faults: ['invalid-json'],
    });
    const { queue, jobs, audioDir, retries } = await pooledPipeline([remote('odd', odd.url)]);
    const job = queue.enqueue(conversation.wavPath, POOLED);
    await queue.whenIdle();
    expect(jobs.get(job.id)).toMatchObject({ status: 'failed', error: { code: 'ASR_BAD_REPLY' } });
    expect(retries).toEqual([]);
    expect(odd.sessions).toHaveLength(1);
    expect(await readdir(audioDir)).toEqual([]);
  });

  it('fails with ENGINE_UNAVAILABLE when the engine does not come back in time, and removes the decoded audio', async () => {
    const flaky = await startSim({
      protocol: 'offline',
      port: 0,
      log: () => undefined,
      faults: ['drop-mid-stream'],
    });
    const { queue, jobs, audioDir, retries } = await pooledPipeline([remote('flaky', flaky.url)], 500);
    const job = queue.enqueue(conversation.wavPath, POOLED);
    await queue.whenIdle();
    const failed = jobs.get(job.id)!;
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'ENGINE_UNAVAILABLE' } });
    expect(failed.error!.message).toContain(`flaky (${flaky.url}): The connection to the FunASR server`);
    expect(retries.map((retry) => retry.error.code)).toEqual(['ASR_CONNECTION_LOST']);
    expect(await readdir(audioDir)).toEqual([]);
  });

  it('talks to exactly the server a job names, without a pool, and refuses a job with neither', async () => {
    const sim = await startSim({ protocol: 'offline', port: 0, log: () => undefined });
    pipeline = await startPipeline(join(data.path, 'explicit'), undefined);
    const named = pipeline.queue.enqueue(conversation.wavPath, { ...POOLED, serverUrl: sim.url });
    const orphan = pipeline.queue.enqueue(conversation.wavPath, POOLED);
    await pipeline.queue.whenIdle();
    const done = pipeline.jobs.get(named.id)!;
    expect(done.status).toBe('done');
    expect(existsSync(pipeline.meetings.get(done.meetingId!)!.audioPath!)).toBe(true);
    expect(pipeline.jobs.get(orphan.id)).toMatchObject({
      status: 'failed',
      error: { code: 'INVALID_ARGUMENT' },
    });
    expect(sim.sessions).toHaveLength(1);
  });
});
