// The library's integrity check at open (during it for a small library, in a worker thread for a large one), the
// write refusal on damage, rolling backups and restoring one, on real SQLite files.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKUPS_KEPT,
  backupsDir,
  listBackups,
  startRollingBackup,
  takeBackup,
} from '../../../src-main/store/backups.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { backgroundCheckDone } from '../../../src-main/store/integrity.js';
import { restoreBackup } from '../../../src-main/store/library-restore.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { buildLibrary, damageSegmentsPage } from './library-damage.js';
import { sampleMeeting } from './sample-meetings.js';

let dataDir: string;
let file: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ path: dataDir, remove } = await makeTempDir('integrity'));
  file = join(dataDir, 'library.sqlite');
});
afterEach(() => remove());

const DAY = 24 * 60 * 60 * 1000;

describe('integrity check at open', () => {
  it('a damaged library opens for reading and refuses every kind of write', () => {
    buildLibrary(file, 4);
    damageSegmentsPage(file);
    const db = openDatabase(file);
    try {
      const meetings = new MeetingRepository(db);
      expect(meetings.list().map((m) => m.title)).toHaveLength(4);
      const damaged = expect.objectContaining({
        code: 'LIBRARY_DAMAGED',
        message: expect.stringMatching(/library restore/),
      });
      expect(() => meetings.create(sampleMeeting())).toThrow(damaged);
      // A single statement outside any transaction is refused too.
      expect(() => db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run()).toThrow(damaged);
      expect(() => db.prepare('DELETE FROM meetings').run()).toThrow(damaged);
      expect(meetings.count()).toBe(4);
    } finally {
      db.close();
    }
  });

  it('a large library is checked in a worker thread, and its recorded damage is refused at the next open', async () => {
    buildLibrary(file, 4);
    damageSegmentsPage(file);
    const db = openDatabase(file, { checkAtOpenBytes: 0 });
    try {
      await backgroundCheckDone(db);
      expect(() => new MeetingRepository(db).create(sampleMeeting())).toThrow(
        expect.objectContaining({ code: 'LIBRARY_DAMAGED' }),
      );
    } finally {
      db.close();
    }
    const record = JSON.parse(readFileSync(join(dataDir, 'library-check.json'), 'utf8')) as {
      problems: string[];
    };
    expect(record.problems.length).toBeGreaterThan(0);
    const again = openDatabase(file, { checkAtOpenBytes: 0 });
    try {
      // Refused at once, before any new check has run.
      expect(() => again.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run()).toThrow(
        expect.objectContaining({ code: 'LIBRARY_DAMAGED' }),
      );
    } finally {
      again.close();
    }
  });

  it('a sound large library passes its background check and takes writes', async () => {
    buildLibrary(file, 2);
    const db = openDatabase(file, { checkAtOpenBytes: 0 });
    try {
      await backgroundCheckDone(db);
      new MeetingRepository(db).create(sampleMeeting());
      expect(JSON.parse(readFileSync(join(dataDir, 'library-check.json'), 'utf8'))).toMatchObject({
        problems: [],
      });
    } finally {
      db.close();
    }
  });
});

describe('backups', () => {
  it('one a day at most, taken in the background, the newest few kept, each a sound single file', async () => {
    buildLibrary(file, 2);
    const db = openDatabase(file);
    try {
      mkdirSync(backupsDir(dataDir), { recursive: true });
      const start = Date.UTC(2026, 0, 1);
      for (let day = 0; day < BACKUPS_KEPT + 2; day++) {
        const backup = startRollingBackup(db, dataDir, { now: start + day * DAY });
        expect(await backup.done).not.toBeNull();
        // The same day again: nothing new.
        expect(await startRollingBackup(db, dataDir, { now: start + day * DAY + 3_600_000 }).done).toBeNull();
      }
      const backups = listBackups(dataDir);
      expect(backups).toHaveLength(BACKUPS_KEPT);
      expect(backups[0]!.createdAt).toBe(start + (BACKUPS_KEPT + 1) * DAY);
      const copy = new BetterSqlite3(backups[0]!.path, { readonly: true });
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT count(*) FROM meetings').pluck().get()).toBe(2);
      copy.close();
      expect(existsSync(`${backups[0]!.path}-wal`)).toBe(false);
    } finally {
      db.close();
    }
  });

  it('a backup that cannot be written (no folder for it) fails quietly in the background', async () => {
    buildLibrary(file, 1);
    writeFileSync(backupsDir(dataDir), 'a file where the folder should be');
    const db = openDatabase(file);
    try {
      const errors: unknown[] = [];
      expect(await startRollingBackup(db, dataDir, { onError: (e) => errors.push(e) }).done).toBeNull();
      expect(errors).toHaveLength(1);
    } finally {
      db.close();
    }
  });

  it('restore checks the backup, keeps the current file aside, and refuses while the library is open elsewhere', async () => {
    buildLibrary(file, 2);
    const db = openDatabase(file);
    const backup = await takeBackup(db, dataDir);
    new MeetingRepository(db).create(sampleMeeting({ title: 'after the backup' }));
    expect(() => restoreBackup(dataDir, file, backup.name)).toThrow(
      expect.objectContaining({ code: 'LIBRARY_BUSY' }),
    );
    db.close();

    expect(() => restoreBackup(dataDir, file, 'library-nope.sqlite')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining(backup.name) }),
    );
    const result = restoreBackup(dataDir, file, backup.name);
    const restored = openDatabase(file);
    expect(new MeetingRepository(restored).count()).toBe(2);
    restored.close();
    const aside = openDatabase(result.setAside!);
    expect(new MeetingRepository(aside).count()).toBe(3);
    aside.close();

    // A damaged backup is refused and the library left alone.
    damageSegmentsPage(backup.path);
    expect(() => restoreBackup(dataDir, file, backup.name)).toThrow(
      expect.objectContaining({ code: 'LIBRARY_DAMAGED' }),
    );
  });
});
