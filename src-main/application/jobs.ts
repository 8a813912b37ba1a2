// Transcription jobs: queue files (with the saved settings, or the command line's), cancel, retry, and a whole batch
// run to its end with progress, as `funscribe transcribe` runs it.
import type { ApiHandlers } from '../../src-shared/contract.js';
import type { ErrorInfo, JobInfo, TranscribeSettings } from '../../src-shared/types.js';
import { contentHashOrNull } from '../audio/content-hash.js';
import { addFilesToQueue } from './add-files.js';
import type { ApplicationParts } from './application-parts.js';
import type { StoredMeeting } from '../store/stored-meeting.js';

/** One file of a batch that gave no meeting, and why. */
export interface FileError extends ErrorInfo {
  file: string;
}

/** How a batch ended: the meetings of the files that worked, in the order given, and the files that did not. */
export interface BatchOutcome {
  meetings: StoredMeeting[];
  errors: FileError[];
}

/** How a batch runs. */
export interface BatchOptions {
  /** How many files are transcribed at once (1–16); default: the saved setting. */
  concurrency?: number;
  /** Told every change of each of the batch's jobs (progress). */
  onUpdate?: (job: JobInfo) => void;
  /** Cancels every job of the queue when it fires (Ctrl-C); cancelled files are reported as CANCELLED. */
  signal?: AbortSignal;
}

/** The job operations: the contract's, and a batch run to its end. */
export interface JobOperations extends Pick<
  ApiHandlers,
  'addFiles' | 'listJobs' | 'clearFinishedJobs' | 'cancelJob' | 'retryJob'
> {
  /** Queues every file (absolute paths) with `settings` and resolves once the queue is idle, with the outcome. */
  transcribeAndWait(
    files: string[],
    settings: TranscribeSettings,
    options?: BatchOptions,
  ): Promise<BatchOutcome>;
  /**
   * Takes up the jobs waiting for the app (nobody owns them: recovered recordings, files an app queued before it
   * closed) and resolves once they have run, with their outcome. When `signal` fires it resolves at once with the
   * jobs finished so far; the others stay queued for the next run.
   */
  resumeWaitingJobs(options?: BatchOptions): Promise<BatchOutcome>;
}

/** Why a finished job gave no meeting. */
function fileError(job: JobInfo): FileError {
  return {
    file: job.file,
    code: job.error?.code ?? (job.status === 'cancelled' ? 'CANCELLED' : 'INTERNAL'),
    message: job.error?.message ?? job.status,
    ...(job.error?.params ? { params: job.error.params } : {}),
  };
}

/** The meetings of the jobs `ids` that are done (in that order), and why those that failed or were cancelled gave none. */
function outcomeOf(parts: ApplicationParts, ids: string[]): BatchOutcome {
  const jobs = ids.map((id) => parts.jobs.get(id) as JobInfo);
  return {
    meetings: jobs.flatMap((job) =>
      job.meetingId === null ? [] : [parts.meetings.get(job.meetingId) as StoredMeeting],
    ),
    errors: jobs.filter((job) => job.status === 'failed' || job.status === 'cancelled').map(fileError),
  };
}

/** Resolves when `signal` fires (never without one). */
function whenAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
}

/** The job operations on one library's queue. */
export function jobOperations(parts: ApplicationParts): JobOperations {
  const { queue } = parts;
  return {
    addFiles: (paths, options) => addFilesToQueue(parts, paths, options),
    listJobs: async () => queue.list(),
    clearFinishedJobs: async () => parts.jobs.clearFinished(),
    cancelJob: async (id) => {
      queue.cancel(id);
    },
    retryJob: async (id) => queue.retry(id),
    transcribeAndWait: async (files, jobSettings, options = {}) => {
      if (options.concurrency !== undefined) queue.setConcurrency(options.concurrency);
      const unsubscribe = options.onUpdate ? queue.onUpdate(options.onUpdate) : () => undefined;
      const cancelAll = (): void => queue.cancelAll();
      options.signal?.addEventListener('abort', cancelAll);
      try {
        // The content hash goes with each job, so a file transcribed here is recognised when dropped in the app.
        const hashes: (string | null)[] = [];
        for (const file of files) hashes.push(await contentHashOrNull(file, options.signal));
        const queued = files.map((file, index) => queue.enqueue(file, jobSettings, hashes[index]));
        if (options.signal?.aborted) cancelAll();
        await queue.whenIdle();
        return outcomeOf(
          parts,
          queued.map((job) => job.id),
        );
      } finally {
        options.signal?.removeEventListener('abort', cancelAll);
        unsubscribe();
      }
    },
    resumeWaitingJobs: async (options = {}) => {
      if (options.concurrency !== undefined) queue.setConcurrency(options.concurrency);
      const unsubscribe = options.onUpdate ? queue.onUpdate(options.onUpdate) : () => undefined;
      try {
        const resumed = options.signal?.aborted ? [] : queue.resumeInterrupted();
        await Promise.race([queue.whenIdle(), whenAborted(options.signal)]);
        return outcomeOf(
          parts,
          resumed.map((job) => job.id),
        );
      } finally {
        unsubscribe();
      }
    },
  };
}
