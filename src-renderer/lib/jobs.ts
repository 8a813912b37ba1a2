// Keeping the renderer's copy of the job list in step with `job:update` events.
import type { JobInfo, JobStatus } from '../../src-shared/types.js';

/**
 * The list with `job` merged in by id, newest job first. An update older than the copy already held is ignored,
 * so a list fetched while events arrive cannot turn a job back to an earlier state.
 */
export function upsertJob(jobs: readonly JobInfo[], job: JobInfo): JobInfo[] {
  const current = jobs.find((existing) => existing.id === job.id);
  if (current && current.updatedAt > job.updatedAt) return [...jobs];
  const others = jobs.filter((existing) => existing.id !== job.id);
  return [...others, job].sort((a, b) => b.createdAt - a.createdAt);
}

/** True while a job can still be cancelled. */
export function isActive(status: JobStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** True when a job ended without a meeting and trying again may help (never for a file ffmpeg cannot read). */
export function canRetry(job: Pick<JobInfo, 'status' | 'retryable'>): boolean {
  return (job.status === 'failed' || job.status === 'cancelled') && job.retryable;
}

/** True once a job has ended, whichever way (what Clear finished removes). */
export function isFinished(status: JobStatus): boolean {
  return !isActive(status);
}

/** The last part of a path, for either path separator. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
