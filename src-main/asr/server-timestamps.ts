// What files and checks have shown about FunASR servers' token times, per URL, for as long as the process runs: files
// for a server without them go one utterance at a time from the start, and a check that heard no words can still say.
import { ServerMemory } from './server-memory.js';

/** Whether each server (by URL) gave token times with words. */
const known = new ServerMemory<boolean>();

/** Records whether a server's reply with words carried token times. */
export function noteServerTimestamps(url: string, givesTimestamps: boolean): void {
  known.note(url, givesTimestamps);
}

/** Whether the server at `url` has been seen to give token times; null when nothing has shown it yet. */
export function knownServerTimestamps(url: string): boolean | null {
  return known.get(url) ?? null;
}
