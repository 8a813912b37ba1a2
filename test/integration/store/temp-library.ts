// A library database in a fresh temp folder for one test, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../../src-main/store/database.js';

/** A temp folder, the database file path inside it, an open database, and a cleanup that closes and removes both. */
export interface TempLibrary {
  dir: string;
  file: string;
  db: Database;
  cleanup(): void;
}

/** Creates a temp folder and opens (creating) a library database in a subfolder of it. */
export function tempLibrary(): TempLibrary {
  const dir = mkdtempSync(join(tmpdir(), 'funscribe-store-'));
  const file = join(dir, 'library', 'funscribe.sqlite');
  const db = openDatabase(file);
  return {
    dir,
    file,
    db,
    cleanup() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
