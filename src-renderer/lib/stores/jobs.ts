// The transcription jobs: listed once when the first component subscribes, then kept in step by `job:update`.
import { derived, writable, type Readable } from 'svelte/store';
import type { JobInfo } from '../../../src-shared/types.js';
import { api, onEvent } from '../api.js';
import { upsertJob } from '../jobs.js';

interface JobsState {
  jobs: JobInfo[];
  /** Why the list could not be loaded (an ApiError, see errorText), or null. */
  error: unknown;
}

const state = writable<JobsState>({ jobs: [], error: null }, () => {
  void refreshJobs();
  return onEvent('job:update', (job) =>
    state.update((held) => ({ ...held, jobs: upsertJob(held.jobs, job) })),
  );
});

/** Every job the main process knows, newest first. */
export const jobs: Readable<JobInfo[]> = derived(state, ($state) => $state.jobs);

/** Why the job list could not be loaded, or null. */
export const jobsError: Readable<unknown> = derived(state, ($state) => $state.error);

/** Lists the jobs again (after a change no event reports, such as clearing finished jobs). */
export async function refreshJobs(): Promise<void> {
  const askedAt = Date.now();
  try {
    const listed = await api.listJobs();
    const ids = new Set(listed.map((job) => job.id));
    // The list is the truth, but an event that arrived while it was on its way wins over an older copy in it.
    const newer = (job: JobInfo): boolean => ids.has(job.id) || job.createdAt >= askedAt;
    state.update((held) => ({
      jobs: held.jobs.filter(newer).reduce(upsertJob, listed.reduce(upsertJob, [] as JobInfo[])),
      error: null,
    }));
  } catch (caught) {
    state.update((held) => ({ ...held, error: caught }));
  }
}
