// What files and checks have shown about FunASR servers' token times, per URL, for as long as the process runs: files
// for a server without them go one utterance at a time from the start, and a check that heard no words can still say.

/** How many servers are remembered. */
const REMEMBERED_SERVERS = 64;

/** Whether each server (by URL) gave token times with words, least recently noted first. */
const known = new Map<string, boolean>();

/** Records whether a server's reply with words carried token times, forgetting the oldest beyond REMEMBERED_SERVERS. */
export function noteServerTimestamps(url: string, givesTimestamps: boolean): void {
  known.delete(url);
  known.set(url, givesTimestamps);
  for (const oldest of known.keys()) {
    if (known.size <= REMEMBERED_SERVERS) break;
    known.delete(oldest);
  }
}

/** Whether the server at `url` has been seen to give token times; null when nothing has shown it yet. */
export function knownServerTimestamps(url: string): boolean | null {
  return known.get(url) ?? null;
}
