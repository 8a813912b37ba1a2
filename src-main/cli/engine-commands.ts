// `funscribe engine status|start|stop|logs|command`: the managed FunASR engine from the command line.
import cliProgress from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ENGINE_KINDS, isEngineKind } from '../engine/catalog.js';
import { dockerRunCommand } from '../engine/docker-run-command.js';
import { validateImageRef, validatePort } from '../engine/engine-settings.js';
import type { EngineKind, EngineProgress, EngineStatus } from '../../src-shared/engine-types.js';
import { withoutControlChars } from '../util/control-chars.js';
import { toErrorInfo } from '../util/errors.js';
import { printJson } from './json-output.js';
import { withCtrlC, type WithApp } from './with-app.js';

/** The human-readable lines of `engine status`. */
export function formatStatus(status: EngineStatus): string[] {
  const { docker } = status;
  const lines = [
    docker.available
      ? `Docker:    ${docker.version ?? '?'} (API ${docker.apiVersion ?? '?'})`
      : `Docker:    not usable: ${docker.problem?.message ?? 'unknown problem'}`,
    ...docker.warnings.map((warning) => `Warning:   ${warning.message}`),
    `Engine:    ${status.state}${status.endpoint ? ` at ${status.endpoint}` : ''}${status.gpu ? ' (GPU)' : ''}`,
    `Image:     ${status.image ?? '-'}`,
    `Container: ${status.container ? `${status.container.name} (${status.container.id.slice(0, 12)})` : '-'}`,
  ];
  if (status.error && status.state !== 'ready') {
    lines.push(`Error:     ${withoutControlChars(status.error.message)}`);
  }
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

/** The `--kind` option of the engine commands. */
const kindOption = (): Option =>
  new Option('--kind <kind>', 'which engine').choices([...ENGINE_KINDS]).argParser((value) => {
    if (!isEngineKind(value)) throw new InvalidArgumentError(`one of ${ENGINE_KINDS.join(', ')}.`);
    return value;
  });

/** What `engine command` says besides the command (on stderr, so that the command alone can be piped to a shell). */
const RUN_NOTES = [
  '# The first start downloads the models (several GB) into the volume; a GPU start then converts the ASR model, which',
  '# takes many minutes. The port is published on 127.0.0.1 only: to serve other machines, publish it on their',
  '# network instead (plain ws://, so only inside a network you trust) and add the server in FunScribe as remote.',
];

/** Prints one line of the engine's log without the control characters a terminal would act on. */
function printLogLine(line: string): void {
  console.log(withoutControlChars(line));
}

/** Adds the `engine` command group to the program. */
export function registerEngineCommands(program: Command, withApp: WithApp): void {
  const engine = program.command('engine').description('the local FunASR engine in Docker');

  engine
    .command('status')
    .description('show Docker, the engine container and whether it is ready')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withApp(program, async (app) => {
        const status = await app.engineStatus();
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
    .addOption(kindOption())
    .action((options: { gpu?: boolean; image?: string; port?: number; kind?: EngineKind }) =>
      withApp(program, (app) =>
        withCtrlC(async (signal) => {
          const reporter = progressReporter();
          try {
            const { endpoint } = await app.runEngine({
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
      withApp(program, async (app) => {
        await app.stopEngine();
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
      withApp(program, async (app) => {
        if (!options.follow) {
          for (const line of await app.engineLogs(options.tail)) printLogLine(line);
          return 0;
        }
        await withCtrlC((signal) => app.followEngineLogs(printLogLine, signal, options.tail));
        return 0;
      }),
    );

  engine
    .command('command')
    .description(
      'print the container FunScribe would create, without creating it (Docker is not needed): a docker run command ' +
        "to paste on another machine (e.g. a team's GPU server), or with --json the Docker API create body",
    )
    .addOption(kindOption())
    .option('--json', 'print the body of Docker Engine API container create (the createContainer options)')
    .action((options: { kind?: EngineKind; json?: boolean }) =>
      withApp(program, (app) => {
        const spec = app.plannedEngineContainer(
          options.kind ? { kind: options.kind, gpu: options.kind === 'offline-gpu' } : {},
        );
        if (options.json) {
          printJson(spec);
          return 0;
        }
        console.log(dockerRunCommand(spec));
        console.error(RUN_NOTES.join('\n'));
        return 0;
      }),
    );
}
