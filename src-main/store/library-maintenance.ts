// `library check` and `library backup` as services: the CLI prints their results, the desktop app can call them too.
import { existsSync } from 'node:fs';
import { FunscribeError } from '../util/errors.js';
import { listBackups, takeBackup, type BackupInfo } from './backups.js';
import { openDatabase } from './database.js';
import { checkLibraryFile, type IntegrityReport } from './integrity.js';

/** What `library check` reports: the full integrity check and the backups a restore could use. */
export interface LibraryCheck extends IntegrityReport {
  backups: BackupInfo[];
}

/** Runs SQLite's full integrity check on the library file `file` and lists the backups of `dataDir`. */
export function checkLibrary(
  dataDir: string,
  file: string,
  options: { nativeBinding?: string } = {},
): LibraryCheck {
  return { ...checkLibraryFile(file, options), backups: listBackups(dataDir) };
}

/** Takes a backup of the library file `file` now (the library is opened for it and closed again). */
export async function backupLibrary(
  dataDir: string,
  file: string,
  options: { nativeBinding?: string } = {},
): Promise<BackupInfo> {
  if (!existsSync(file)) {
    throw new FunscribeError('NOT_FOUND', `There is no library to back up yet (${file} does not exist).`);
  }
  const db = openDatabase(file, options);
  try {
    return await takeBackup(db, dataDir, options);
  } finally {
    db.close();
  }
}
