// Deleting a meeting together with its files: the row first (the library is what counts), then every file of its job
// in the audio folder (the audio copy, its cached waveform and probe, and any decoded PCM an older version or a failed
// removal left there).
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { audioDirOf, jobIdOfAudioFile, removeQuietly } from '../audio/audio-files.js';
import { peaksDirOf, removeMeetingCache } from '../audio/peaks-cache.js';
import type { MeetingRepository } from './meetings-repo.js';

/** What deleting a meeting removed from the disk, and what it had to leave there for the start-up sweep. */
export interface MeetingFilesRemoval {
  removedFiles: string[];
  leftFiles: string[];
}

/** The files in the audio folder that belong to the same job as `audioPath` (matched by name only). */
async function filesOfSameJob(audioDir: string, audioPath: string): Promise<string[]> {
  const jobId = jobIdOfAudioFile(basename(audioPath));
  if (jobId === '') return [];
  const names = await readdir(audioDir).catch(() => []);
  return names.filter((name) => jobIdOfAudioFile(name) === jobId).map((name) => join(audioDir, name));
}

/**
 * Removes the files of a deleted meeting: its job's files in the library's audio folder (reported) and its cached
 * waveform (derived data, removed quietly).
 */
async function removeMeetingFiles(
  dataDir: string,
  id: number,
  audioPath: string | null,
): Promise<MeetingFilesRemoval> {
  await removeMeetingCache(peaksDirOf(dataDir), id).catch(() => undefined);
  const files = audioPath ? await filesOfSameJob(audioDirOf(dataDir), audioPath) : [];
  const leftFiles = await removeQuietly(files);
  return { removedFiles: files.filter((file) => !leftFiles.includes(file)), leftFiles };
}

/**
 * Deletes a meeting (NOT_FOUND when there is none), then its files in the library's audio folder. A file that cannot
 * be removed now is left for the start-up sweep, which finds no meeting referring to it.
 */
export async function deleteMeetingAndFiles(
  meetings: MeetingRepository,
  dataDir: string,
  id: number,
): Promise<MeetingFilesRemoval> {
  return removeMeetingFiles(dataDir, id, meetings.delete(id).audioPath);
}

/**
 * Purges a meeting deleted with undo (markAsDeleted) and then its files; null when it was restored or purged
 * meanwhile, so nothing was removed.
 */
export async function purgeMeetingAndFiles(
  meetings: MeetingRepository,
  dataDir: string,
  id: number,
): Promise<MeetingFilesRemoval | null> {
  const purged = meetings.purgeDeleted(id);
  return purged ? removeMeetingFiles(dataDir, id, purged.audioPath) : null;
}
