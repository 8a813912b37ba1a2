// Copying a library file to another folder with SQLite's backup API, for a change of the data folder: the copy's
// paths into the old folder are pointed at the new one, and the copy is checked before anyone uses it.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Database } from 'better-sqlite3';
import { FunscribeError } from '../util/errors.js';
import { connectDatabase } from './connection.js';
import { writeTransaction } from './write-transaction.js';

/** The columns that hold absolute paths of files inside the data folder (tables another build lacks are skipped). */
const PATH_COLUMNS = [
  { table: 'meetings', column: 'audio_path' },
  { table: 'recordings', column: 'path' },
] as const;

/** The tables whose row counts must match between a library and its copy. */
const COUNTED_TABLES = ['meetings', 'segments', 'speakers', 'jobs', 'settings'] as const;

/** Options of the copy: the addon to load, and the folder prefix of stored paths to rewrite. */
export interface LibraryCopyOptions {
  nativeBinding?: string;
  /** Stored paths starting with `from` are made to start with `to` in the copy. */
  paths: { from: string; to: string };
}

/** True when the database has the table. */
function hasTable(db: Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** Row counts of the tables both libraries must agree on. */
function rowCounts(db: Database): Record<string, number> {
  return Object.fromEntries(
    COUNTED_TABLES.filter((table) => hasTable(db, table)).map((table) => [
      table,
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    ]),
  );
}

/** Points every stored path inside `from` at the same file inside `to`. */
function rewritePaths(db: Database, from: string, to: string): void {
  writeTransaction(db, () => {
    for (const { table, column } of PATH_COLUMNS) {
      if (!hasTable(db, table)) continue;
      db.prepare(
        `UPDATE ${table} SET ${column} = ? || substr(${column}, ?) WHERE substr(${column}, 1, ?) = ?`,
      ).run(to, from.length + 1, from.length, from);
    }
  });
}

/** Throws unless the copy passes SQLite's integrity check and has the source's row counts. */
function verifyCopy(copy: Database, expected: Record<string, number>, target: string): void {
  const integrity = copy.pragma('integrity_check', { simple: true });
  const counts = rowCounts(copy);
  const same = Object.entries(expected).every(([table, n]) => counts[table] === n);
  if (integrity !== 'ok' || !same) {
    throw new FunscribeError(
      'DATABASE_ERROR',
      `The copy of the library at ${target} did not match the original (${integrity === 'ok' ? 'row counts differ' : String(integrity)}).`,
    );
  }
}

/**
 * Copies the library file `source` to `target` (which must not exist) with SQLite's online backup, rewrites the
 * stored paths of the copy, and checks it (integrity and row counts). On failure `target` is removed and the error
 * thrown; `source` is only read.
 */
export async function copyLibraryFile(
  source: string,
  target: string,
  options: LibraryCopyOptions,
): Promise<void> {
  if (existsSync(target)) {
    throw new FunscribeError('INVALID_ARGUMENT', `${target} already exists; it is not overwritten.`);
  }
  const db = connectDatabase(source, { nativeBinding: options.nativeBinding, readonly: true });
  try {
    const expected = rowCounts(db);
    await db.backup(target);
    const copy = connectDatabase(target, { nativeBinding: options.nativeBinding });
    try {
      rewritePaths(copy, options.paths.from, options.paths.to);
      verifyCopy(copy, expected, target);
    } finally {
      copy.close();
    }
  } catch (error) {
    await Promise.all([target, `${target}-wal`, `${target}-shm`].map((path) => rm(path, { force: true })));
    throw error;
  } finally {
    db.close();
  }
}

/** True when `file` is a FunScribe library: an SQLite file with the library's tables and a schema version. */
export function isLibraryFile(file: string, options: { nativeBinding?: string } = {}): boolean {
  if (!existsSync(file)) return false;
  let db: Database | null = null;
  try {
    db = connectDatabase(file, { nativeBinding: options.nativeBinding, readonly: true });
    const version = db.pragma('user_version', { simple: true }) as number;
    return version > 0 && hasTable(db, 'meetings') && hasTable(db, 'settings');
  } catch {
    return false;
  } finally {
    db?.close();
  }
}
