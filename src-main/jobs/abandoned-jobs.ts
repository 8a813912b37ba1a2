// What a one-shot command does at start with the jobs a killed process left: ends them and removes their files.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { jobIdOfAudioFile, removeQuietly } from '../audio/audio-files.js';
import type { JobRepository } from '../store/jobs-repo.js';
import type { JobQueue } from './queue.js';

/**
 * Ends the queued and running jobs of processes that are gone (JobQueue.failAbandoned) and removes the decoded audio
 * and partial copies of those that failed, which nothing will use again (a retry decodes anew). A library that takes
 * no writes just now (disk full, locked) still opens for reading: the jobs are then left for the next command.
 */
export async function settleAbandonedJobs(
  queue: JobQueue,
  jobs: JobRepository,
  audioDir: string,
): Promise<void> {
  let failed: Set<string>;
  try {
    failed = new Set(
      queue
        .failAbandoned()
        .filter((job) => job.status === 'failed')
        .map((job) => job.id),
    );
  } catch {
    return;
  }
  if (failed.size === 0) return;
  const names = await readdir(audioDir).catch(() => [] as string[]);
  const stillFailed = (id: string): boolean => failed.has(id) && jobs.get(id)?.status === 'failed';
  await removeQuietly(
    names.filter((name) => stillFailed(jobIdOfAudioFile(name))).map((name) => join(audioDir, name)),
  );
}
