// Integrity of the library file: SQLite's quick check at every open, its full check on request.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { FunscribeError } from '../util/errors.js';
import { connectDatabase, type ConnectOptions } from './connection.js';
import { RESTORE_HINT, sqliteFailure } from '../util/sqlite-failures.js';
import { refuseWrites } from './write-transaction.js';

/** At most this many problems are collected from one check. */
const MAX_PROBLEMS = 100;

/** How often a check is started again when another process changed the schema under it (an upgrade at open). */
const SCHEMA_CHANGE_RETRIES = 5;

/** True when SQLite stopped a statement because another connection changed the schema meanwhile. */
function isSchemaChange(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_SCHEMA';
}

/** Runs PRAGMA quick_check or integrity_check; returns the problems found ([] when the file is sound). */
function runCheck(
  db: Database,
  pragma: 'quick_check' | 'integrity_check',
  retries = SCHEMA_CHANGE_RETRIES,
): string[] {
  try {
    const lines = db.pragma(`${pragma}(${MAX_PROBLEMS})`, { simple: false }) as Record<string, string>[];
    const messages = lines.map((row) => String(Object.values(row)[0]));
    return messages.length === 1 && messages[0] === 'ok' ? [] : messages;
  } catch (error) {
    // Another process upgrading the library at the same open: its new schema is read on the next try.
    if (isSchemaChange(error) && retries > 0) return runCheck(db, pragma, retries - 1);
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

/** Runs SQLite's full integrity check on the library file, read-only, without migrating it; records the result. */
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
    recordCheck(file, problems);
    return { file, state: problems.length === 0 ? 'ok' : 'damaged', problems };
  } catch (error) {
    if (sqliteFailure(error)?.code !== 'LIBRARY_DAMAGED') throw error;
    return { file, state: 'damaged', problems: [(error as Error).message] };
  } finally {
    db?.close();
  }
}

/**
 * Libraries up to this size are quick-checked at every open, before anything else (measured: ~80 MB/s on a busy
 * 2-core machine, so well under a second). Larger ones are checked in a worker thread, at most once a day.
 */
export const QUICK_CHECK_AT_OPEN_BYTES = 64 * 1024 * 1024;

/** A large library's background check runs when the last one is older than this (ms). */
export const BACKGROUND_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** The last check of a large library, kept beside it (`library-check.json`); never needed for opening it. */
interface CheckRecord {
  checkedAt: number;
  problems: string[];
}

/** Where the last check of the library file `file` is recorded. */
function checkRecordPath(file: string): string {
  return join(dirname(file), 'library-check.json');
}

/** The last recorded check, or null when there is none or it cannot be read. */
function readCheckRecord(file: string): CheckRecord | null {
  try {
    const record = JSON.parse(readFileSync(checkRecordPath(file), 'utf8')) as CheckRecord;
    return Number.isFinite(record.checkedAt) && Array.isArray(record.problems) ? record : null;
  } catch {
    return null;
  }
}

/** Records a check's result; skipped when it cannot be written (a full disk): the next open checks again. */
export function recordCheck(file: string, problems: readonly string[], now = Date.now()): void {
  try {
    writeFileSync(checkRecordPath(file), JSON.stringify({ checkedAt: now, problems }));
  } catch {
    // Nothing depends on the record but the timing of the next background check.
  }
}

/** Forgets the recorded check (after a restore the file is another one). */
export function forgetCheck(file: string): void {
  rmSync(checkRecordPath(file), { force: true });
}

/** The worker thread's code: quick_check on its own read-only connection, the problems posted back. */
const CHECK_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, {
  readonly: true, fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}),
});
try {
  db.pragma('busy_timeout = 5000');
  const rows = db.pragma('quick_check(${MAX_PROBLEMS})', { simple: false }).map((row) => String(Object.values(row)[0]));
  parentPort.postMessage(rows.length === 1 && rows[0] === 'ok' ? [] : rows);
} catch (error) {
  parentPort.postMessage(String(error.code).startsWith('SQLITE_CORRUPT') || error.code === 'SQLITE_NOTADB' ? [error.message] : null);
} finally {
  db.close();
}
`;

/**
 * Quick-checks a large library in a worker thread; damage found makes the connection refuse writes. A check that
 * cannot run (a full disk, the library locked) is skipped until the next open. The worker does not keep the process
 * alive, but a process that ends during the check waits for SQLite to finish it.
 */
function checkInBackground(db: Database, file: string, nativeBinding: string | undefined): void {
  const worker = new Worker(CHECK_WORKER, {
    eval: true,
    workerData: { module: createRequire(import.meta.url).resolve('better-sqlite3'), file, nativeBinding },
  });
  worker.unref();
  const done = new Promise<void>((resolve) => {
    worker.on('error', () => resolve());
    worker.on('exit', () => resolve());
    worker.on('message', (problems: string[] | null) => {
      if (problems !== null) {
        recordCheck(file, problems);
        if (problems.length > 0 && db.open) refuseWrites(db, damagedLibraryError(file, problems));
      }
      resolve();
    });
  });
  backgroundChecks.set(db, done);
}

/** The background checks under way, by connection. */
const backgroundChecks = new WeakMap<Database, Promise<void>>();

/** Settles when the connection's background check (if any) has finished and been acted on. */
export function backgroundCheckDone(db: Database): Promise<void> {
  return backgroundChecks.get(db) ?? Promise.resolve();
}

/**
 * The integrity check at open: SQLite's quick_check at once for a library up to QUICK_CHECK_AT_OPEN_BYTES, in the
 * background (daily) for a larger one, whose last recorded damage is acted on at once. Damage makes the connection
 * refuse every write with LIBRARY_DAMAGED; reading goes on.
 */
export function checkAtOpen(
  db: Database,
  file: string,
  options: { nativeBinding?: string; checkAtOpenBytes?: number } = {},
): void {
  const bytes =
    (db.pragma('page_count', { simple: true }) as number) *
    (db.pragma('page_size', { simple: true }) as number);
  if (file === ':memory:' || bytes <= (options.checkAtOpenBytes ?? QUICK_CHECK_AT_OPEN_BYTES)) {
    const problems = quickCheck(db);
    if (problems.length > 0) refuseWrites(db, damagedLibraryError(file, problems));
    return;
  }
  const last = readCheckRecord(file);
  if (last && last.problems.length > 0) refuseWrites(db, damagedLibraryError(file, last.problems));
  if (!last || Date.now() - last.checkedAt >= BACKGROUND_CHECK_INTERVAL_MS)
    checkInBackground(db, file, options.nativeBinding);
}
