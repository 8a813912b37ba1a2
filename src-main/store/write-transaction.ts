// The one way to write to the library in a transaction: BEGIN IMMEDIATE, so a writer waits for the busy timeout instead
// of failing when its read turns into a write; refused on a damaged library; a full disk or damage said plainly.
import type { Database } from 'better-sqlite3';
import type { FunscribeError } from '../util/errors.js';
import { errorFromInfo } from '../util/errors.js';
import { sqliteFailure } from '../util/sqlite-failures.js';

/** Why each refusing connection takes no writes (see refuseWrites). */
const refusals = new WeakMap<Database, FunscribeError>();

/** The same failure as a FunscribeError when SQLite's code means something to users (DISK_FULL, …), else unchanged. */
export function asLibraryError(error: unknown): unknown {
  const failure = sqliteFailure(error);
  return failure ? errorFromInfo(failure, error) : error;
}

/** Runs `fn` in one immediate write transaction (a savepoint inside another) and returns its result. */
export function writeTransaction<T>(db: Database, fn: () => T): T {
  const refusal = refusals.get(db);
  if (refusal) throw refusal;
  try {
    return db.transaction(fn).immediate();
  } catch (error) {
    throw asLibraryError(error);
  }
}

/**
 * Opens an exclusive transaction and leaves it open: in rollback-journal mode no other connection can then read or
 * write until this one closes (used while the library file is swapped for a backup). Fails at once when it is busy
 * and the connection's busy timeout is 0.
 */
export function holdExclusiveLock(db: Database): void {
  db.exec('BEGIN EXCLUSIVE');
}

/** Why this connection takes no writes, or null when it does. */
export function writeRefusal(db: Database): FunscribeError | null {
  return refusals.get(db) ?? null;
}

/**
 * Makes every later write through this connection throw `refusal`: write transactions at once, and any single
 * INSERT, UPDATE or DELETE on a table through per-connection TEMP triggers (nothing is written to the file).
 */
export function refuseWrites(db: Database, refusal: FunscribeError): void {
  refusals.set(db, refusal);
  db.function('funscribe_refuse_write', () => {
    throw refusal;
  });
  const tables = db
    .prepare(
      "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .pluck()
    .all() as string[];
  for (const table of tables) {
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      const trigger = `"refuse_${event.toLowerCase()}_${table.replaceAll('"', '""')}"`;
      db.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS ${trigger} BEFORE ${event} ON main."${table.replaceAll('"', '""')}" ` +
          'BEGIN SELECT funscribe_refuse_write(); END',
      );
    }
  }
}
