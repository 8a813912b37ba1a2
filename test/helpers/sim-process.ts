// Runs the stand-in FunASR server as its own process (as the real server runs) and waits for its ready line.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SCRIPT_DEFAULT_MODEL_DIRS } from '../funasr-sim/asr-model.js';

const SIM_MAIN = fileURLToPath(new URL('../funasr-sim/main.ts', import.meta.url));
const READY = /asr model init finished\. listen on port:(\d+)/;

/** A running stand-in server process. */
export interface SimProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Every log line so far (the last `logLines` of them when that is given). */
  logs: string[];
  stop(): Promise<void>;
}

/** How the stand-in's log lines are kept. */
export interface SimProcessOptions {
  /**
   * Keep only the last this many log lines (a long bench: the stand-in logs every 2pass reply, so keeping them all
   * grows this process's heap by about 1.2 MB per hour of 2pass audio); default: every line (tests read them).
   */
  logLines?: number;
}

/**
 * Starts `test/funasr-sim/main.ts` with the given flags and resolves once it is ready. Port 0 unless given; without
 * `--model-dir`, the vad-punc model that run_server.sh and run_server_2pass.sh pass (the binaries' own defaults are
 * models without timestamps).
 */
export async function startSimProcess(
  args: string[] = [],
  options: SimProcessOptions = {},
): Promise<SimProcess> {
  const logLines = options.logLines ?? Infinity;
  const protocol = args[args.indexOf('--protocol') + 1] === '2pass' ? '2pass' : 'offline';
  const withModel = args.includes('--model-dir')
    ? args
    : ['--model-dir', SCRIPT_DEFAULT_MODEL_DIRS[protocol], ...args];
  const withPort = withModel.includes('--port') ? withModel : ['--port', '0', ...withModel];
  const child = spawn(process.execPath, ['--import', 'tsx', SIM_MAIN, ...withPort], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const onLine = (line: string): void => {
      logs.push(line);
      if (logs.length > logLines) logs.splice(0, logs.length - logLines);
      const match = READY.exec(line);
      if (match) resolve(Number(match[1]));
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code) =>
      reject(new Error(`stand-in server exited (${code}) before ready:\n${logs.join('\n')}`)),
    );
  });
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    child,
    logs,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
