// The job queue: one persisted job per file, run with bounded concurrency, with progress, cancel, retry and crash-resume.
// Every job carries its owner (this process) and a heartbeat, so other processes on the library leave it alone.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { concurrency } from '../../src-shared/schemas/rules.js';
import type { JobInfo, JobStage, TranscribeSettings } from '../../src-shared/types.js';
import { overallProgress, remainingMs } from '../store/job-progress.js';
import type { JobOwner, JobRepository, StoredOwner } from '../store/jobs-repo.js';
import { FunscribeError, toErrorInfo } from '../util/errors.js';
import { parseOrThrow } from '../util/validation.js';
import { currentOwner, HEARTBEAT_INTERVAL_MS, isOwnerGone } from './job-owner.js';

/** What a runner gets besides the job: a cancel signal and a way to report its stage and progress. */
export interface JobContext {
  signal: AbortSignal;
  report(stage: JobStage, progress: number): void;
}

/** The job as a runner sees it. */
export interface JobSpec {
  id: string;
  file: string;
  settings: TranscribeSettings;
}

/** Does the work of one job and returns the stored meeting's id. It must store the meeting with `saveJobMeeting`. */
export type JobRunner = (job: JobSpec, context: JobContext) => Promise<{ meetingId: number }>;

/** How often a job may be interrupted by a crash before it is failed instead of resumed again. */
export const MAX_INTERRUPTED_ATTEMPTS = 3;

/** Options of the queue; the repository persists every state change. */
export interface JobQueueOptions {
  jobs: JobRepository;
  run: JobRunner;
  concurrency: number;
  /** Who this queue's jobs belong to (default: this process). */
  owner?: JobOwner;
  /** How often the heartbeat of this queue's queued and running jobs is renewed, in ms. */
  heartbeatMs?: number;
}

/** Runs jobs in order with at most `concurrency` at once; state lives in the jobs table so a crash loses nothing. */
export class JobQueue {
  private readonly events = new EventEmitter();
  private readonly running = new Map<string, AbortController>();
  private readonly waiting: string[] = [];
  private readonly live = new Map<string, JobInfo>();
  /** When each running job started (performance.now() ms), for the time-left estimate. */
  private readonly startedAt = new Map<string, number>();
  private readonly settled = new Set<Promise<void>>();
  private concurrency: number;
  private closing = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly owner: JobOwner;

  constructor(private readonly options: JobQueueOptions) {
    this.concurrency = validConcurrency(options.concurrency);
    this.owner = options.owner ?? currentOwner();
  }

  /** Calls `listener` with every job change; returns the unsubscribe function. */
  onUpdate(listener: (job: JobInfo) => void): () => void {
    this.events.on('update', listener);
    return () => this.events.off('update', listener);
  }

  /** Adds a file to the end of the queue, with the SHA-256 of its bytes when known (see audio/content-hash.ts). */
  enqueue(file: string, settings: TranscribeSettings, contentHash: string | null = null): JobInfo {
    const job = this.options.jobs.insert({
      id: randomUUID(),
      file,
      settings,
      owner: this.owner,
      contentHash,
    });
    this.emit(job);
    this.waiting.push(job.id);
    this.pump();
    return job;
  }

  /**
   * At start-up of the app: takes over the queued and running jobs that nobody owns or whose owner is gone (a live
   * process's jobs are left alone), re-queues them and returns them. Jobs saved before the stop are marked done.
   */
  resumeInterrupted(): JobInfo[] {
    const resumed: JobInfo[] = [];
    this.options.jobs.immediately(() => {
      for (const job of this.takeAbandoned(this.owner, true)) {
        if (job.meetingId !== null) {
          this.save(job.id, { status: 'done', stage: null, progress: 1 });
        } else if (job.status === 'running' && job.attempts >= MAX_INTERRUPTED_ATTEMPTS) {
          const message = `FunScribe stopped ${job.attempts} times while working on this file, so it was not tried again. Use Retry to try once more.`;
          this.save(job.id, { status: 'failed', error: { code: 'INTERRUPTED', message } });
        } else {
          resumed.push(this.save(job.id, { status: 'queued', stage: null, progress: 0 }));
          this.waiting.push(job.id);
        }
      }
    });
    this.pump();
    return resumed;
  }

