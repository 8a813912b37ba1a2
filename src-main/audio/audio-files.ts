// The audio folder of a library: where it is, which files in it belong to which job, and removing files from it
// without ever failing the work that asked (what cannot be removed now is left for the start-up sweep).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The folder inside the data directory where jobs decode audio and meetings' audio copies are kept. */
export function audioDirOf(dataDir: string): string {
  return join(dataDir, 'audio');
}

/** The job a file in the audio folder belongs to: its name up to the first dot (`<jobId>.pcm`, `<jobId>.webm`, …). */
export function jobIdOfAudioFile(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/** Removes each file (missing ones count as removed); returns those that could not be removed. */
export async function removeQuietly(paths: readonly (string | null | undefined)[]): Promise<string[]> {
  const left = await Promise.all(
    paths.map((path) =>
      path
        ? rm(path, { force: true }).then(
            () => null,
            () => path,
          )
        : null,
    ),
  );
  return left.filter((path): path is string => path !== null);
}
