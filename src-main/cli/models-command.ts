// `funscribe models`: the speaker-embedding models: list, download (with progress), import a file, choose, remove.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { AppService } from '../application/app-service.js';
import { withCtrlC, type WithApp } from './with-app.js';
import { printJson } from './json-output.js';

const REGION_HELP =
  'where downloads try first, saved for later: global, or cn (mirrors reachable from mainland China)';

/** Megabytes with one decimal, for sizes people read. */
function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Lists the catalog: which models are installed and which one labels voices. */
async function listModels(app: AppService, json: boolean): Promise<number> {
  const { selected, region, models: rows } = await app.listModels();
  if (json) {
    printJson({ selected, region, models: rows });
    return 0;
  }
  console.log(
    selected
      ? `Voices are labelled with ${selected}.`
      : 'Voices are labelled by voice statistics (no speaker model chosen).',
  );
  for (const row of rows) {
    const state = `${row.installed ? 'installed' : 'not installed'}${row.selected ? ', in use' : ''}`;
    console.log(
      `  ${row.id.padEnd(26)} ${megabytes(row.sizeBytes).padEnd(9)} ${state.padEnd(24)} ${row.name}`,
    );
  }
  return 0;
}

/** Downloads a model (verified), printing progress on a terminal. */
async function downloadCommand(app: AppService, id: string, region?: string): Promise<number> {
  const tty = process.stderr.isTTY === true;
  const { name, path } = await withCtrlC((signal) =>
    app.downloadModel(id, {
      region,
      signal,
      onProgress: ({ bytesDone, bytesTotal, mirror }) => {
        if (tty)
          process.stderr.write(
            `\r${id}: ${megabytes(bytesDone)} of ${megabytes(bytesTotal)} from ${mirror}  `,
          );
      },
    }),
  );
  if (tty) process.stderr.write('\n');
  console.log(`${name} is installed at ${path}.`);
  return 0;
}

/** Chooses the model that labels voices from now on ('none': voice statistics); it is downloaded on first use. */
async function useCommand(app: AppService, id: string, region?: string): Promise<number> {
  const { chosen, installed } = await app.useModel(id, region);
  if (!chosen) {
    console.log('Voices will be labelled by voice statistics (suited to clearly different voices).');
  } else {
    console.log(
      `Voices will be labelled with ${chosen}${installed ? '.' : '; it is downloaded when the next file is transcribed.'}`,
    );
  }
  return 0;
}

/** Adds `models` and its subcommands to the program. */
export function registerModelCommands(program: Command, withApp: WithApp): void {
  const models = program.command('models').description('speaker-embedding models for telling voices apart');
  models
    .command('list', { isDefault: true })
    .description('list the models, which are installed and which is in use')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withApp(program, (app) => listModels(app, options.json === true)),
    );
  models
    .command('download')
    .description('download and verify a model (size and SHA-256), resuming a partial download')
    .argument('<id>', 'model id, e.g. campplus-zh-cn')
    .option('--region <region>', REGION_HELP)
    .action((id: string, options: { region?: string }) =>
      withApp(program, (app) => downloadCommand(app, id, options.region)),
    );
  models
    .command('import')
    .description('install a model file you downloaded yourself (checked against the known models)')
    .argument('<file>', 'the .onnx file')
    .action((file: string) =>
      withApp(program, async (app) => {
        const { modelId, path } = await app.importModel(resolve(file));
        console.log(`Installed ${modelId} at ${path}.`);
        return 0;
      }),
    );
  models
    .command('use')
    .description('choose the model that labels voices ("none" for voice statistics)')
    .argument('<id>', 'model id or none')
    .option('--region <region>', REGION_HELP)
    .action((id: string, options: { region?: string }) =>
      withApp(program, (app) => useCommand(app, id, options.region)),
    );
  models
    .command('remove')
    .description('delete an installed model')
    .argument('<id>', 'model id')
    .action((id: string) =>
      withApp(program, async (app) => {
        await app.removeModel(id);
        console.log(`Removed ${id}.`);
        return 0;
      }),
    );
}
