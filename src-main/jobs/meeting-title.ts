// The title a new meeting gets: its file's name, or the date when the name has nothing to show.
import { basename, extname } from 'node:path';
import { singleLineText } from '../util/control-chars.js';
import { formatDateTime } from '../../src-shared/time.js';

/**
 * The file's name without its extension, on one line, control characters dropped and trimmed; when nothing is left
 * (a file called "   .wav"), "Recording YYYY-MM-DD HH:mm" at `epochMs` in the local time zone.
 */
export function meetingTitle(file: string, epochMs: number): string {
  const name = singleLineText(basename(file, extname(file))).trim();
  return name || `Recording ${formatDateTime(epochMs)}`;
}
