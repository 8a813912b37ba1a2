// The library file's integrity and its backups: check, back up, list, restore. These work on the file itself, not on
// an opened library, so they also run when the library is damaged or empty, and a restore while nothing has it open.
import { join } from 'node:path';
import { listBackups, type BackupInfo } from '../store/backups.js';
import { backupLibrary, checkLibrary, type LibraryCheck } from '../store/library-maintenance.js';
import { restoreBackup, type RestoreResult } from '../store/library-restore.js';

/** The library file inside the data directory. */
export const DATABASE_FILE = 'library.sqlite';

/** The path of the library file of a data directory. */
export function libraryFileOf(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/** The maintenance operations of one library file. */
export interface LibraryMaintenance {
  /** The library file. */
  readonly file: string;
  /** SQLite's full integrity check of the file, and the backups a restore could use. */
  check(): LibraryCheck;
  /** Takes a backup now (NOT_FOUND when there is no library yet). */
  backup(): Promise<BackupInfo>;
  /** The backups, newest first. */
  listBackups(): BackupInfo[];
  /** Puts the backup called `name` in place of the library (checked first; the replaced file is kept aside). */
  restore(name: string): RestoreResult;
}

/** The maintenance operations of the library in `dataDir`. */
export function libraryMaintenance(dataDir: string): LibraryMaintenance {
  const file = libraryFileOf(dataDir);
  return {
    file,
    check: () => checkLibrary(dataDir, file),
    backup: () => backupLibrary(dataDir, file),
    listBackups: () => listBackups(dataDir),
    restore: (name) => restoreBackup(dataDir, file, name),
  };
}
