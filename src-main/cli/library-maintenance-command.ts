// `funscribe library check | backup | restore [name]`: the library file's integrity and its backups. These work on
// the file directly (not on the opened library), so they also run when the library is damaged or empty.
import type { Command } from 'commander';
import { libraryMaintenance, type LibraryMaintenance } from '../application/library-maintenance.js';
import type { BackupInfo } from '../store/backups.js';
import { formatDateTime } from '../../src-shared/time.js';
import { printJson } from './json-output.js';
import { dataDirOf, runCommand } from './with-app.js';

/** One backup as a line: name, time, size. */
function backupLine(backup: BackupInfo): string {
  return `  ${backup.name}  ${formatDateTime(backup.createdAt)}  ${(backup.bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The maintenance operations of the library in the program's --data-dir. */
function libraryOf(program: Command): LibraryMaintenance {
  return libraryMaintenance(dataDirOf(program));
}

/** `library check`: SQLite's full integrity check; exit status 1 when the library is damaged or empty. */
function checkCommand(program: Command, options: { json?: boolean }): number {
  const library = libraryOf(program);
  const report = library.check();
  const sound = report.state === 'ok' || report.state === 'missing';
  if (options.json) {
    printJson({ ...report, ok: sound });
    return sound ? 0 : 1;
  }
  const states = {
    ok: 'ok (SQLite integrity check passed)',
    damaged: 'DAMAGED',
    missing: 'no library yet',
    empty: 'EMPTY (0 bytes): the meetings are not in it',
  };
  console.log(`Library: ${library.file}\nState: ${states[report.state]}`);
  for (const problem of report.problems) console.log(`  ${problem}`);
  console.log(report.backups.length === 0 ? 'Backups: none' : 'Backups (newest first):');
  for (const backup of report.backups) console.log(backupLine(backup));
  if (!sound && report.backups.length > 0) {
    console.log(`To go back to the newest backup: funscribe library restore ${report.backups[0]!.name}`);
  }
  return sound ? 0 : 1;
}

/** `library restore [name]`: without a name lists the backups; with one, restores it. */
function restoreCommand(program: Command, name: string | undefined, options: { json?: boolean }): number {
  const library = libraryOf(program);
  if (name === undefined) {
    const backups = library.listBackups();
    if (options.json) printJson({ backups });
    else if (backups.length === 0)
      console.log('There are no backups yet. Take one with "funscribe library backup".');
    else {
      console.log('Backups (newest first); restore one with "funscribe library restore <name>":');
      for (const backup of backups) console.log(backupLine(backup));
    }
    return 0;
  }
  const result = library.restore(name);
  if (options.json) printJson(result);
  else {
    console.log(`Restored ${result.restored.name} (${formatDateTime(result.restored.createdAt)}).`);
    if (result.setAside) console.log(`The library it replaced was kept as ${result.setAside}.`);
  }
  return 0;
}

/** Adds `funscribe library …` to the program. */
export function registerLibraryMaintenanceCommands(program: Command): void {
  const library = program.command('library').description('check, back up and restore the library database');
  library
    .command('check')
    .description("run SQLite's full integrity check on the library and list its backups")
    .option('--json', 'print one JSON document')
    .action((options: { json?: boolean }) => runCommand(() => checkCommand(program, options)));
  library
    .command('backup')
    .description(`take a backup now (kept in <data dir>/backups; the newest few are kept)`)
    .option('--json', 'print one JSON document')
    .action((options: { json?: boolean }) =>
      runCommand(async () => {
        const backup = await libraryOf(program).backup();
        if (options.json) printJson(backup);
        else console.log(`Backup taken:\n${backupLine(backup)}`);
        return 0;
      }),
    );
  library
    .command('restore')
    .description('list the backups, or put one back in place of the library (the current file is kept aside)')
    .argument('[name]', 'the backup to restore, as listed')
    .option('--json', 'print one JSON document')
    .action((name: string | undefined, options: { json?: boolean }) =>
      runCommand(() => restoreCommand(program, name, options)),
    );
}
