// Job ownership: every job names the process working on it and its heartbeat; other processes take over (or end) only
// the jobs of a process that is gone, each job exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TranscribeSettings } from '../../../src-shared/types.js';
import {
  currentOwner,
  isOwnerGone,
  processStartTime,
  STALE_HEARTBEAT_MS,
} from '../../../src-main/jobs/job-owner.js';
import { JobQueue, type JobRunner } from '../../../src-main/jobs/queue.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { JobRepository, type JobOwner } from '../../../src-main/store/jobs-repo.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { FunscribeError } from '../../../src-main/util/errors.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const SETTINGS: TranscribeSettings = {
  serverUrl: 'ws://127.0.0.1:1',
  hotwords: [],
  itn: true,
  allowSelfSignedTls: false,
};

/** Starts a node process that idles until killed. */
async function startIdleProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9); console.log("up")'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await once(child.stdout!, 'data');
  return child;
}

/** The identity of another, real process on this host. */
function ownerOf(child: ChildProcess): JobOwner {
  return {
    token: `other-${child.pid}`,
    pid: child.pid!,
    host: hostname(),
    startedAt: processStartTime(child.pid!),
  };
}

/** The owner of a process that has exited. */
async function deadOwner(): Promise<JobOwner> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const owner = { token: `dead-${child.pid}`, pid: child.pid!, host: hostname(), startedAt: '1' };
  await once(child, 'exit');
  return owner;
}

interface OwnerColumns {
  owner_token: string | null;
  owner_pid: number | null;
  owner_host: string | null;
  owner_started: string | null;
  heartbeat_at: number | null;
}

