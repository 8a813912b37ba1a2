// Opens (and creates) the library database: WAL journal, foreign keys on, schema migrated to the current version.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { FunscribeError } from '../util/errors.js';
import { migrate } from './migrations.js';

/** How long a statement waits for another connection's write lock before giving up, in ms. */
export const BUSY_TIMEOUT_MS = 5000;

/** Options for openDatabase. */
export interface OpenDatabaseOptions {
  /** Path of the better-sqlite3 addon to load (the Electron app ships its own build). */
  nativeBinding?: string;
}

const DAMAGED_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

/** A user-facing sentence for a failure while preparing the database. */
function describeOpenError(file: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && DAMAGED_CODES.has(code)) {
    return `The file ${file} is not a FunScribe library database, or it is damaged.`;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `Could not prepare the library database at ${file}: ${reason}.`;
}

/** Opens the database file (":memory:" for a private in-memory one), creating its folder and schema as needed. */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let db: Database;
  try {
    db = new BetterSqlite3(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    throw new FunscribeError('DATABASE_ERROR', `Could not open the library database at ${file}.`, {
      cause: error,
    });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof FunscribeError) throw error;
    throw new FunscribeError('DATABASE_ERROR', describeOpenError(file, error), { cause: error });
  }
}
