// The start-up sweeps of the audio folder and of the cache beside it (waveform peaks and probes): they remove what a
// killed run, a failed removal or a deleted meeting left there. Other processes may be running jobs on the same
// library right now, so an audio file is removed only when no meeting refers to it, no queued or running job owns it,
// and it has not been written for ORPHAN_MIN_AGE_MS (so a job that another process starts or retries meanwhile, after
// the jobs were read, is never robbed of its files). A cache file goes when its meeting is gone (a meeting waiting
// for its purge still counts) or it was left half-written, and it is as old.
import { lstat, readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { jobIdOfAudioFile } from '../audio/audio-files.js';
import { cacheFileOf } from '../audio/peaks-cache.js';
import type { JobRepository } from './jobs-repo.js';
import type { MeetingRepository } from './meetings-repo.js';

/** A file untouched for this long, that nothing refers to, is an orphan. */
export const ORPHAN_MIN_AGE_MS = 10 * 60_000;

/** What the sweep asks the library, read after the folder is listed. */
export interface SweepLookups {
  /** The audio paths the meetings refer to (matched by file name, so a moved library keeps its files). */
  referencedPaths(): Iterable<string>;
  /** The ids of the jobs that may be writing files now: queued or running ones whose process is not known gone. */
  busyJobIds(): Iterable<string>;
}

/** Options of a sweep: the age below which a file is kept, and the clock. */
export interface SweepOptions {
  minAgeMs?: number;
  now?: number;
}

/** Removes the orphaned files directly in `audioDir` and returns their paths; a file that cannot be removed stays. */
export async function sweepAudioOrphans(
  audioDir: string,
  lookups: SweepLookups,
  { minAgeMs = ORPHAN_MIN_AGE_MS, now = Date.now() }: SweepOptions = {},
): Promise<string[]> {
  const names = await readdir(audioDir).catch(() => [] as string[]);
  if (names.length === 0) return [];
  const referenced = new Set([...lookups.referencedPaths()].map((path) => basename(path)));
  const busy = new Set(lookups.busyJobIds());
  const orphans = names.filter((name) => !referenced.has(name) && !busy.has(jobIdOfAudioFile(name)));
  return removeOldFiles(audioDir, orphans, minAgeMs, now);
}

/** What the cache sweep asks the library, read after the folder is listed. */
export interface CacheSweepLookups {
  /** True while the meeting exists, shown or waiting for its purge (it may still be restored). */
  isMeeting(id: number): boolean;
}

/**
 * Removes the cache files directly in `cacheDir` whose meeting is gone, and those left half-written, when they are
 * old enough; returns their paths. Files the cache does not name are left alone.
 */
export async function sweepCacheOrphans(
  cacheDir: string,
  lookups: CacheSweepLookups,
  { minAgeMs = ORPHAN_MIN_AGE_MS, now = Date.now() }: SweepOptions = {},
): Promise<string[]> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  const orphans = names.filter((name) => {
    const file = cacheFileOf(name);
    return file !== null && (file.partial || !lookups.isMeeting(file.meetingId));
  });
  return removeOldFiles(cacheDir, orphans, minAgeMs, now);
}

/** Removes the regular files `names` in `dir` not written for `minAgeMs`; returns those removed (a failure keeps one). */
async function removeOldFiles(
  dir: string,
  names: string[],
  minAgeMs: number,
  now: number,
): Promise<string[]> {
  const removed: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const info = await lstat(path).catch(() => null);
    if (!info?.isFile() || now - info.mtimeMs < minAgeMs) continue;
    if (
      await rm(path).then(
        () => true,
        () => false,
      )
    )
      removed.push(path);
  }
  return removed;
}

/**
 * Starts the sweep of a library's audio folder in the background; it resolves with the removed files and never
 * rejects (a library that cannot be read now is swept at a later start). Start it after the jobs of gone processes
 * are settled, so that queued and running jobs are those of live processes.
 */
export function startAudioSweep(
  audioDir: string,
  meetings: MeetingRepository,
  jobs: JobRepository,
  options?: SweepOptions,
): Promise<string[]> {
  const lookups: SweepLookups = {
    referencedPaths: () => meetings.audioPaths(),
    busyJobIds: () => jobs.list({ statuses: ['queued', 'running'] }).map((job) => job.id),
  };
  return sweepAudioOrphans(audioDir, lookups, options).catch(() => []);
}

/** Starts the sweep of a library's cache folder (peaks and probes) in the background, like startAudioSweep. */
export function startCacheSweep(
  cacheDir: string,
  meetings: MeetingRepository,
  options?: SweepOptions,
): Promise<string[]> {
  const lookups: CacheSweepLookups = {
    isMeeting: (id) =>
      meetings.summary(id) !== null || meetings.deletedMeetings().some((deleted) => deleted.id === id),
  };
  return sweepCacheOrphans(cacheDir, lookups, options).catch(() => []);
}
