// Opens (and creates) the library database: WAL journal, foreign keys on, an integrity check, schema migrated.
// A new library appears under its name only complete; an empty file is never taken for a new library; a damaged one
// opens for reading only; a full disk still lets it be read.
import { existsSync, linkSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import type { Database } from 'better-sqlite3';
import { errorFromInfo, FunscribeError } from '../util/errors.js';
import { connectDatabase } from './connection.js';
import { checkAtOpen } from './integrity.js';
import { migrate } from './migrations.js';
import {
  isOutOfSpace,
  LIBRARY_DISK_FULL_MESSAGE,
  RESTORE_HINT,
  sqliteFailure,
} from '../util/sqlite-failures.js';

/** Options for openDatabase. */
export interface OpenDatabaseOptions {
  /** Path of the better-sqlite3 addon to load (the Electron app ships its own build). */
  nativeBinding?: string;
  /** Libraries up to this size (bytes) are quick-checked during the open, larger ones in the background. */
  checkAtOpenBytes?: number;
}

/** A user-facing error for a failure while preparing the database. */
function openError(file: string, error: unknown): FunscribeError {
  if (error instanceof FunscribeError) return error;
  const failure = sqliteFailure(error);
  if (failure?.code === 'LIBRARY_DAMAGED') {
    return new FunscribeError(
      'LIBRARY_DAMAGED',
      `The file ${file} is not a FunScribe library database, or it is damaged. ${RESTORE_HINT}`,
      { cause: error, params: { reason: 'notLibrary' } },
    );
  }
  if (failure) return errorFromInfo(failure, error);
  const reason = error instanceof Error ? error.message : String(error);
  return new FunscribeError(
    'DATABASE_ERROR',
    `Could not prepare the library database at ${file}: ${reason}.`,
    {
      cause: error,
    },
  );
}

/**
 * Creates a complete new library at `file` when there is none: built under a private name, then hard-linked into
 * place, which fails if another process got there first (its library is used then). So the name never shows an
 * empty or half-made file, and several processes may start a new library at once.
 */
function createLibraryIfMissing(file: string, options: OpenDatabaseOptions): void {
  if (existsSync(file)) return;
  const draft = `${file}.new-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    const db = connectDatabase(draft, options);
    try {
      db.pragma('journal_mode = WAL');
      migrate(db);
    } finally {
      db.close();
    }
    try {
      linkSync(draft, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A file system without hard links (FAT): a plain rename, unless another process made the library meanwhile.
      if (code !== 'EEXIST' && !existsSync(file)) renameSync(draft, file);
    }
  } finally {
    rmSync(draft, { force: true });
  }
}

/** Refuses a library file of 0 bytes: something emptied it, and opening it would start a new, empty library. */
function refuseEmptyFile(file: string): void {
  if (statSync(file).size > 0) return;
  throw new FunscribeError(
    'LIBRARY_DAMAGED',
    `The library file ${file} is empty (0 bytes): its meetings are not in it any more. ` +
      'Run "funscribe library restore" to go back to a backup, or move the empty file away to start a new library.',
  );
}

/**
 * Connects in WAL mode. On a full disk SQLite cannot grow the shared WAL index file, so the connection is opened
 * again in exclusive locking mode, which keeps that index in this process's memory: reading then works.
 */
function connectWal(file: string, options: OpenDatabaseOptions): Database {
  const db = connectDatabase(file, options);
  try {
    db.pragma('journal_mode = WAL');
    return db;
  } catch (error) {
    db.close();
    if (!isOutOfSpace(error)) throw error;
  }
  const fallback = connectDatabase(file, options);
  try {
    fallback.pragma('locking_mode = EXCLUSIVE');
    fallback.pragma('journal_mode = WAL');
    return fallback;
  } catch (error) {
    fallback.close();
    throw isOutOfSpace(error)
      ? new FunscribeError('DISK_FULL', LIBRARY_DISK_FULL_MESSAGE, {
          cause: error,
          params: { reason: 'library' },
        })
      : error;
  }
}

/** Opens the database file (":memory:" for a private in-memory one), creating its folder and schema as needed. */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  let db: Database;
  try {
    if (file === ':memory:') {
      db = connectDatabase(file, options);
    } else {
      mkdirSync(dirname(file), { recursive: true });
      createLibraryIfMissing(file, options);
      refuseEmptyFile(file);
      db = connectWal(file, options);
    }
  } catch (error) {
    throw openError(file, error);
  }
  try {
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // Temporary tables and triggers (refuseWrites) stay in memory: they need no disk space.
    db.pragma('temp_store = MEMORY');
    checkAtOpen(db, file, options);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw openError(file, error);
  }
}
