// Full-text search over all stored segments (Chinese and English): FTS5 finds the segments, JS marks the matches.
import type { Database, Statement } from 'better-sqlite3';
import type { SearchHit, SearchOrder, SearchRequest } from '../../src-shared/types.js';
import { MAX_SEARCH_LIMIT } from '../../src-shared/schemas/limits.js';
import { FunscribeError } from '../util/errors.js';
import { highlighter, makeSnippet } from './search-highlight.js';
import { ALL_KEYS, meetingKeyRange } from './search-key.js';
import { buildFtsQuery, parseQuery } from './search-query.js';
import { isRowId } from './validate.js';

/** Hits returned when a request gives no limit. */
export const DEFAULT_SEARCH_LIMIT = 50;

/**
 * Relevance (bm25) is computed for at most this many matches, the newest ones (or offset + limit when paging deeper).
 * Rarer terms are ranked over all their matches; a word found in thousands of segments is ranked over its recent ones,
 * which keeps every query fast however common its words are.
 */
export const RELEVANCE_WINDOW = 1000;

interface HitRow {
  segment_id: number;
  meeting_id: number;
  start_ms: number;
  end_ms: number;
  text: string;
  title: string;
  created_at: number;
  name: string | null;
  label: string | null;
}

interface HitParams {
  query: string;
  low: bigint;
  high: bigint;
  window: number;
  limit: number;
  offset: number;
}

const MATCHES = 'FROM segments_fts WHERE segments_fts MATCH @query AND rowid BETWEEN @low AND @high';

// Both orders pick the page of search keys inside FTS5 (rowid DESC is newest first, see search-key.ts),
// then look up only those segments.
const PAGE_SQL: Record<SearchOrder, string> = {
  newest: `hits AS MATERIALIZED (
      SELECT rowid AS key, 0 AS score ${MATCHES} ORDER BY rowid DESC LIMIT @limit OFFSET @offset)`,
  relevance: `candidates AS MATERIALIZED (
      SELECT rowid AS key, rank AS score ${MATCHES} ORDER BY rowid DESC LIMIT @window),
    hits AS MATERIALIZED (
      SELECT key, score FROM candidates ORDER BY score, key DESC LIMIT @limit OFFSET @offset)`,
};

function hitsSql(order: SearchOrder): string {
  return `
    WITH ${PAGE_SQL[order]}
    SELECT s.id AS segment_id, s.meeting_id, s.start_ms, s.end_ms, s.text, m.title, m.created_at, p.name, p.label
    FROM hits
    CROSS JOIN segments s ON s.search_key = hits.key
    CROSS JOIN meetings m ON m.id = s.meeting_id
    LEFT JOIN speakers p ON p.id = s.speaker_id
    ORDER BY hits.score, hits.key DESC`;
}

/** A whole number within [min, max], or `fallback` when `value` is not a number. */
function clampInt(value: unknown, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/** Searches segments. Any query text is accepted: it returns hits or none, never a query syntax error. */
export class SearchService {
  private readonly statements: Record<SearchOrder, Statement<HitParams, HitRow>>;
  private readonly searchMsOf: Statement<[number], { search_ms: number }>;

  /** Prepares the statements on an open, migrated database. */
  constructor(db: Database) {
    this.statements = {
      relevance: db.prepare(hitsSql('relevance')),
      newest: db.prepare(hitsSql('newest')),
    };
    this.searchMsOf = db.prepare('SELECT search_ms FROM meetings WHERE id = ?');
  }

  /** Segments matching every term of `req.query`, best (or newest) first, with a marked snippet and match ranges. */
  search(req: SearchRequest): SearchHit[] {
    if (typeof req !== 'object' || req === null)
      throw new FunscribeError('INVALID_ARGUMENT', 'The search is missing.');
    const terms = parseQuery(req.query);
    const query = buildFtsQuery(terms);
    if (query === null) return [];
    const keys = this.keyRange(req.meetingId);
    if (keys === null) return [];
    const order: SearchOrder = req.order === 'newest' ? 'newest' : 'relevance';
    const limit = clampInt(req.limit, DEFAULT_SEARCH_LIMIT, 1, MAX_SEARCH_LIMIT);
    const offset = clampInt(req.offset, 0, 0, Number.MAX_SAFE_INTEGER - MAX_SEARCH_LIMIT);
    const rows = this.statements[order].all({
      query,
      low: keys[0],
      high: keys[1],
      window: Math.max(RELEVANCE_WINDOW, offset + limit),
      limit,
      offset,
    });
    const highlightsOf = highlighter(terms);
    return rows.map((row) => {
      const highlights = highlightsOf(row.text);
      return {
        meetingId: row.meeting_id,
        meetingTitle: row.title,
        meetingCreatedAt: row.created_at,
        segmentId: row.segment_id,
        startMs: row.start_ms,
        endMs: row.end_ms,
        speaker: row.name ?? row.label,
        text: row.text,
        snippet: makeSnippet(row.text, highlights),
        highlights,
      };
    });
  }

  /** The search keys to look in: all, one meeting's, or null when the meeting does not exist. */
  private keyRange(meetingId: number | undefined): readonly [bigint, bigint] | null {
    if (meetingId === undefined || meetingId === null) return ALL_KEYS;
    const row = isRowId(meetingId) ? this.searchMsOf.get(meetingId) : undefined;
    return row ? meetingKeyRange(row.search_ms) : null;
  }
}
