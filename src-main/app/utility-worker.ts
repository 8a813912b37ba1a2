// Starts the speaker-embedding worker as an Electron utility process: the RunAsNode fuse is off, so child_process.fork
// cannot run Node scripts in the packaged app.
import { utilityProcess } from 'electron';
import type { WorkerLauncher } from '../speakers/embedding/worker-process.js';
import type { WorkerReply } from '../speakers/embedding/worker-protocol.js';

/** Launches the worker script in a utility process, talking over its message port. */
export const launchUtilityWorker: WorkerLauncher = (workerPath, args) => {
  const child = utilityProcess.fork(workerPath, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    serviceName: 'FunScribe speaker model',
  });
  let stopped = false;
  child.once('exit', () => (stopped = true));
  return {
    get pid() {
      return stopped ? undefined : child.pid;
    },
    stderr: child.stderr,
    send(message, onFailure) {
      if (stopped) onFailure('the process has stopped');
      else child.postMessage(message);
    },
    onMessage: (listener) => child.on('message', (message: WorkerReply) => listener(message)),
    onStop: (listener) => child.once('exit', (code) => listener(`exit code ${code}`)),
    kill: () => void child.kill(),
  };
};
