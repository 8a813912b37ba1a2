// The job queue: one persisted job per file, run with bounded concurrency, with progress, cancel, retry and crash-resume.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { JobInfo, JobStage, TranscribeSettings } from '../api/types.js';
import type { JobRepository } from '../store/jobs-repo.js';
import { FunscribeError, toErrorInfo } from '../util/errors.js';

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
}

/** Runs jobs in order with at most `concurrency` at once; state lives in the jobs table so a crash loses nothing. */
export class JobQueue {
  private readonly events = new EventEmitter();
  private readonly running = new Map<string, AbortController>();
  private readonly waiting: string[] = [];
  private readonly live = new Map<string, JobInfo>();
  private readonly settled = new Set<Promise<void>>();
  private concurrency: number;
  private closing = false;

  constructor(private readonly options: JobQueueOptions) {
    this.concurrency = validConcurrency(options.concurrency);
  }

  /** Calls `listener` with every job change; returns the unsubscribe function. */
  onUpdate(listener: (job: JobInfo) => void): () => void {
    this.events.on('update', listener);
    return () => this.events.off('update', listener);
  }

  /** Adds a file to the end of the queue. */
  enqueue(file: string, settings: TranscribeSettings): JobInfo {
    const job = this.options.jobs.insert({ id: randomUUID(), file, settings });
    this.emit(job);
    this.waiting.push(job.id);
    this.pump();
    return job;
  }

  /** At start-up: re-queues jobs that were queued or running when the app stopped; returns them. */
  resumeInterrupted(): JobInfo[] {
    const pending = this.options.jobs.list({ statuses: ['queued', 'running'] });
    const resumed: JobInfo[] = [];
    for (const job of pending) {
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
    this.pump();
    return resumed;
  }

  /** Cancels a queued or running job; finished jobs are left as they are. */
  cancel(id: string): JobInfo {
    const job = this.require(id);
    const controller = this.running.get(id);
    if (controller) {
      controller.abort();
    } else if (job.status === 'queued') {
      this.waiting.splice(this.waiting.indexOf(id), 1);
      return this.save(id, { status: 'cancelled', stage: null });
    }
    return this.require(id);
  }

  /** Puts a failed or cancelled job back at the end of the queue. */
  retry(id: string): JobInfo {
    const job = this.require(id);
    if (job.status !== 'failed' && job.status !== 'cancelled') {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        `This job is ${job.status}; only failed or cancelled jobs can be retried.`,
      );
    }
    const queued = this.save(id, { status: 'queued', stage: null, progress: 0, error: null, attempts: 0 });
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

  /** Stops the queue: running jobs are aborted and left queued, so the next start resumes them. */
  async close(): Promise<void> {
    this.closing = true;
    this.waiting.length = 0;
    for (const controller of this.running.values()) controller.abort();
    await Promise.all([...this.settled]);
  }

  private pump(): void {
    while (!this.closing && this.running.size < this.concurrency && this.waiting.length > 0) {
      const id = this.waiting.shift() as string;
      this.start(id);
    }
  }

  private start(id: string): void {
    const controller = new AbortController();
    this.running.set(id, controller);
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
        this.settled.delete(done);
        this.pump();
      });
    this.settled.add(done);
  }

  private progress(id: string, stage: JobStage, progress: number): void {
    const current = this.live.get(id) ?? this.require(id);
    const fraction = Math.min(1, Math.max(0, progress));
    const next =
      current.stage === stage
        ? { ...current, progress: fraction }
        : this.save(id, { stage, progress: fraction });
    this.live.set(id, next);
    this.emit(next);
  }

  private save(id: string, patch: Parameters<JobRepository['update']>[1]): JobInfo {
    const job = this.options.jobs.update(id, patch);
    if (this.live.has(id)) this.live.set(id, job);
    this.emit(job);
    return job;
  }

  private require(id: string): JobInfo {
    const job = this.options.jobs.get(id);
    if (!job) throw new FunscribeError('NOT_FOUND', `There is no job with id ${id}.`);
    return job;
  }

  private emit(job: JobInfo): void {
    this.events.emit('update', job);
  }
}

/** Checks a concurrency setting. */
function validConcurrency(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 16) {
    throw new FunscribeError('INVALID_ARGUMENT', 'Concurrency must be a whole number from 1 to 16.');
  }
  return value;
}
