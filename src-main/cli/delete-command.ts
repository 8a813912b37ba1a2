// `funscribe delete <id>`: removes a meeting from the library together with its audio files.
import type { Command } from 'commander';
import type { AppService } from '../application/app-service.js';
import { singleLineText } from '../util/control-chars.js';
import type { WithApp } from './with-app.js';
import { printJson } from './json-output.js';

/** Runs `funscribe delete <id> [--json]`; NOT_FOUND when there is no such meeting. */
export async function deleteCommand(
  app: AppService,
  id: string,
  options: { json?: boolean },
): Promise<number> {
  const { meeting, ...files } = await app.deleteMeetingWithFiles(id);
  if (options.json) {
    printJson({ deleted: { id: meeting.id, title: meeting.title }, ...files });
    return 0;
  }
  const removed = files.removedFiles.length;
  console.log(
    `Deleted meeting ${meeting.id} (${singleLineText(meeting.title)}) and ${removed} audio file${removed === 1 ? '' : 's'}.`,
  );
  for (const file of files.leftFiles) {
    console.log(`Could not remove ${file} now; it will be removed at a later start.`);
  }
  return 0;
}

/** Adds `delete` to the program. */
export function registerDeleteCommand(program: Command, withApp: WithApp): void {
  program
    .command('delete')
    .description('delete a meeting and its audio files from the library')
    .argument('<id>', 'meeting id')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) =>
      withApp(program, (app) => deleteCommand(app, id, options)),
    );
}
