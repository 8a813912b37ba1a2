// `funscribe engine status|start|stop|logs`: the managed FunASR engine from the command line.
import cliProgress from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ENGINE_KINDS, isEngineKind } from '../engine/catalog.js';
import { validateImageRef, validatePort } from '../engine/engine-settings.js';
import type { EngineKind, EngineProgress, EngineStatus } from '../engine/engine-types.js';
import type { Services } from '../services.js';
import { toErrorInfo } from '../util/errors.js';
import { printJson } from './json-output.js';

/** Runs a command with the opened services (cli/main.ts's withServices). */
export type WithServices = (
  program: Command,
  action: (services: Services) => Promise<number> | number,
) => Promise<void>;

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

/** The human-readable lines of `engine status`. */
export function formatStatus(status: EngineStatus): string[] {
  const { docker } = status;
  const lines = [
    docker.available
      ? `Docker:    ${docker.version ?? '?'} (API ${docker.apiVersion ?? '?'})`
      : `Docker:    not usable: ${docker.problem?.message ?? 'unknown problem'}`,
    ...docker.warnings.map((warning) => `Warning:   ${warning}`),
    `Engine:    ${status.state}${status.endpoint ? ` at ${status.endpoint}` : ''}${status.gpu ? ' (GPU)' : ''}`,
    `Image:     ${status.image ?? '-'}`,
    `Container: ${status.container ? `${status.container.name} (${status.container.id.slice(0, 12)})` : '-'}`,
  ];
  if (status.error && status.state !== 'ready') lines.push(`Error:     ${status.error.message}`);
  return lines;
}

/** Shows start progress: a bar on a terminal, otherwise one line whenever the step changes. */
function progressReporter(): { update(progress: EngineProgress): void; stop(): void } {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: ' {bar} {percentage}% | {message}', hideCursor: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let step = '';
  let started = false;
  return {
    update(progress) {
      const key = `${progress.phase} ${progress.subject ?? ''}`;
      if (!bar) {
        if (key !== step) process.stderr.write(`${progress.message}\n`);
        step = key;
        return;
      }
      const total = progress.totalBytes ?? 1;
      const done = progress.totalBytes === null ? 0 : (progress.doneBytes ?? 0);
      if (!started) bar.start(total, done, { message: progress.message });
      else bar.setTotal(total);
      started = true;
      bar.update(done, { message: progress.message });
    },
    stop() {
      bar?.stop();
    },
  };
}

const positiveInt = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a whole number.');
  return parsed;
};

const toCliArgument =
  <T>(validate: (value: unknown) => T) =>
  (value: string): T => {
    try {
      return validate(value);
    } catch (error) {
      throw new InvalidArgumentError(toErrorInfo(error).message);
    }
  };

/** Adds the `engine` command group to the program. */
export function registerEngineCommands(program: Command, withServices: WithServices): void {
  const engine = program.command('engine').description('the local FunASR engine in Docker');

  engine
    .command('status')
    .description('show Docker, the engine container and whether it is ready')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withServices(program, async (services) => {
        const status = await services.engine.status();
        if (options.json) printJson(status);
        else console.log(formatStatus(status).join('\n'));
        return 0;
      }),
    );

  engine
    .command('start')
    .description('start the engine (downloading the image and models the first time); Ctrl-C cancels')
    .option('--gpu', 'run the NVIDIA GPU image')
    .option(
      '--image <ref>',
      'image reference to run instead of the catalog one',
      toCliArgument(validateImageRef),
    )
    .option(
      '--port <n>',
      'host port on 127.0.0.1 (default: 10095, or the next free one)',
      toCliArgument((v) => validatePort(Number(v))),
    )
    .addOption(
      new Option('--kind <kind>', 'which engine').choices([...ENGINE_KINDS]).argParser((value) => {
        if (!isEngineKind(value)) throw new InvalidArgumentError(`one of ${ENGINE_KINDS.join(', ')}.`);
        return value;
      }),
    )
    .action((options: { gpu?: boolean; image?: string; port?: number; kind?: EngineKind }) =>
      withServices(program, (services) =>
        withCtrlC(async (signal) => {
          const reporter = progressReporter();
          try {
            const { endpoint } = await services.engine.ensureRunning({
              ...options,
              signal,
              onProgress: (progress) => reporter.update(progress),
            });
            reporter.stop();
            console.log(`The engine is ready at ${endpoint}`);
            return 0;
          } catch (error) {
            reporter.stop();
            if (toErrorInfo(error).code === 'CANCELLED') {
              console.error('funscribe: cancelled; the engine was stopped.');
              return 130;
            }
            throw error;
          }
        }),
      ),
    );

  engine
    .command('stop')
    .description('stop the engine (the container and the downloaded models stay)')
    .action(() =>
      withServices(program, async (services) => {
        await services.engine.stop();
        console.log('The engine is stopped.');
        return 0;
      }),
    );

  engine
    .command('logs')
    .description("print the engine's log")
    .option('--tail <n>', 'only the last N lines', positiveInt, 200)
    .option('--follow', 'keep printing new lines (Ctrl-C ends)')
    .action((options: { tail: number; follow?: boolean }) =>
      withServices(program, async (services) => {
        const manager = services.engine;
        if (!options.follow) {
          for (const line of await manager.logs(options.tail)) console.log(line);
          return 0;
        }
        await withCtrlC((signal) => manager.followLogs((line) => console.log(line), signal, options.tail));
        return 0;
      }),
    );
}
