// Search benchmark: 600,000 generated meeting segments (Chinese, English and mixed; search-library.ts, cached in
// .cache/bench/) in a temp copy; FTS5 search as the app runs it, with each filter of the search panel, side by side
// with a LIKE scan that returns the same rows in the same order.
// Run: npx tsx bench/search.ts [segments]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Database } from 'better-sqlite3';
import type { SearchOrder, SearchRequest } from '../src-shared/types.js';
import { libraryFileOf } from '../src-main/application/library-maintenance.js';
import { openDatabase } from '../src-main/store/database.js';
import { SearchService } from '../src-main/store/search.js';
import { CAST, copyGeneratedLibrary } from './search-library.js';

/** Queries measured: each occurs in the generated data. */
const QUERIES: { label: string; query: string }[] = [
  { label: 'zh 2 chars', query: '预算' },
  { label: 'zh 4 chars', query: '数据分析' },
  { label: 'zh 3 chars (word pair)', query: '项目预' },
  { label: 'en word', query: 'budget' },
];

const RUNS = 60;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `fn` RUNS times (after one warm-up) and returns p50, p95 and what the last run returned. */
function measure(fn: () => number): { p50: number; p95: number; hits: number } {
  let hits = fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    hits = fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), hits };
}

interface Row {
  query: string;
  method: string;
  p50: number;
  p95: number;
  hits: number;
}

function printTable(rows: readonly Row[]): void {
  const cells = rows.map((r) => [r.query, r.method, r.p50.toFixed(2), r.p95.toFixed(2), String(r.hits)]);
  const header = ['query', 'method', 'p50 ms', 'p95 ms', 'hits (page+total: total)'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => c.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  for (const c of cells) console.log(line(c));
}

/**
 * The typed query to a page of results (titles, named speakers and sentences with the total) under each filter the
 * search panel offers: a date range of the last 90 days, one speaker name, one meeting, and all three with paging.
 */
function filteredRows(search: SearchService, name: string, query: string, db: Database): Row[] {
  const newest = db
    .prepare<[], { id: number; created_at: number }>(
      'SELECT id, created_at FROM meetings ORDER BY created_at DESC LIMIT 1',
    )
    .get()!;
  const from = newest.created_at - 90 * 86_400_000;
  const requests: { method: string; req: SearchRequest }[] = [
    { method: 'page+total, 90 days', req: { query, from, to: newest.created_at } },
    { method: 'page+total, speaker', req: { query, speaker: CAST[0]! } },
    { method: 'page+total, meeting', req: { query, meetingId: newest.id } },
    { method: 'page 2+total, all 3', req: { query, from, speaker: CAST[0]!, offset: 50, order: 'newest' } },
  ];
  return requests.map(({ method, req }) => ({
    query: name,
    method,
    ...measure(() => search.search({ limit: 50, ...req }).total),
  }));
}

/** Generates the data, measures FTS5 search against LIKE scans and prints a table and whether the targets are met. */
export async function runSearchBench(options: { segments?: number } = {}): Promise<void> {
  const segments = options.segments ?? 600_000;
  const dir = mkdtempSync(join(tmpdir(), 'funscribe-bench-search-'));
  const builtSeconds = copyGeneratedLibrary(segments, dir);
  const file = libraryFileOf(dir);
  const db = openDatabase(file);
  try {
    const sizeMb = statSync(file).size / 1_048_576;
    console.log(
      `${segments} generated segments (${sizeMb.toFixed(0)} MB), ` +
        (builtSeconds > 0 ? `built in ${builtSeconds.toFixed(1)} s.` : 'the cached library.'),
    );
    const search = new SearchService(db);
    const countMatches = db.prepare<[string], { n: number }>(
      `SELECT count(*) AS n FROM segments WHERE text LIKE ?`,
    );
    // The app shows hits newest first (or by relevance); a LIKE scan ordered the same way must read every row.
    const likeNewest = db.prepare<[string], { id: number }>(
      `SELECT s.id FROM segments s JOIN meetings m ON m.id = s.meeting_id WHERE s.text LIKE ?
       ORDER BY m.created_at DESC, m.id DESC, s.start_ms, s.id LIMIT 50`,
    );
    // For reference only: the first 50 rows in table order, which stops as soon as 50 rows matched.
    const likeFirst = db.prepare<[string], { id: number }>(
      `SELECT id FROM segments WHERE text LIKE ? LIMIT 50`,
    );
    const rows: Row[] = [];
    const verdicts: string[] = [];
    for (const { label, query } of QUERIES) {
      const name = `${query} (${label}, ${countMatches.get(`%${query}%`)!.n} rows contain it)`;
      const sameRows =
        search
          .search({ query, order: 'newest' })
          .hits.filter((h) => h.kind === 'text')
          .map((h) => h.segmentId)
          .join() ===
        likeNewest
          .all(`%${query}%`)
          .map((r) => r.id)
          .join();
      const ours: Record<SearchOrder, Row> = {
        newest: {
          query: name,
          method: 'fts5 newest',
          ...measure(() => search.search({ query, order: 'newest' }).hits.length),
        },
        relevance: {
          query: name,
          method: 'fts5 relevance',
          ...measure(() => search.search({ query, order: 'relevance' }).hits.length),
        },
      };
      const like: Row = {
        query: name,
        method: 'LIKE newest',
        ...measure(() => likeNewest.all(`%${query}%`).length),
      };
      const first: Row = {
        query: name,
        method: 'LIKE first 50',
        ...measure(() => likeFirst.all(`%${query}%`).length),
      };
      const filtered = filteredRows(search, name, query, db);
      rows.push(ours.newest, ours.relevance, ...filtered, like, first);
      const worstP95 = Math.max(ours.newest.p95, ours.relevance.p95);
      const worstFiltered = Math.max(...filtered.map((row) => row.p95));
      const speedUp = like.p50 / Math.max(ours.newest.p50, ours.relevance.p50);
      const chars = Array.from(query).length;
      verdicts.push(
        `${query}: p95 ${worstP95.toFixed(2)} ms (< 50 ms: ${worstP95 < 50 ? 'met' : 'NOT met'}); ` +
          `${speedUp.toFixed(0)}x faster than LIKE newest at p50` +
          `, same 50 rows as LIKE newest: ${sameRows ? 'yes' : 'NO'}` +
          (chars >= 3 ? ` (>= 20x: ${speedUp >= 20 ? 'met' : 'NOT met'})` : ' (no target under 3 chars)') +
          `; with filters p95 ${worstFiltered.toFixed(2)} ms (< 150 ms: ${worstFiltered < 150 ? 'met' : 'NOT met'})`,
      );
    }
    printTable(rows);
    console.log('');
    for (const v of verdicts) console.log(v);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = Number(process.argv[2]);
  await runSearchBench(Number.isSafeInteger(arg) && arg > 0 ? { segments: arg } : {});
}
