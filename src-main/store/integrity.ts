// Integrity of the library file: SQLite's quick check at every open, its full check on request.
import { existsSync, statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { FunscribeError } from '../util/errors.js';
import { connectDatabase, type ConnectOptions } from './connection.js';
import { RESTORE_HINT, sqliteFailure } from './sqlite-failures.js';

/** At most this many problems are collected from one check. */
const MAX_PROBLEMS = 100;

/** Runs PRAGMA quick_check or integrity_check; returns the problems found ([] when the file is sound). */
function runCheck(db: Database, pragma: 'quick_check' | 'integrity_check'): string[] {
  try {
    const lines = db.pragma(`${pragma}(${MAX_PROBLEMS})`, { simple: false }) as Record<string, string>[];
    const messages = lines.map((row) => String(Object.values(row)[0]));
    return messages.length === 1 && messages[0] === 'ok' ? [] : messages;
  } catch (error) {
    // So damaged that the check itself cannot read it.
    if (sqliteFailure(error)?.code === 'LIBRARY_DAMAGED') return [(error as Error).message];
    throw error;
  }
}

/** SQLite's quick check (b-tree structure and record formats, O(N)); returns the problems, [] when sound. */
export function quickCheck(db: Database): string[] {
  return runCheck(db, 'quick_check');
}

/** The error writes get on a library whose check found `problems`. */
export function damagedLibraryError(file: string, problems: readonly string[]): FunscribeError {
  return new FunscribeError(
    'LIBRARY_DAMAGED',
    `The library ${file} is damaged (${problems[0] ?? 'integrity check failed'}), so FunScribe will not write to it; ` +
      `reading it may still work. ${RESTORE_HINT}`,
  );
}

/** The state of a library file: sound, damaged, absent, empty, or not a SQLite database at all. */
export type LibraryState = 'ok' | 'damaged' | 'missing' | 'empty';

/** What `library check` found. */
export interface IntegrityReport {
  file: string;
  state: LibraryState;
  /** SQLite's integrity_check messages (or why the file could not be read); empty when state is ok. */
  problems: string[];
}

/** Runs SQLite's full integrity check on the library file, read-only, without migrating it. */
export function checkLibraryFile(
  file: string,
  options: Pick<ConnectOptions, 'nativeBinding'> = {},
): IntegrityReport {
  if (!existsSync(file)) return { file, state: 'missing', problems: [] };
  if (statSync(file).size === 0) {
    return { file, state: 'empty', problems: ['The file is empty (0 bytes).'] };
  }
  let db: Database | null = null;
  try {
    db = connectDatabase(file, { ...options, readonly: true });
    const problems = runCheck(db, 'integrity_check');
    return { file, state: problems.length === 0 ? 'ok' : 'damaged', problems };
  } catch (error) {
    if (sqliteFailure(error)?.code !== 'LIBRARY_DAMAGED') throw error;
    return { file, state: 'damaged', problems: [(error as Error).message] };
  } finally {
    db?.close();
  }
}
