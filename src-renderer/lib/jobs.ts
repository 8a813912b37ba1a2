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

/** True when a job ended without a meeting and may be tried again. */
export function isRetryable(status: JobStatus): boolean {
  return status === 'failed' || status === 'cancelled';
}

/** The last part of a path, for either path separator. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
