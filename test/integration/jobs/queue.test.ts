import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobInfo, TranscribeSettings } from '../../../src-shared/types.js';
import { JobQueue, MAX_INTERRUPTED_ATTEMPTS, type JobRunner } from '../../../src-main/jobs/queue.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { JobRepository } from '../../../src-main/store/jobs-repo.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { FunscribeError } from '../../../src-main/util/errors.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const SETTINGS: TranscribeSettings = {
  serverUrl: 'ws://127.0.0.1:1',
  hotwords: [],
  itn: true,
  allowSelfSignedTls: false,
};

/** A promise with its resolve function, to hold a runner until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Waits until an abort signal fires, then throws the cancellation error a real stage throws. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (): void => reject(new FunscribeError('CANCELLED', 'Cancelled.'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

describe('JobQueue', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let db: Database.Database;
  let jobs: JobRepository;
  let meetings: MeetingRepository;

  /** A runner that stores a real (empty) meeting named after the file. */
  const saveMeeting = (file: string): { meetingId: number } => {
    const meeting = meetings.create({ title: file, source: file, durationMs: 0, speakers: [], segments: [] });
    return { meetingId: meeting.id };
  };

  beforeEach(async () => {
    dir = await makeTempDir('queue');
    db = openDatabase(join(dir.path, 'library.sqlite'));
    jobs = new JobRepository(db);
    meetings = new MeetingRepository(db);
  });

  afterEach(async () => {
    db.close();
    await dir.remove();
  });

  it('never runs more jobs at once than the concurrency setting and finishes all of them', async () => {
    let active = 0;
    let peak = 0;
    const gates = new Map<string, ReturnType<typeof gate>>();
    const run: JobRunner = async (job) => {
      active += 1;
      peak = Math.max(peak, active);
      const g = gate();
      gates.set(job.file, g);
      await g.promise;
      active -= 1;
      return saveMeeting(job.file);
    };
    const queue = new JobQueue({ jobs, run, concurrency: 2 });
    const added = ['a', 'b', 'c', 'd'].map((file) => queue.enqueue(file, SETTINGS));
    await new Promise((resolve) => setImmediate(resolve));
    expect([...gates.keys()]).toEqual(['a', 'b']);
    for (const file of ['a', 'b', 'c', 'd']) {
      while (!gates.has(file)) await new Promise((resolve) => setImmediate(resolve));
      gates.get(file)!.open();
    }
    await queue.whenIdle();
    expect(peak).toBe(2);
    expect(added.map((job) => jobs.get(job.id)!.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(added.every((job) => meetings.get(jobs.get(job.id)!.meetingId!) !== null)).toBe(true);
  });

  it('keeps going after a failing file and records its error code and message', async () => {
    const run: JobRunner = async (job) => {
      if (job.file === 'bad.mp3') throw new FunscribeError('UNREADABLE_MEDIA', 'bad.mp3 is not audio.');
      return saveMeeting(job.file);
    };
    const queue = new JobQueue({ jobs, run, concurrency: 1 });
    const [first, bad, last] = ['one.wav', 'bad.mp3', 'two.wav'].map((file) => queue.enqueue(file, SETTINGS));
    await queue.whenIdle();
    expect(jobs.get(first!.id)!.status).toBe('done');
    expect(jobs.get(bad!.id)).toMatchObject({
      status: 'failed',
      error: { code: 'UNREADABLE_MEDIA', message: 'bad.mp3 is not audio.' },
    });
    expect(jobs.get(last!.id)!.status).toBe('done');
  });

  it('reports stage changes and progress as events', async () => {
    const run: JobRunner = async (job, { report }) => {
      report('decode', 0.5);
      report('transcribe', 0.25);
      report('save', 0);
      return saveMeeting(job.file);
    };
    const queue = new JobQueue({ jobs, run, concurrency: 1 });
    const seen: Pick<JobInfo, 'status' | 'stage' | 'progress'>[] = [];
    queue.onUpdate(({ status, stage, progress }) => seen.push({ status, stage, progress }));
    queue.enqueue('x.wav', SETTINGS);
    await queue.whenIdle();
    expect(seen).toContainEqual({ status: 'running', stage: 'decode', progress: 0.5 });
    expect(seen).toContainEqual({ status: 'running', stage: 'transcribe', progress: 0.25 });
    expect(seen.at(-1)).toEqual({ status: 'done', stage: null, progress: 1 });
  });

  it('cancels a queued job without running it and a running job through its signal', async () => {
    const started: string[] = [];
    const run: JobRunner = async (job, { signal }) => {
      started.push(job.file);
      return untilAborted(signal);
    };
    const queue = new JobQueue({ jobs, run, concurrency: 1 });
    const running = queue.enqueue('running.wav', SETTINGS);
    const waiting = queue.enqueue('waiting.wav', SETTINGS);
    expect(queue.cancel(waiting.id).status).toBe('cancelled');
    queue.cancel(running.id);
    await queue.whenIdle();
    expect(started).toEqual(['running.wav']);
    expect(jobs.get(running.id)!.status).toBe('cancelled');
    expect(jobs.get(waiting.id)!.status).toBe('cancelled');
  });

  it('retries a failed job and refuses to retry a finished one', async () => {
    let calls = 0;
    const run: JobRunner = async (job) => {
      calls += 1;
      if (calls === 1) throw new FunscribeError('ASR_CONNECT_FAILED', 'Could not reach the server.');
      return saveMeeting(job.file);
    };
    const queue = new JobQueue({ jobs, run, concurrency: 1 });
    const job = queue.enqueue('flaky.wav', SETTINGS);
    await queue.whenIdle();
    expect(jobs.get(job.id)!.status).toBe('failed');
    expect(queue.retry(job.id).status).toBe('queued');
    await queue.whenIdle();
    expect(jobs.get(job.id)).toMatchObject({ status: 'done', error: null });
    expect(() => queue.retry(job.id)).toThrow(/only failed or cancelled/);
  });

  it('resumes jobs a crash left running, finishes saved ones, and gives up after repeated crashes', async () => {
    const interrupted = jobs.insert({ id: 'interrupted', file: 'a.wav', settings: SETTINGS });
    jobs.update(interrupted.id, { status: 'running', stage: 'transcribe', attempts: 1 });
    const saved = jobs.insert({ id: 'saved', file: 'b.wav', settings: SETTINGS });
    jobs.update(saved.id, {
      status: 'running',
      stage: 'save',
      attempts: 1,
      meetingId: saveMeeting('b.wav').meetingId,
    });
    const crashing = jobs.insert({ id: 'crashing', file: 'c.wav', settings: SETTINGS });
    jobs.update(crashing.id, { status: 'running', stage: 'decode', attempts: MAX_INTERRUPTED_ATTEMPTS });
    const waiting = jobs.insert({ id: 'waiting', file: 'd.wav', settings: SETTINGS });

    const ran: string[] = [];
    const run: JobRunner = async (job) => {
      ran.push(job.file);
      expect(job.settings).toEqual(SETTINGS);
      return saveMeeting(job.file);
    };
    const queue = new JobQueue({ jobs, run, concurrency: 1 });
    expect(queue.resumeInterrupted().map((job) => job.id)).toEqual([interrupted.id, waiting.id]);
    await queue.whenIdle();
    expect(ran).toEqual(['a.wav', 'd.wav']);
    expect(jobs.get(interrupted.id)!.status).toBe('done');
    expect(jobs.get(saved.id)!.status).toBe('done');
    expect(jobs.get(crashing.id)).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' } });
  });

  it('leaves a running job queued when the app closes, so the next start resumes it', async () => {
    const run: JobRunner = async (_job, { signal }) => untilAborted(signal);
    const queue = new JobQueue({ jobs, run, concurrency: 1 });
    const job = queue.enqueue('long.wav', SETTINGS);
    await new Promise((resolve) => setImmediate(resolve));
    await queue.close();
    expect(jobs.get(job.id)!.status).toBe('queued');
  });

  it('refuses a concurrency outside 1–16', () => {
    expect(() => new JobQueue({ jobs, run: async () => ({ meetingId: 1 }), concurrency: 0 })).toThrow(
      /1 to 16/,
    );
  });
});
