// Runs journal-writer-process.mjs and follows what it says: the journal's path, the chunks appended, an error.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const PROCESS = new URL('./journal-writer-process.mjs', import.meta.url).pathname;

/** Bytes of each chunk the process appends (100 ms). */
export const CHUNK_BYTES = 3200;

/** A running journal writer. */
export interface JournalWriterProcess {
  child: ChildProcess;
  /** Resolves with the journal's path once the recording has started. */
  path: Promise<string>;
  /** Resolves once `count` chunks are appended. */
  appended(count: number): Promise<void>;
  /** The chunks appended so far (as the process said). */
  readonly chunks: number;
  /** The error line of a failed append (code and message), once the process exited. */
  exited: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    error: string | null;
    stderr: string;
  }>;
}

/** Starts the process on `dataDir`, appending the 16 kHz mono s16le `source` in a loop every `paceMs`. */
export function startJournalWriter(
  dataDir: string,
  source: string,
  serverUrl: string,
  paceMs: number,
): JournalWriterProcess {
  const child = spawn(process.execPath, [PROCESS, dataDir, source, serverUrl, String(paceMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let chunks = 0;
  let error: string | null = null;
  let stderr = '';
  const waiters: { count: number; resolve: () => void }[] = [];
  let resolvePath: (path: string) => void = () => undefined;
  const path = new Promise<string>((resolve) => (resolvePath = resolve));
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('path ')) resolvePath(line.slice(5));
    else if (line.startsWith('error ')) error = line.slice(6);
    else chunks = Number(line) + 1;
    for (const waiter of waiters.filter((entry) => entry.count <= chunks)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const exited = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    error,
    stderr,
  }));
  void exited.then(() => resolvePath(''));
  return {
    child,
    path,
    get chunks() {
      return chunks;
    },
    appended: (count) =>
      new Promise<void>((resolve, reject) => {
        if (chunks >= count) return resolve();
        waiters.push({ count, resolve });
        void exited.then((end) =>
          reject(new Error(`the writer exited after ${chunks} chunks: ${end.stderr}`)),
        );
      }),
    exited,
  };
}
