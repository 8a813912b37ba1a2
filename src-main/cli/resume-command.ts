// `funscribe resume`: transcribes the jobs left waiting for the desktop app (recordings recovered after a crash,
// files an app queued before it closed), so a headless machine needs no app to finish them.
import type { Command } from 'commander';
import { concurrency } from '../../src-shared/schemas/rules.js';
import type { AppService } from '../application/app-service.js';
import { printJson, transcribeResultJson } from './json-output.js';
import { numberOption } from './number-option.js';
import { ProgressDisplay } from './progress-display.js';
import { listenForStop, signalExitCode } from './stop-signals.js';
import { printOutcome } from './transcribe-command.js';
import type { WithApp } from './with-app.js';

/** Options of the resume command as commander parses them. */
export interface ResumeCommandOptions {
  concurrency?: number;
  json?: boolean;
}

/**
 * Runs every waiting job to its end and prints the outcome as `transcribe` does; returns the exit code (1 when any
 * job failed). Ctrl-C stops at once and leaves the unfinished jobs queued for the next run.
 */
export async function resumeCommand(app: AppService, options: ResumeCommandOptions): Promise<number> {
  const display = new ProgressDisplay(!options.json && process.stderr.isTTY === true);
  const stopping = new AbortController();
  const stop = listenForStop(() => stopping.abort());
  const { meetings, errors } = await app
    .resumeWaitingJobs({
      concurrency: options.concurrency,
      onUpdate: (job) => display.update(job),
      signal: stopping.signal,
    })
    .finally(() => stop.dispose());
  display.stop();
  if (options.json) printJson(transcribeResultJson(meetings, errors));
  else if (meetings.length + errors.length === 0 && !stop.received) console.error('No jobs are waiting.');
  else printOutcome(meetings, errors, []);
  if (stop.received) return signalExitCode(stop.received);
  return errors.length > 0 ? 1 : 0;
}

/** Adds `resume` to the program. */
export function registerResumeCommand(program: Command, withApp: WithApp): void {
  program
    .command('resume')
    .description(
      'transcribe the jobs waiting for the app: recordings recovered after a crash, files queued before the app closed',
    )
    .option(
      '--concurrency <n>',
      'files transcribed at once',
      numberOption(concurrency('The number of files transcribed at once')),
    )
    .option('--json', 'print one JSON document, as transcribe does')
    .action((options: ResumeCommandOptions) => withApp(program, (app) => resumeCommand(app, options)));
}
