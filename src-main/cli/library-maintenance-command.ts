// `funscribe library check | backup | restore [name]`: the library file's integrity and its backups. These work on
// the file directly (not through the services), so they also run when the library is damaged or empty.
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Command } from 'commander';
import { DATABASE_FILE } from '../services.js';
import { listBackups, type BackupInfo } from '../store/backups.js';
import { backupLibrary, checkLibrary } from '../store/library-maintenance.js';
import { restoreBackup } from '../store/library-restore.js';
import { writeRefusal } from '../store/write-transaction.js';
import { resolveDataDir } from '../util/data-dir.js';
import { toErrorInfo } from '../util/errors.js';
import { formatDateTime } from '../../src-shared/time.js';
import { printJson } from './json-output.js';

/** One backup as a line: name, time, size. */
function backupLine(backup: BackupInfo): string {
  return `  ${backup.name}  ${formatDateTime(backup.createdAt)}  ${(backup.bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The data directory and library file of the program's --data-dir. */
function libraryPaths(program: Command): { dataDir: string; file: string } {
  const dataDir = resolveDataDir(program.opts<{ dataDir?: string }>().dataDir);
  return { dataDir, file: join(dataDir, DATABASE_FILE) };
}

/** Runs one subcommand and sets the exit code; errors are printed as every command prints them. */
async function run(action: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    const info = toErrorInfo(error);
    console.error(`funscribe: ${info.message} [${info.code}]`);
    process.exitCode = 1;
  }
}

/** `library check`: SQLite's full integrity check; exit status 1 when the library is damaged or empty. */
function checkCommand(program: Command, options: { json?: boolean }): number {
  const { dataDir, file } = libraryPaths(program);
  const report = checkLibrary(dataDir, file);
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
  console.log(`Library: ${file}\nState: ${states[report.state]}`);
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
  const { dataDir, file } = libraryPaths(program);
  if (name === undefined) {
    const backups = listBackups(dataDir);
    if (options.json) printJson({ backups });
    else if (backups.length === 0)
      console.log('There are no backups yet. Take one with "funscribe library backup".');
    else {
      console.log('Backups (newest first); restore one with "funscribe library restore <name>":');
      for (const backup of backups) console.log(backupLine(backup));
    }
    return 0;
  }
  const result = restoreBackup(dataDir, file, name);
  if (options.json) printJson(result);
  else {
    console.log(`Restored ${result.restored.name} (${formatDateTime(result.restored.createdAt)}).`);
    if (result.setAside) console.log(`The library it replaced was kept as ${result.setAside}.`);
  }
  return 0;
}

/** Says on stderr, once per command, that the library takes no writes because it is damaged (and what to do). */
export function warnIfLibraryDamaged(db: Database): void {
  const refusal = writeRefusal(db);
  if (refusal) console.error(`funscribe: warning: ${refusal.message}`);
}

/** Adds `funscribe library …` to the program. */
export function registerLibraryMaintenanceCommands(program: Command): void {
  const library = program.command('library').description('check, back up and restore the library database');
  library
    .command('check')
    .description("run SQLite's full integrity check on the library and list its backups")
    .option('--json', 'print one JSON document')
    .action((options: { json?: boolean }) => run(() => checkCommand(program, options)));
  library
    .command('backup')
    .description(`take a backup now (kept in <data dir>/backups; the newest few are kept)`)
    .option('--json', 'print one JSON document')
    .action((options: { json?: boolean }) =>
      run(async () => {
        const { dataDir, file } = libraryPaths(program);
        const backup = await backupLibrary(dataDir, file);
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
      run(() => restoreCommand(program, name, options)),
    );
}
