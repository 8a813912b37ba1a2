// The parent's handle on the speaker-embedding worker, so the same session runs over a Node child process (CLI,
// tests) or an Electron utility process (the app, whose RunAsNode fuse is off, so child_process.fork cannot work).
import { fork } from 'node:child_process';
import type { EmbedRequest, WorkerReply } from './worker-protocol.js';

/** A running worker: messages both ways, its stderr, and one notice when it has stopped. */
export interface WorkerProcess {
  /** The process id while it runs, undefined once it has stopped. */
  readonly pid: number | undefined;
  /** stderr of the worker, read by the parent for error messages. */
  readonly stderr: NodeJS.ReadableStream | null;
  /** Sends a request; `onFailure` is told if it cannot be delivered. */
  send(message: EmbedRequest, onFailure: (why: string) => void): void;
  /** Listens for the worker's replies. */
  onMessage(listener: (message: WorkerReply) => void): void;
  /** Called once when the worker has stopped (or could not start), with how: an exit code, signal or error. */
  onStop(listener: (how: string) => void): void;
  /** Stops the worker. */
  kill(): void;
}

/** Starts the worker script with its arguments. */
export type WorkerLauncher = (workerPath: string, args: string[]) => WorkerProcess;

/**
 * Runs the worker as a Node child process with an IPC channel (structured clone, so typed arrays cross intact);
 * `execArgv` are Node's own options for it (tests preload a module).
 */
export const nodeWorkerLauncher =
  (execArgv: string[] = []): WorkerLauncher =>
  (workerPath, args) => {
    const child = fork(workerPath, args, {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv,
    });
    const running = (): boolean => child.exitCode === null && child.signalCode === null;
    return {
      get pid() {
        return running() ? child.pid : undefined;
      },
      stderr: child.stderr,
      send: (message, onFailure) =>
        child.send(message, (error) => {
          if (error) onFailure(error.message);
        }),
      onMessage: (listener) => child.on('message', listener),
      onStop(listener) {
        child.on('error', (error) => listener(error.message));
        // 'close' (not 'exit') fires after stderr has been read to the end, so the error carries its last lines.
        child.once('close', (code, signal) => listener(signal ?? `exit code ${code}`));
      },
      kill: () => child.kill(),
    };
  };

/** The default launcher: a plain Node child process. */
export const forkNodeWorker = nodeWorkerLauncher();
