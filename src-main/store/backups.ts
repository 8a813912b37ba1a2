// Online backups of the library with SQLite's backup API, in <dataDir>/backups: one a day at most, taken in the
// background when the library opens, the newest few kept. Each is one self-contained SQLite file.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { FunscribeError, throwIfAborted } from '../util/errors.js';
import { connectDatabase } from './connection.js';
import { writeRefusal, asLibraryError } from './write-transaction.js';

/** The folder of the backups inside the data directory. */
export const BACKUPS_DIR = 'backups';

/** How many backups are kept; older ones are deleted when a new one is taken. */
export const BACKUPS_KEPT = 5;

/** The automatic backup is taken when the newest backup is older than this (ms). */
export const BACKUP_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** A file being written is named `<final name>.partial-<pid>`; one older than this belongs to a dead process. */
const STALE_PARTIAL_MS = 60 * 60 * 1000;

/** A library of at most this many pages (64 MiB) is backed up to the end when the command closes it early. */
const FINISH_ON_CLOSE_PAGES = 16_384;

/** Pages copied per step of a backup (4 KiB each); the event loop runs between steps. */
const BACKUP_STEP_PAGES = 256;

/** Backup names: `library-<UTC time with - for : and .>.sqlite`. */
const BACKUP_NAME = /^library-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.sqlite$/;

/** One backup file. */
export interface BackupInfo {
  /** The file name inside the backups folder; what `library restore <name>` takes. */
  name: string;
  path: string;
  /** When it was taken (epoch ms, from its name). */
  createdAt: number;
  bytes: number;
}

/** The backups folder of a data directory. */
export function backupsDir(dataDir: string): string {
  return join(dataDir, BACKUPS_DIR);
}

/** The name of a backup taken at `time`. */
function backupName(time: number): string {
  return `library-${new Date(time).toISOString().replaceAll(':', '-').replace('.', '-')}.sqlite`;
}

/** The backups in a data directory, newest first. */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupsDir(dataDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((name) => {
      const match = BACKUP_NAME.exec(name);
      if (!match) return [];
      const [, day, h, m, s, ms] = match;
      const path = join(dir, name);
      // Another process may prune it meanwhile.
      const bytes = statSync(path, { throwIfNoEntry: false })?.size;
      if (bytes === undefined) return [];
      return [{ name, path, createdAt: Date.parse(`${day}T${h}:${m}:${s}.${ms}Z`), bytes }];
    })
    .sort((a, b) => b.createdAt - a.createdAt || b.name.localeCompare(a.name));
}

/** Deletes all but the newest BACKUPS_KEPT backups, and partial files left by processes that died. */
function pruneBackups(dataDir: string, now: number): void {
  for (const old of listBackups(dataDir).slice(BACKUPS_KEPT)) rmSync(old.path, { force: true });
  const dir = backupsDir(dataDir);
  for (const name of readdirSync(dir)) {
    if (!name.includes('.partial-')) continue;
    const path = join(dir, name);
    const modified = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? now;
    if (now - modified > STALE_PARTIAL_MS) rmSync(path, { force: true });
  }
}

/** Makes a finished backup file self-contained: rollback journal instead of WAL, so it is one file. */
function detachFromWal(path: string, nativeBinding: string | undefined): void {
  const copy = connectDatabase(path, { nativeBinding });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** Options of a backup. */
export interface BackupOptions {
  /** The time the backup is named after (default: now). */
  now?: number;
  /** Path of the better-sqlite3 addon (the Electron app's build). */
  nativeBinding?: string;
  /** Stops the copy between two steps; the partial file is removed and the backup rejects with CANCELLED. */
  signal?: AbortSignal;
}

/**
 * Copies the open library into a new backup file (SQLite's online backup: other work on the library goes on),
 * then deletes the oldest beyond BACKUPS_KEPT. Refuses a damaged library: its copy would push good backups out.
 */
export async function takeBackup(
  db: Database,
  dataDir: string,
  options: BackupOptions = {},
): Promise<BackupInfo> {
  const refusal = writeRefusal(db);
  if (refusal) {
    throw new FunscribeError(
      'LIBRARY_DAMAGED',
      `${refusal.message} A backup of it is not taken, so that it cannot replace the good backups.`,
    );
  }
  throwIfAborted(options.signal);
  const now = options.now ?? Date.now();
  const dir = backupsDir(dataDir);
  const path = join(dir, backupName(now));
  const partial = `${path}.partial-${process.pid}`;
  try {
    mkdirSync(dir, { recursive: true });
    await db.backup(partial, {
      progress: () => {
        if (options.signal?.aborted) throw new FunscribeError('CANCELLED', 'The backup was stopped.');
        return BACKUP_STEP_PAGES;
      },
    });
    detachFromWal(partial, options.nativeBinding);
    renameSync(partial, path);
  } catch (error) {
    throw asLibraryError(error);
  } finally {
    for (const leftover of [partial, `${partial}-journal`]) rmSync(leftover, { force: true });
  }
  pruneBackups(dataDir, now);
  return { name: backupName(now), path, createdAt: now, bytes: statSync(path).size };
}

/** The automatic backup running in the background. */
export interface RollingBackup {
  /** Settles when it has finished: the backup taken, or null when none was due or it failed. */
  readonly done: Promise<BackupInfo | null>;
  /** Lets a small library's backup finish, stops a large one between two steps (its partial file removed); waits. */
  stop(): Promise<void>;
}

/** Options of the automatic backup. */
export interface RollingBackupOptions {
  now?: number;
  nativeBinding?: string;
  /** Told why a due backup failed (a full disk, …); the command that opened the library carries on regardless. */
  onError?: (error: unknown) => void;
}

/**
 * Starts a backup in the background when the newest is older than BACKUP_INTERVAL_MS (or there is none), unless the
 * library is damaged. Never throws and never fails the caller: a failed backup is skipped until the next open.
 */
export function startRollingBackup(
  db: Database,
  dataDir: string,
  options: RollingBackupOptions = {},
): RollingBackup {
  const now = options.now ?? Date.now();
  const controller = new AbortController();
  const small = (db.pragma('page_count', { simple: true }) as number) <= FINISH_ON_CLOSE_PAGES;
  const newest = listBackups(dataDir)[0];
  const due = !writeRefusal(db) && (!newest || now - newest.createdAt >= BACKUP_INTERVAL_MS);
  const done = due
    ? new Promise<void>((resolve) => setImmediate(resolve))
        .then(() =>
          takeBackup(db, dataDir, { now, nativeBinding: options.nativeBinding, signal: controller.signal }),
        )
        .catch((error: unknown) => {
          if (!controller.signal.aborted) options.onError?.(error);
          return null;
        })
    : Promise.resolve(null);
  return {
    done,
    async stop() {
      if (!small) controller.abort();
      await done;
    },
  };
}