describe('job ownership', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let db: Database.Database;
  let jobs: JobRepository;
  let meetings: MeetingRepository;
  const children: ChildProcess[] = [];

  const ownerColumns = (id: string): OwnerColumns =>
    db
      .prepare(
        'SELECT owner_token, owner_pid, owner_host, owner_started, heartbeat_at FROM jobs WHERE id = ?',
      )
      .get(id) as OwnerColumns;

  const saveMeeting = (file: string): { meetingId: number } => ({
    meetingId: meetings.create({ title: file, source: file, durationMs: 0, speakers: [], segments: [] }).id,
  });

  /** A job some process left running. */
  const leftRunning = (id: string, owner: JobOwner): void => {
    jobs.insert({ id, file: `${id}.wav`, settings: SETTINGS, owner });
    jobs.update(id, { status: 'running', stage: 'transcribe', attempts: 1 });
  };

  beforeEach(async () => {
    dir = await makeTempDir('owner');
    db = openDatabase(join(dir.path, 'library.sqlite'));
    jobs = new JobRepository(db);
    meetings = new MeetingRepository(db);
  });

  afterEach(async () => {
    vi.useRealTimers();
    for (const child of children.splice(0)) child.kill('SIGKILL');
    db.close();
    await dir.remove();
  });

  it('stores the owner with each job and renews its heartbeat only while jobs are queued or running', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    let finish = (): void => undefined;
    const run: JobRunner = (job) => new Promise((resolve) => (finish = () => resolve(saveMeeting(job.file))));
    const queue = new JobQueue({ jobs, run, concurrency: 1, heartbeatMs: 1000 });
    const job = queue.enqueue('a.wav', SETTINGS);
    const stored = ownerColumns(job.id);
    expect(stored).toMatchObject({
      owner_pid: process.pid,
      owner_host: hostname(),
      owner_started: processStartTime(process.pid),
    });
    expect(stored.owner_started).toMatch(/^\d+$/);
    const first = stored.heartbeat_at!;
    vi.advanceTimersByTime(3000);
    expect(ownerColumns(job.id).heartbeat_at).toBe(first + 3000);
    finish();
    await queue.whenIdle();
    vi.advanceTimersByTime(3000);
    expect(ownerColumns(job.id).heartbeat_at).toBe(first + 3000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('tells a gone owner from a live one: dead pid, reused pid, other host by heartbeat', async () => {
    const live = await startIdleProcess();
    children.push(live);
    const now = Date.now();
    const fresh = { ...ownerOf(live), heartbeatAt: now - 1000 };
    expect(isOwnerGone(fresh, now)).toBe(false);
    expect(isOwnerGone({ ...fresh, heartbeatAt: now - 10 * STALE_HEARTBEAT_MS }, now)).toBe(false);
    expect(isOwnerGone({ ...fresh, startedAt: `${fresh.startedAt}1` }, now)).toBe(true);
    expect(isOwnerGone({ ...(await deadOwner()), heartbeatAt: now }, now)).toBe(true);
    const remote = { ...fresh, host: `not-${hostname()}` };
    expect(isOwnerGone(remote, now)).toBe(false);
    expect(isOwnerGone({ ...remote, heartbeatAt: now - STALE_HEARTBEAT_MS - 1 }, now)).toBe(true);
    const noStartTime = { ...fresh, startedAt: null };
    expect(isOwnerGone(noStartTime, now)).toBe(false);
    expect(isOwnerGone({ ...noStartTime, heartbeatAt: now - STALE_HEARTBEAT_MS - 1 }, now)).toBe(true);
  });

  it("resumes a gone owner's jobs but never a live process's", async () => {
    const live = await startIdleProcess();
    children.push(live);
    leftRunning('live', ownerOf(live));
    leftRunning('dead', await deadOwner());
    const ran: string[] = [];
    const run: JobRunner = async (job) => {
      ran.push(job.file);
      return saveMeeting(job.file);
    };
    const queue = new JobQueue({ jobs, run, concurrency: 1 });
    expect(queue.resumeInterrupted().map((job) => job.id)).toEqual(['dead']);
    await queue.whenIdle();
    expect(ran).toEqual(['dead.wav']);
    expect(jobs.get('live')).toMatchObject({ status: 'running', attempts: 1 });
    expect(ownerColumns('live').owner_pid).toBe(live.pid);

    live.kill('SIGKILL');
    await once(live, 'exit');
    expect(queue.resumeInterrupted().map((job) => job.id)).toEqual(['live']);
    await queue.whenIdle();
    expect(ran).toEqual(['dead.wav', 'live.wav']);
    expect(jobs.get('live')).toMatchObject({ status: 'done', attempts: 2 });
    expect(ownerColumns('live').owner_pid).toBe(process.pid);
  });

  it("refuses to cancel another live process's job and leaves its own queue as it was", async () => {
    const other = openDatabase(join(dir.path, 'library.sqlite'));
    try {
      const hold: JobRunner = (_job, { signal }) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new FunscribeError('CANCELLED', 'Cancelled.'))),
        );
      const cli = new JobQueue({ jobs: new JobRepository(other), run: hold, concurrency: 1 });
      const [running, waiting] = ['a.wav', 'b.wav'].map((file) => cli.enqueue(file, SETTINGS));
      const app = new JobQueue({ jobs, run: hold, concurrency: 1 });
      const own = app.enqueue('mine.wav', SETTINGS);
      const own2 = app.enqueue('mine-too.wav', SETTINGS);
      expect(() => app.cancel(waiting!.id)).toThrow(/Another FunScribe process/);
      expect(() => app.cancel(running!.id)).toThrow(/Another FunScribe process/);
      expect(jobs.get(waiting!.id)!.status).toBe('queued');
      expect(jobs.get(own2.id)!.status).toBe('queued');
      await Promise.all([cli.close(), app.close()]);
      expect(jobs.get(own.id)!.status).toBe('queued');
    } finally {
      other.close();
    }
  });

  it('lets only one of two processes take over a dead owner’s job', async () => {
    const owner = await deadOwner();
    for (const id of ['a', 'b', 'c']) leftRunning(id, owner);
    const other = openDatabase(join(dir.path, 'library.sqlite'));
    try {
      const ran: string[] = [];
      const run: JobRunner = async (job) => {
        ran.push(job.file);
        return saveMeeting(job.file);
      };
      const first = new JobQueue({ jobs, run, concurrency: 1 });
      const second = new JobQueue({ jobs: new JobRepository(other), run, concurrency: 1 });
      expect(first.resumeInterrupted()).toHaveLength(3);
      expect(second.resumeInterrupted()).toEqual([]);
      await Promise.all([first.whenIdle(), second.whenIdle()]);
      expect(ran.sort()).toEqual(['a.wav', 'b.wav', 'c.wav']);
      expect(meetings.count()).toBe(3);
    } finally {
      other.close();
    }
  });

  it('a one-shot command fails a killed process’s jobs, keeps a saved one, and leaves the rest alone', async () => {
    const live = await startIdleProcess();
    children.push(live);
    const dead = await deadOwner();
    leftRunning('dead-running', dead);
    jobs.insert({ id: 'dead-queued', file: 'q.wav', settings: SETTINGS, owner: dead });
    leftRunning('dead-saved', dead);
    jobs.update('dead-saved', { meetingId: saveMeeting('s.wav').meetingId });
    leftRunning('live', ownerOf(live));
    jobs.insert({ id: 'ownerless', file: 'o.wav', settings: SETTINGS });
    const run: JobRunner = () => Promise.reject(new FunscribeError('INVALID_ARGUMENT', 'must not run'));
    const queue = new JobQueue({ jobs, run, concurrency: 1 });
    expect(queue.failAbandoned().map((job) => job.id)).toEqual(['dead-running', 'dead-queued', 'dead-saved']);
    expect(jobs.get('dead-running')).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' } });
    expect(jobs.get('dead-running')!.error!.message).toContain(`process ${dead.pid}`);
    expect(jobs.get('dead-queued')).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' } });
    expect(jobs.get('dead-saved')!.status).toBe('done');
    expect(jobs.get('live')!.status).toBe('running');
    expect(jobs.get('ownerless')!.status).toBe('queued');
  });

  it('leaves its unfinished jobs to nobody when it closes, and a retried job becomes its own', async () => {
    const run: JobRunner = (_job, { signal }) =>
      new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(new FunscribeError('CANCELLED', 'Cancelled.'))),
      );
    const queue = new JobQueue({ jobs, run, concurrency: 1 });
    const running = queue.enqueue('running.wav', SETTINGS);
    const waiting = queue.enqueue('waiting.wav', SETTINGS);
    await queue.close();
    for (const job of [running, waiting]) {
      expect(jobs.get(job.id)!.status).toBe('queued');
      expect(ownerColumns(job.id).owner_token).toBe(null);
    }

    leftRunning('failed', await deadOwner());
    jobs.update('failed', { status: 'failed', error: { code: 'INTERRUPTED', message: 'stopped' } });
    const me = currentOwner();
    const retrying = new JobQueue({
      jobs,
      run: async (job) => saveMeeting(job.file),
      concurrency: 1,
      owner: me,
    });
    retrying.retry('failed');
    expect(ownerColumns('failed')).toMatchObject({ owner_token: me.token, owner_pid: process.pid });
    await retrying.whenIdle();
    expect(jobs.get('failed')!.status).toBe('done');
  });
});
