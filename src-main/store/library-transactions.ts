// Write transactions of one library for code above store/: several repository calls made atomic without the database.
import type { Database } from 'better-sqlite3';
import { writeTransaction } from './write-transaction.js';

/** Runs work atomically on one library. */
export interface LibraryTransactions {
  /** Runs `work` in one immediate write transaction (a savepoint inside one already open) and returns its result. */
  write<T>(work: () => T): T;
}

/** The write transactions of an open library connection. */
export function libraryTransactions(db: Database): LibraryTransactions {
  return { write: (work) => writeTransaction(db, work) };
}
