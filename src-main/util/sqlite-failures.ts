// What SQLite's own failures mean for a user: a full disk, a damaged library, a library another process keeps busy.

/** A failure's stable code (one of errors.ts's ErrorCode, spelled out so that errors.ts may import this file). */
export interface Failure {
  code: 'DISK_FULL' | 'LIBRARY_DAMAGED' | 'LIBRARY_BUSY';
  message: string;
  /** The variant of the code's message (see src-shared/error-codes.ts). */
  params: { reason: 'library' | 'damaged' | 'busy' };
}

/** What to do about a damaged library, said wherever the damage shows. */
export const RESTORE_HINT =
  'Run "funscribe library check" to see the damage and "funscribe library restore" to go back to a backup.';

/** The message of DISK_FULL for a write to the library. */
export const LIBRARY_DISK_FULL_MESSAGE =
  'The disk that holds the library is full, so nothing was saved (the library is unchanged). ' +
  'Free some space on that disk and try again.';

/** The SQLite result code of an error thrown by better-sqlite3, if it is one. */
function sqliteCode(error: unknown): string | null {
  if (!(error instanceof Error) || error.name !== 'SqliteError') return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/** True when SQLite failed for want of disk space (a full file system gives SQLITE_FULL, or SHMSIZE for the WAL index). */
export function isOutOfSpace(error: unknown): boolean {
  const code = sqliteCode(error);
  return code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE';
}

/** The user-facing meaning of a SQLite failure a user can act on, or null for anything else. */
export function sqliteFailure(error: unknown): Failure | null {
  const code = sqliteCode(error);
  if (code === null) return null;
  if (isOutOfSpace(error)) {
    return { code: 'DISK_FULL', message: LIBRARY_DISK_FULL_MESSAGE, params: { reason: 'library' } };
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return {
      code: 'LIBRARY_DAMAGED',
      message: `The library database is damaged. ${RESTORE_HINT}`,
      params: { reason: 'damaged' },
    };
  }
  if (code.startsWith('SQLITE_BUSY')) {
    return {
      code: 'LIBRARY_BUSY',
      message:
        'Another FunScribe process (the desktop app or a command) kept the library busy for too long. ' +
        'Try again when it has finished.',
      params: { reason: 'busy' },
    };
  }
  return null;
}
