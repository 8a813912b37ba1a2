// The headless command line: the same services and library as the desktop app, no Electron.
import { Command, InvalidArgumentError, Option } from 'commander';
import * as v from 'valibot';
import { IPC_LIMITS, MAX_SEARCH_LIMIT } from '../../src-shared/schemas/limits.js';
import { concurrency, wholeNumber } from '../../src-shared/schemas/rules.js';
import { SpeakerSettingSchema } from '../../src-shared/schemas/settings.js';
import type { ExportFormat, SearchOrder, SpeakerSetting } from '../../src-shared/types.js';
import { EXPORT_FORMATS } from '../export/index.js';
import { registerDeleteCommand } from './delete-command.js';
import { registerEngineCommands } from './engine-commands.js';
import { exportCommand, listCommand, searchCommand, showCommand } from './library-commands.js';
import { registerLibraryMaintenanceCommands } from './library-maintenance-command.js';
import { registerModelCommands } from './models-command.js';
import { numberOption } from './number-option.js';
import { registerRecordCommand } from './record-command.js';
import { registerResumeCommand } from './resume-command.js';
import { registerSpeakerCommands } from './speakers-command.js';
import { transcribeCommand, type TranscribeCommandOptions } from './transcribe-command.js';
import { withApp } from './with-app.js';

/** Parses --speakers: auto, voice, channels or a number of speakers. */
function speakerOption(value: string): SpeakerSetting {
  const result = v.safeParse(SpeakerSettingSchema, /^\d+$/.test(value) ? Number(value) : value);
  if (!result.success) {
    throw new InvalidArgumentError('expected auto, voice, channels or a number of speakers from 1 to 50.');
  }
  return result.output;
}

const formatOption = (): Option => new Option('--format <format>', 'export format').choices(EXPORT_FORMATS);

/** Builds the command tree. */
export function buildProgram(): Command {
  const program = new Command('funscribe')
    .description('FunScribe: transcribe meetings with FunASR, search and export them.')
    .option('--data-dir <dir>', 'library folder (default: FUNSCRIBE_DATA_DIR, else the desktop app’s)')
    .showHelpAfterError();

  program
    .command('transcribe')
    .description('transcribe audio or video files and add them to the library')
    .argument('<files...>', 'audio or video files')
    .option(
      '--server <url>',
      'a FunASR websocket server to use for these files, e.g. ws://127.0.0.1:10095 (default: the engine from the settings: the managed Docker engine, started when needed, or the remote servers)',
    )
    .option('--hotwords <file>', 'hotword file: one "<phrase> <weight>" per line, weight 1-100')
    .option('--no-itn', 'keep numbers as words (no inverse text normalisation)')
    .option('--allow-self-signed', 'accept a self-signed certificate on a wss:// server')
    .addOption(formatOption())
    .option('--out <dir>', 'folder for the exported files (with --format; default: the current folder)')
    .option(
      '--concurrency <n>',
      'files transcribed at once',
      numberOption(concurrency('The number of files transcribed at once')),
    )
    .option(
      '--speakers <mode>',
      'speaker labels: auto (stereo calls by channel, else by voice), voice, channels, or the number of speakers',
      speakerOption,
    )
    .option('--json', 'print one JSON document')
    .action((files: string[], options: TranscribeCommandOptions) =>
      withApp(program, (app) => transcribeCommand(app, files, options)),
    );

  program
    .command('list')
    .description('list the meetings in the library, newest first')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => withApp(program, (app) => listCommand(app, options)));

  program
    .command('show')
    .description('print one meeting')
    .argument('<id>', 'meeting id')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) =>
      withApp(program, (app) => showCommand(app, id, options)),
    );

  program
    .command('search')
    .description('search all meetings (Chinese and English)')
    .argument('<query>', 'words or "a phrase"')
    .option(
      '--limit <n>',
      'at most this many results',
      numberOption(wholeNumber('The number of results', 1, MAX_SEARCH_LIMIT)),
      20,
    )
    .option(
      '--offset <n>',
      'skip this many results (the next page)',
      numberOption(wholeNumber('The number of results to skip', 0, IPC_LIMITS.maxOffset)),
      0,
    )
    .addOption(
      new Option('--order <order>', 'result order').choices(['relevance', 'newest']).default('relevance'),
    )
    .option('--json', 'print JSON')
    .action(
      (query: string, options: { json?: boolean; limit?: number; offset?: number; order?: SearchOrder }) =>
        withApp(program, (app) => searchCommand(app, query, options)),
    );

  program
    .command('export')
    .description('export one meeting')
    .argument('<id>', 'meeting id')
    .addOption(formatOption().makeOptionMandatory())
    .option('--out <file>', 'write to this file instead of stdout (not inside the data folder)')
    .option('--force', 'replace the --out file if it exists')
    .action((id: string, options: { format: ExportFormat; out?: string; force?: boolean }) =>
      withApp(program, (app) => exportCommand(app, id, options)),
    );

  registerEngineCommands(program, withApp);
  registerSpeakerCommands(program, withApp);
  registerModelCommands(program, withApp);
  registerLibraryMaintenanceCommands(program);
  registerDeleteCommand(program, withApp);
  registerRecordCommand(program, withApp);
  registerResumeCommand(program, withApp);

  return program;
}

/** Runs the CLI with the process arguments. */
export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}
