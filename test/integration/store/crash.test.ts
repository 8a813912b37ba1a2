import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/database.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { SearchService } from '../../../src-main/store/search.js';
import { sampleMeeting } from './sample-meetings.js';
import { tempLibrary, type TempLibrary } from './temp-library.js';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');

let lib: TempLibrary;
afterEach(() => lib.cleanup());

/** Runs the child until it reports being inside the transaction, then SIGKILLs it; resolves with its stdout. */
function runAndKillMidTransaction(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, CHILD, file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('inside-transaction')) process.kill(child.pid!, 'SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(out);
      else reject(new Error(`child ended with code ${code}: ${err}`));
    });
  });
}

describe('crash safety', () => {
  it('a process killed while writing a meeting leaves no trace of it after reopening', async () => {
    lib = tempLibrary();
    const repo = new MeetingRepository(lib.db);
    const kept = repo.create(sampleMeeting({ title: 'kept' }));
    lib.db.close();

    const out = await runAndKillMidTransaction(lib.file);
    expect(out).toContain('inside-transaction');
    expect(out).not.toContain('committed');
    // The uncommitted pages really reached the disk (the WAL) before the kill.
    const wal = `${lib.file}-wal`;
    expect(existsSync(wal) && statSync(wal).size).toBeGreaterThan(100_000);

    const db = openDatabase(lib.file);
    try {
      const reopened = new MeetingRepository(db);
      expect(reopened.list().map((m) => m.title)).toEqual(['kept']);
      expect(reopened.get(kept.id)).toEqual(kept);
      expect(db.prepare('SELECT count(*) FROM segments').pluck().get()).toBe(3);
      expect(db.prepare('SELECT count(*) FROM segments_fts').pluck().get()).toBe(3);
      expect(new SearchService(db).search({ query: 'partialword' }).hits).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.exec("INSERT INTO segments_fts (segments_fts) VALUES ('integrity-check')");
      // And the library keeps working.
      reopened.create(sampleMeeting({ title: 'after crash' }));
      expect(reopened.count()).toBe(2);
    } finally {
      db.close();
    }
  });
});
