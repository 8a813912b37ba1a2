// A `funscribe record` process of a test: started on a data folder with a PulseAudio daemon's environment, followed
// until it says it records, and awaited with its output.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/funscribe.js', import.meta.url));

/** A running `funscribe record`. */
export interface RecordProcess {
  child: ChildProcess;
  /** Resolves once it says it records. */
  started: Promise<void>;
  /** What it printed on stderr so far. */
  readonly stderr: string;
  /** Resolves with its exit code and output once it has exited. */
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `funscribe record` with `args` on `dataDir`. */
export function startRecord(dataDir: string, args: string[], env: NodeJS.ProcessEnv): RecordProcess {
  const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'record', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const started = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/^Recording /m.test(stderr)) resolve();
    });
    child.once('exit', () => reject(new Error(`record exited before recording:\n${stderr}`)));
  });
  const exited = once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return {
    child,
    started,
    get stderr() {
      return stderr;
    },
    exited,
  };
}
