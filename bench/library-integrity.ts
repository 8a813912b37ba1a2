// Library integrity benchmark: a 600,000-segment library (the search bench's meetings, through the real repository,
// plus token timestamps on every segment as the ASR stores them); the time of PRAGMA quick_check (at open, in the
// background for a library this large), of the full integrity_check (`funscribe library check`), of a whole
// openDatabase, and of an online backup.
// Run: npx tsx bench/library-integrity.ts [segments]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Database } from 'better-sqlite3';
import type { Token } from '../src-shared/types.js';
import { takeBackup } from '../src-main/store/backups.js';
import { openDatabase } from '../src-main/store/database.js';
import {
  checkLibraryFile,
  QUICK_CHECK_AT_OPEN_BYTES,
  quickCheck,
  recordCheck,
} from '../src-main/store/integrity.js';
import { writeTransaction } from '../src-main/store/write-transaction.js';
import { generate } from './search-library.js';

/** Runs of each measurement; the median is printed. */
const RUNS = 3;

/** The median wall time of `fn` over RUNS runs, in ms. */
function medianMs(fn: () => unknown): number {
  const times = Array.from({ length: RUNS }, () => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  }).sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)]!;
}

/** One token per character (Chinese) or word (English), spread over the segment's span, as the ASR stores them. */
function tokensOf(text: string, startMs: number, endMs: number): Token[] {
  const pieces = text.match(/[\u4e00-\u9fff]|[A-Za-z]+/g) ?? [];
  const step = (endMs - startMs) / Math.max(1, pieces.length);
  return pieces.map((piece, i) => ({
    text: piece,
    startMs: Math.round(startMs + i * step),
    endMs: Math.round(startMs + (i + 1) * step),
  }));
}

/** Gives every segment its token timestamps (the generator stores none). */
function addTokens(db: Database): void {
  const rows = db.prepare<[], { id: number; text: string; start_ms: number; end_ms: number }>(
    'SELECT id, text, start_ms, end_ms FROM segments',
  );
  const update = db.prepare<[string, number]>('UPDATE segments SET tokens = ? WHERE id = ?');
  writeTransaction(db, () => {
    for (const row of rows.all()) {
      update.run(JSON.stringify(tokensOf(row.text, row.start_ms, row.end_ms)), row.id);
    }
  });
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/** Builds the library, measures the checks, prints the figures and whether quick_check stays under 1 s. */
export async function runLibraryIntegrityBench(options: { segments?: number } = {}): Promise<void> {
  const segments = options.segments ?? 600_000;
  const dir = mkdtempSync(join(tmpdir(), 'funscribe-bench-integrity-'));
  const file = join(dir, 'library.sqlite');
  try {
    const db = openDatabase(file);
    const genMs = generate(db, segments);
    addTokens(db);
    const sizeMb = statSync(file).size / 1_048_576;
    console.log(
      `Library integrity: ${segments} segments with tokens, ${sizeMb.toFixed(0)} MB, built in ${(genMs / 1000).toFixed(0)} s.`,
    );
    const quickMs = medianMs(() => quickCheck(db));
    const backupStart = performance.now();
    const backup = await takeBackup(db, dir);
    const backupMs = performance.now() - backupStart;
    db.close();
    // With a check recorded today, opening a library this large starts no background check.
    recordCheck(file, []);
    const openMs = medianMs(() => openDatabase(file).close());
    const fullMs = medianMs(() => checkLibraryFile(file));
    const mbPerS = sizeMb / (quickMs / 1000);
    console.log(
      `  PRAGMA quick_check                   ${quickMs.toFixed(0).padStart(6)} ms (${mbPerS.toFixed(0)} MB/s)`,
    );
    console.log(`  openDatabase (check in background)   ${openMs.toFixed(0).padStart(6)} ms`);
    console.log(`  PRAGMA integrity_check (library check) ${fullMs.toFixed(0).padStart(4)} ms`);
    console.log(
      `  online backup (${(backup.bytes / 1_048_576).toFixed(0)} MB)               ${backupMs.toFixed(0).padStart(6)} ms`,
    );
    const atOpenMb = QUICK_CHECK_AT_OPEN_BYTES / 1_048_576;
    console.log(
      `  quick_check under 1 s: ${quickMs < 1000 ? 'yes' : 'no'}; at open for libraries up to ${atOpenMb} MB ` +
        `(~${((atOpenMb / mbPerS) * 1000).toFixed(0)} ms at this speed), in a worker thread above`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = process.argv[2];
  await runLibraryIntegrityBench({ segments: arg ? Number(arg) : undefined });
}
