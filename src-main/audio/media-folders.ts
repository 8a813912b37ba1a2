// Folders dropped or picked for transcription: each becomes the audio and video files inside it (subfolders too),
// in name order; a file given by itself is kept whatever its name (ffmpeg tells later whether it can read it).
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { FunscribeError } from '../util/errors.js';

/** The file name endings of audio and video files a folder is searched for (lower case). */
export const MEDIA_EXTENSIONS: ReadonlySet<string> = new Set([
  '.aac',
  '.aif',
  '.aiff',
  '.amr',
  '.ape',
  '.flac',
  '.m4a',
  '.mp3',
  '.oga',
  '.ogg',
  '.opus',
  '.wav',
  '.wma',
  '.3gp',
  '.avi',
  '.flv',
  '.m4v',
  '.mkv',
  '.mov',
  '.mp4',
  '.mpeg',
  '.mpg',
  '.ts',
  '.webm',
  '.wmv',
]);

/** How deep a folder is searched below the one given. */
const MAX_DEPTH = 8;

/** True for a name with an audio or video ending, not a hidden file. */
function isMediaName(name: string): boolean {
  return !name.startsWith('.') && MEDIA_EXTENSIONS.has(extname(name).toLowerCase());
}

/** The media files under `dir` (hidden entries skipped, links not followed), sorted by path. */
async function mediaFilesIn(dir: string, depth: number, found: string[], max: number): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (found.length >= max) return;
    const path = join(dir, entry.name);
    if (entry.isFile() && isMediaName(entry.name)) found.push(path);
    else if (entry.isDirectory() && !entry.name.startsWith('.') && depth < MAX_DEPTH)
      await mediaFilesIn(path, depth + 1, found, max);
  }
}

/**
 * The files to transcribe for the paths given: a file stays as it is, a folder gives its audio and video files, at
 * most `max` in all, each once, in the order given. Nothing to transcribe (only empty folders) is NOT_A_FILE.
 */
export async function expandMediaPaths(paths: readonly string[], max: number): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if (files.length >= max) break;
    const info = await stat(path).catch(() => null);
    if (info?.isDirectory()) await mediaFilesIn(path, 0, files, max);
    else files.push(path);
  }
  if (files.length === 0) {
    throw new FunscribeError('NOT_A_FILE', `There are no audio or video files in ${paths.join(', ')}.`, {
      params: { reason: 'noMedia', count: paths.length },
    });
  }
  return [...new Set(files)];
}
