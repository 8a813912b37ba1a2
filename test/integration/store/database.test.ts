import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/database.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../../src-main/store/migrations.js';
import { FunscribeError } from '../../../src-main/util/errors.js';
import { tempLibrary, type TempLibrary } from './temp-library.js';

let lib: TempLibrary;
afterEach(() => lib.cleanup());

function tables(db: BetterSqlite3.Database): string[] {
  return db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type IN ('table') ORDER BY name")
    .all()
    .map((r) => r.name);
}

describe('openDatabase', () => {
  it('creates the folder and schema with WAL and foreign keys on', () => {
    lib = tempLibrary();
    expect(lib.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(lib.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(lib.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(lib.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(tables(lib.db)).toEqual(
      expect.arrayContaining(['meetings', 'speakers', 'segments', 'segments_fts', 'jobs', 'settings']),
    );
  });

  it('reopens an existing file without re-running migrations and keeps the data', () => {
    lib = tempLibrary();
    lib.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('k', '1');
    const before = tables(lib.db);
    lib.db.close();
    const again = openDatabase(lib.file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(tables(again)).toEqual(before);
    expect(again.prepare('SELECT value FROM settings WHERE key = ?').get('k')).toEqual({ value: '1' });
    again.close();
  });

  it('applies only missing migrations, in order, each atomically', () => {
    lib = tempLibrary();
    const extra = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, sql: 'CREATE TABLE extra_one (x INTEGER);' },
      { version: SCHEMA_VERSION + 2, sql: 'CREATE TABLE extra_two (y INTEGER); CREATE TABLE extra_one (z);' },
    ];
    expect(() => migrate(lib.db, extra)).toThrow(/already exists/);
    // The first new migration committed; the failing one left nothing behind.
    expect(lib.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(tables(lib.db)).toContain('extra_one');
    expect(tables(lib.db)).not.toContain('extra_two');
  });

  it('refuses a database made by a newer FunScribe with a clear DATABASE_ERROR', () => {
    lib = tempLibrary();
    lib.db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    lib.db.close();
    let error: unknown;
    try {
      openDatabase(lib.file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FunscribeError);
    expect((error as FunscribeError).code).toBe('DATABASE_ERROR');
    expect((error as FunscribeError).message).toMatch(/newer FunScribe/);
    // The file is untouched and still opens with plain SQLite.
    const raw = new BetterSqlite3(lib.file);
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
    raw.close();
  });

  it('reports a file that is not a database as LIBRARY_DAMAGED, with the way to a backup', () => {
    lib = tempLibrary();
    const bogus = join(lib.dir, 'not-a-db.sqlite');
    writeFileSync(
      bogus,
      'this is a text file, not SQLite, and it is long enough to have a header'.repeat(20),
    );
    expect(() => openDatabase(bogus)).toThrow(
      expect.objectContaining({
        code: 'LIBRARY_DAMAGED',
        message: expect.stringMatching(/not a FunScribe library.*funscribe library restore/),
      }),
    );
  });
});
