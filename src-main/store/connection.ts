// One SQLite connection to a library file, with the busy timeout every FunScribe connection uses.
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { FunscribeError } from '../util/errors.js';

/** How long a statement waits for another connection's write lock before giving up, in ms. */
export const BUSY_TIMEOUT_MS = 5000;

/** How to connect: the addon to load (the Electron app ships its own build) and whether only to read. */
export interface ConnectOptions {
  /** Path of the better-sqlite3 addon to load. */
  nativeBinding?: string;
  /** Open an existing file for reading only. */
  readonly?: boolean;
}

/** Opens a connection to `file` with the busy timeout set; DATABASE_ERROR when SQLite cannot even open it. */
export function connectDatabase(file: string, options: ConnectOptions = {}): Database {
  let db: Database;
  try {
    db = new BetterSqlite3(file, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.readonly ? { readonly: true, fileMustExist: true } : {}),
    });
  } catch (error) {
    throw new FunscribeError('DATABASE_ERROR', `Could not open the library database at ${file}.`, {
      cause: error,
    });
  }
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}
