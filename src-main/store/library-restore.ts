// Puts a backup back in place of the library, safely: the backup is checked first, the current file is kept aside
// (never deleted), and nothing happens while another process has the library open.
import {
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  closeSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import type { Database } from 'better-sqlite3';
import { FunscribeError } from '../util/errors.js';
import { listBackups, type BackupInfo } from './backups.js';
import { connectDatabase } from './connection.js';
import { checkLibraryFile, forgetCheck } from './integrity.js';
import { SCHEMA_VERSION } from './migrations.js';
import { sqliteFailure } from '../util/sqlite-failures.js';
import { holdExclusiveLock } from './write-transaction.js';

/** What a restore did. */
export interface RestoreResult {
  restored: BackupInfo;
  /** Where the library file that was replaced now is (null when there was none). */
  setAside: string | null;
}

/** Options of a restore. */
export interface RestoreOptions {
  /** Path of the better-sqlite3 addon (the Electron app's build). */
  nativeBinding?: string;
  /** The time in the set-aside file's name (default: now). */
  now?: number;
}

/** Refuses a backup that is damaged, not a FunScribe library, or made by a newer FunScribe. */
function verifyBackup(backup: BackupInfo, options: RestoreOptions): void {
  const report = checkLibraryFile(backup.path, options);
  if (report.state !== 'ok') {
    throw new FunscribeError(
      'LIBRARY_DAMAGED',
      `The backup ${backup.name} is damaged too (${report.problems[0] ?? report.state}); choose another one.`,
      { params: { reason: 'backupDamaged', name: backup.name } },
    );
  }
  const db = connectDatabase(backup.path, { ...options, readonly: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    const hasMeetings = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'meetings'").get() !== undefined;
    if (!hasMeetings || version < 1) {
      throw new FunscribeError('INVALID_ARGUMENT', `${backup.name} is not a FunScribe library backup.`);
    }
    if (version > SCHEMA_VERSION) {
      throw new FunscribeError(
        'DATABASE_ERROR',
        `The backup ${backup.name} was made by a newer FunScribe; update FunScribe to restore it.`,
      );
    }
  } finally {
    db.close();
  }
}

/**
 * Takes the library file for this process alone, or refuses with LIBRARY_BUSY while another process has it open.
 * Leaving WAL mode needs every other connection closed, so it tells; the exclusive lock then keeps others out until
 * the files are swapped. A file SQLite cannot read at all is not in use by anyone: null then.
 */
function lockLibrary(file: string, options: RestoreOptions): Database | null {
  if (!existsSync(file) || statSync(file).size === 0) return null;
  const db = connectDatabase(file, options);
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
    holdExclusiveLock(db);
    return db;
  } catch (error) {
    db.close();
    const failure = sqliteFailure(error);
    if (failure?.code === 'LIBRARY_BUSY') {
      throw new FunscribeError(
        'LIBRARY_BUSY',
        'The library is open in another FunScribe process (the desktop app or a running command). ' +
          'Close it, then restore again.',
        { cause: error, params: { reason: 'open' } },
      );
    }
    if (failure?.code === 'LIBRARY_DAMAGED') return null;
    throw error;
  }
}

/** Copies `from` to `to` and flushes it to the disk. */
function copyDurably(from: string, to: string): void {
  copyFileSync(from, to);
  const fd = openSync(to, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Renames the library file and any WAL files beside it to `<aside>` (+ the same suffixes). */
function setLibraryAside(file: string, aside: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
}

/**
 * Replaces the library file `file` by the backup called `name` in `dataDir`'s backups. The backup is checked in full
 * first; the current file (with its WAL files) is renamed to `<file>.before-restore-<time>`, never deleted. Refuses
 * with LIBRARY_BUSY while another process has the library open.
 */
export function restoreBackup(
  dataDir: string,
  file: string,
  name: string,
  options: RestoreOptions = {},
): RestoreResult {
  const backups = listBackups(dataDir);
  const backup = backups.find((each) => each.name === name);
  if (!backup) {
    const known =
      backups.length === 0
        ? 'There are no backups yet.'
        : `Backups: ${backups.map((b) => b.name).join(', ')}.`;
    throw new FunscribeError('NOT_FOUND', `There is no backup called ${name}. ${known}`, {
      params: { reason: 'backup', name },
    });
  }
  verifyBackup(backup, options);
  const lock = lockLibrary(file, options);
  const incoming = `${file}.restoring-${process.pid}`;
  try {
    copyDurably(backup.path, incoming);
    let setAside: string | null = null;
    if (existsSync(file)) {
      const stamp = new Date(options.now ?? Date.now()).toISOString().replaceAll(':', '-').replace('.', '-');
      setAside = `${file}.before-restore-${stamp}`;
      setLibraryAside(file, setAside);
    }
    renameSync(incoming, file);
    forgetCheck(file);
    return { restored: backup, setAside };
  } finally {
    rmSync(incoming, { force: true });
    lock?.close();
  }
}
