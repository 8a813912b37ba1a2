// Deleting a meeting together with its files: the row first (the library is what counts), then every file of its job
// in the audio folder (the audio copy, and any decoded PCM an older version or a failed removal left there).
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { audioDirOf, jobIdOfAudioFile, removeQuietly } from '../audio/audio-files.js';
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
 * Deletes a meeting (NOT_FOUND when there is none), then its files in the library's audio folder. A file that cannot
 * be removed now is left for the start-up sweep, which finds no meeting referring to it.
 */
export async function deleteMeetingAndFiles(
  meetings: MeetingRepository,
  dataDir: string,
  id: number,
): Promise<MeetingFilesRemoval> {
  const { audioPath } = meetings.delete(id);
  const files = audioPath ? await filesOfSameJob(audioDirOf(dataDir), audioPath) : [];
  const leftFiles = await removeQuietly(files);
  return { removedFiles: files.filter((file) => !leftFiles.includes(file)), leftFiles };
}
