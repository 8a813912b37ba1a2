// `funscribe delete <id>`: removes a meeting from the library together with its audio files.
import type { Command } from 'commander';
import type { Services } from '../services.js';
import { deleteMeetingAndFiles } from '../store/meeting-removal.js';
import { singleLineText } from '../util/control-chars.js';
import type { WithServices } from './engine-commands.js';
import { printJson } from './json-output.js';
import { requireMeeting } from './library-commands.js';

/** Runs `funscribe delete <id> [--json]`; NOT_FOUND when there is no such meeting. */
export async function deleteCommand(
  services: Services,
  id: string,
  options: { json?: boolean },
): Promise<number> {
  const meeting = requireMeeting(services, id);
  const files = await deleteMeetingAndFiles(services.meetings, services.dataDir, meeting.id);
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
export function registerDeleteCommand(program: Command, withServices: WithServices): void {
  program
    .command('delete')
    .description('delete a meeting and its audio files from the library')
    .argument('<id>', 'meeting id')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) =>
      withServices(program, (services) => deleteCommand(services, id, options)),
    );
}