  /**
   * At start-up of a one-shot command: the queued and running jobs of a process that is gone (killed) end as failed
   * with INTERRUPTED, or done when their meeting was saved, so none stays running. Jobs without an owner (left
   * queued by an app that closed) stay for the app. Returns the jobs it changed.
   */
  failAbandoned(): JobInfo[] {
    return this.options.jobs.immediately(() =>
      this.takeAbandoned(null, false).map(({ id, meetingId, owner }) =>
        meetingId !== null
          ? this.save(id, { status: 'done', stage: null, progress: 1 })
          : this.save(id, { status: 'failed', stage: null, error: interruptedError(owner) }),
      ),
    );
  }

  /** Cancels a job this queue runs or is about to run; finished jobs are left as they are, others' jobs refused. */
  cancel(id: string): JobInfo {
    const job = this.require(id);
    const controller = this.running.get(id);
    if (controller) {
      controller.abort();
    } else if (this.waiting.includes(id)) {
      this.waiting.splice(this.waiting.indexOf(id), 1);
      this.updateHeartbeat();
      return this.save(id, { status: 'cancelled', stage: null });
    } else if (job.status === 'queued' || job.status === 'running') {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        'Another FunScribe process is transcribing this file; stop that process (Ctrl-C in its terminal) to cancel it.',
        { params: { reason: 'otherProcess' } },
      );
    }
    return this.require(id);
  }

  /** Cancels every job this queue is running or about to run (as on Ctrl-C). */
  cancelAll(): void {
    for (const id of [...this.waiting, ...this.running.keys()]) this.cancel(id);
  }

  /** Puts a failed or cancelled job back at the end of the queue; refused when a retry cannot fix its error. */
  retry(id: string): JobInfo {
    const job = this.require(id);
    if (job.status !== 'failed' && job.status !== 'cancelled') {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        `This job is ${job.status}; only failed or cancelled jobs can be retried.`,
        { params: { reason: 'jobNotFinished' } },
      );
    }
    if (!job.retryable) {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        `Trying again would fail the same way: ${job.error?.message ?? 'this file cannot be transcribed.'}`,
        { params: { reason: 'notRetryable' } },
      );
    }
    const queued = this.options.jobs.immediately(() => {
      this.options.jobs.own(id, this.owner);
      return this.save(id, { status: 'queued', stage: null, progress: 0, error: null, attempts: 0 });
    });
    this.waiting.push(id);
    this.pump();
    return queued;
  }

  /** Changes how many jobs run at once (1–16). */
  setConcurrency(concurrency: number): void {
    this.concurrency = validConcurrency(concurrency);
    this.pump();
  }

  /** All jobs, oldest first, with live progress. */
  list(): JobInfo[] {
    return this.options.jobs.list().map((job) => this.live.get(job.id) ?? job);
  }

  /** Resolves when nothing is running or waiting. */
  async whenIdle(): Promise<void> {
    while (this.settled.size > 0 || this.waiting.length > 0) {
      await Promise.all([...this.settled]);
    }
  }

  /** Stops the queue: running jobs are aborted and left queued without an owner, so the next start resumes them. */
  async close(): Promise<void> {
    this.closing = true;
    const unfinished = this.waiting.length + this.running.size > 0;
    this.waiting.length = 0;
    for (const controller of this.running.values()) controller.abort();
    await Promise.all([...this.settled]);
    this.updateHeartbeat();
    if (unfinished) this.options.jobs.release(this.owner.token);
  }

  private pump(): void {
    while (!this.closing && this.running.size < this.concurrency && this.waiting.length > 0) {
      const id = this.waiting.shift() as string;
      this.start(id);
    }
    this.updateHeartbeat();
  }

  /** Claims, in the caller's immediate transaction, the active jobs of gone owners (and ownerless ones if asked). */
  private takeAbandoned(
    to: JobOwner | null,
    withOwnerless: boolean,
  ): (JobInfo & { owner: StoredOwner | null })[] {
    return this.options.jobs
      .active()
      .filter(({ owner }) =>
        owner === null ? withOwnerless : owner.token !== this.owner.token && isOwnerGone(owner),
      )
      .filter(({ job, owner }) => this.options.jobs.claim(job.id, owner?.token ?? null, to))
      .map(({ job, owner }) => ({ ...job, owner }));
  }

  /** Renews the heartbeat every few seconds while this queue has queued or running jobs, and only then. */
  private updateHeartbeat(): void {
    const busy = this.running.size + this.waiting.length > 0;
    if (busy && this.heartbeat === null) {
      this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS);
      this.heartbeat.unref();
    } else if (!busy && this.heartbeat !== null) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }

  private beat(): void {
    try {
      this.options.jobs.heartbeat(this.owner.token);
    } catch {
      // A busy or full database: the next beat tries again, and the stale limit spans several beats.
    }
  }

  private start(id: string): void {
    const controller = new AbortController();
    this.running.set(id, controller);
    this.startedAt.set(id, performance.now());
    const job = this.require(id);
    this.save(id, { status: 'running', stage: 'decode', progress: 0, attempts: job.attempts + 1 });
    const spec: JobSpec = {
      id,
      file: job.file,
      settings: this.options.jobs.settingsOf(id) as TranscribeSettings,
    };
    const context: JobContext = {
      signal: controller.signal,
      report: (stage, progress) => this.progress(id, stage, progress),
    };
    const done = this.options
      .run(spec, context)
      .then(({ meetingId }) => {
        this.save(id, { status: 'done', stage: null, progress: 1, meetingId });
      })
      .catch((error: unknown) => {
        const info = toErrorInfo(error);
        if (info.code === 'CANCELLED') {
          this.save(
            id,
            this.closing ? { status: 'queued', stage: null, progress: 0 } : { status: 'cancelled' },
          );
        } else {
          this.save(id, { status: 'failed', error: info });
        }
      })
      .finally(() => {
        this.running.delete(id);
        this.live.delete(id);
        this.startedAt.delete(id);
        this.settled.delete(done);
        this.pump();
      });
    this.settled.add(done);
  }

  private progress(id: string, stage: JobStage, progress: number): void {
    const current = this.live.get(id) ?? this.require(id);
    const fraction = Math.min(1, Math.max(0, progress));
    const saved =
      current.stage === stage
        ? { ...current, progress: fraction }
        : this.save(id, { stage, progress: fraction });
    const next = this.withEstimate({
      ...saved,
      overallProgress: overallProgress(saved.status, stage, fraction),
    });
    this.live.set(id, next);
    this.emit(next);
  }

  /** The job with the time it has left, estimated from its overall progress and how long it has been running. */
  private withEstimate(job: JobInfo): JobInfo {
    const started = this.startedAt.get(job.id);
    if (job.status !== 'running' || started === undefined) return job;
    return { ...job, remainingMs: remainingMs(job.overallProgress, performance.now() - started) };
  }

  private save(id: string, patch: Parameters<JobRepository['update']>[1]): JobInfo {
    const job = this.options.jobs.update(id, patch);
    if (this.live.has(id)) this.live.set(id, job);
    this.emit(job);
    return job;
  }

  private require(id: string): JobInfo {
    const job = this.options.jobs.get(id);
    if (!job) {
      throw new FunscribeError('NOT_FOUND', `There is no job with id ${id}.`, {
        params: { reason: 'job', id },
      });
    }
    return job;
  }

  private emit(job: JobInfo): void {
    this.events.emit('update', job);
  }
}

/** Why a job of a killed process was not finished, naming the process. */
function interruptedError(owner: StoredOwner | null): { code: 'INTERRUPTED'; message: string } {
  const who = owner ? `(process ${owner.pid} on ${owner.host}) ` : '';
  return {
    code: 'INTERRUPTED',
    message: `The FunScribe process that was transcribing this file ${who}stopped before it finished. Run the command again, or use Retry.`,
  };
}

/** Checks how many jobs run at once with the one concurrency rule (1–16). */
function validConcurrency(value: number): number {
  return parseOrThrow(concurrency('Concurrency'), value);
}
