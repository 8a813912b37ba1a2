// Several real processes on one library file: writers never lose a meeting to "database is locked", and opening a
// new or older library at once never fails. Every write transaction is an immediate one (write-transaction.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/database.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../../src-main/store/migrations.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { runTogether, type ChildResult } from './child-process.js';
import { sampleMeeting } from './sample-meetings.js';

const CHILD = fileURLToPath(new URL('./concurrent-child.mjs', import.meta.url));
const SRC_MAIN = fileURLToPath(new URL('../../../src-main', import.meta.url));

let removeTemp: (() => Promise<void>) | null = null;
afterEach(async () => {
  await removeTemp?.();
  removeTemp = null;
});

async function tempDir(): Promise<string> {
  const temp = await makeTempDir('concurrent');
  removeTemp = temp.remove;
  return temp.path;
}

function failures(results: readonly ChildResult[]): string[] {
  return results.filter((r) => r.code !== 0 || !r.stdout.includes('ok')).map((r) => r.stderr);
}

/** Every .ts file under a folder. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Six processes open `file` at the same moment; all succeed and leave it at the current schema version. */
async function openAtOnce(file: string, round: number): Promise<void> {
  const results = await runTogether(
    CHILD,
    Array.from({ length: 6 }, () => ['open', file]),
  );
  expect(failures(results), `round ${round}`).toEqual([]);
  const db = new BetterSqlite3(file, { readonly: true });
  expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  db.close();
}

describe('one library, several processes', () => {
  it('four processes storing meetings at once lose none of them', { timeout: 240_000 }, async () => {
    const file = join(await tempDir(), 'library.sqlite');
    const perProcess = 40;
    const tags = ['a', 'b', 'c', 'd'];
    // The library exists before they start: this is about writing, not about creating it.
    openDatabase(file).close();
    const results = await runTogether(
      CHILD,
      tags.map((tag) => ['write', file, String(perProcess), tag, JSON.stringify(sampleMeeting())]),
    );
    expect(failures(results)).toEqual([]);
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM meetings').pluck().get()).toBe(tags.length * perProcess);
      expect(db.prepare('SELECT count(DISTINCT title) FROM meetings').pluck().get()).toBe(
        tags.length * perProcess,
      );
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it(
    'six processes opening a new library at once all succeed, round after round',
    { timeout: 600_000 },
    async () => {
      const dir = await tempDir();
      for (let round = 0; round < 15; round++) {
        const file = join(dir, `round-${round}`, 'library.sqlite');
        await openAtOnce(file, round);
        // Nothing but the library (and its WAL files, if a reader is still closing) is left: no draft of it.
        const left = readdirSync(join(dir, `round-${round}`));
        expect(left.filter((name) => !/^library\.sqlite(-wal|-shm)?$/.test(name))).toEqual([]);
      }
    },
  );

  it(
    'six processes upgrading an older library at once all succeed, round after round',
    { timeout: 600_000 },
    async () => {
      const dir = await tempDir();
      for (let round = 0; round < 10; round++) {
        const file = join(dir, `old-${round}.sqlite`);
        const old = new BetterSqlite3(file);
        old.pragma('journal_mode = WAL');
        migrate(old, MIGRATIONS.slice(0, 1));
        old.close();
        await openAtOnce(file, round);
      }
    },
  );

  it('no code in src-main starts a transaction except writeTransaction', () => {
    const offenders = sourceFiles(SRC_MAIN)
      .filter((path) => !path.endsWith(join('store', 'write-transaction.ts')))
      .filter((path) => /\.transaction\s*\(|['"`]\s*BEGIN\b/i.test(readFileSync(path, 'utf8')))
      .map((path) => relative(SRC_MAIN, path));
    expect(offenders).toEqual([]);
  });
});
