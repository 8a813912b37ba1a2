// How every command runs: on the application service of the library in --data-dir (opened for the command and
// closed after it), with its exit code set and any error printed as one line with its code.
import type { Command } from 'commander';
import { createAppService, type AppService } from '../application/app-service.js';
import { createServices, type Services } from '../services.js';
import { withoutControlChars } from '../util/control-chars.js';
import { resolveDataDir } from '../util/data-dir.js';
import { toErrorInfo } from '../util/errors.js';

/** Runs a command with the application service of the opened library. */
export type WithApp = (
  program: Command,
  action: (app: AppService) => Promise<number> | number,
) => Promise<void>;

/** The data directory of the program's --data-dir (else FUNSCRIBE_DATA_DIR, else the desktop app's). */
export function dataDirOf(program: Command): string {
  return resolveDataDir(program.opts<{ dataDir?: string }>().dataDir);
}

/** Says on stderr, once per command, that the library takes no writes because it is damaged (and what to do). */
function warnIfLibraryDamaged(app: AppService): void {
  const refusal = app.libraryWriteRefusal();
  if (refusal) console.error(`funscribe: warning: ${refusal.message}`);
}

/** Says on stderr which interrupted recordings this start recovered, and what becomes of them. */
function noteRecoveredRecordings(services: Services): void {
  for (const recording of services.recoveredRecordings) {
    const seconds = (recording.durationMs / 1000).toFixed(1);
    const next = recording.jobId
      ? 'it is queued: `funscribe resume` transcribes it now, or the FunScribe app when it starts'
      : 'it holds no audio';
    console.error(
      `funscribe: recovered an interrupted recording (${seconds} s) in ${recording.path}; ${next}.`,
    );
  }
}

/** Runs one command and sets the exit code from its result; an error is printed as `funscribe: message [CODE]`. */
export async function runCommand(action: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    const info = toErrorInfo(error);
    console.error(`funscribe: ${withoutControlChars(info.message)} [${info.code}]`);
    process.exitCode = 1;
  }
}

/** Opens the library for one command, warns when it is damaged, runs the command on its service and closes it. */
export const withApp: WithApp = (program, action) =>
  runCommand(async () => {
    let services: Services | null = null;
    try {
      services = await createServices({ dataDir: dataDirOf(program) });
      const app = createAppService(services);
      warnIfLibraryDamaged(app);
      noteRecoveredRecordings(services);
      return await action(app);
    } finally {
      await services?.close();
    }
  });

/** An AbortSignal that fires on Ctrl-C (SIGINT) while `run` runs. */
export async function withCtrlC<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.on('SIGINT', onSigint);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
