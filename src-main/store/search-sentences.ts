// The sentence part of a search: FTS5 matches counted (up to a cap) and paged, best or newest first.
// FTS5 walks the matches of the key range newest first. Without a speaker filter or a deleted meeting it alone picks
// the page. Otherwise the kept meetings (in the range, not deleted, with a speaker of that name) are resolved first:
// a match's key tells its meeting, so only matches inside kept meetings read their segment to check its speaker.
import type { Database, Statement } from 'better-sqlite3';
import type { SearchOrder } from '../../src-shared/types.js';
import { SEGMENT_SLOTS, timeKeyRange } from './search-key.js';

/** Which sentences a search looks at: matches of an FTS5 query in meetings of a time range, maybe of one speaker name. */
export interface SentenceScope {
  /** The FTS5 MATCH expression. */
  query: string;
  fromMs: number;
  toMs: number;
  /** The speaker name to keep (case is ignored), or null for every sentence. */
  speaker: string | null;
}

/**
 * One page of sentences: how many, from where, how many matches (newest first) relevance is computed over, and up to
 * how many matches are counted (at least window + 1).
 */
export interface SentencePage {
  order: SearchOrder;
  window: number;
  limit: number;
  offset: number;
  cap: number;
}

/** A matching sentence with its meeting and speaker. */
export interface SentenceRow {
  segment_id: number;
  meeting_id: number;
  start_ms: number;
  end_ms: number;
  text: string;
  title: string;
  created_at: number;
  name: string | null;
  label: string | null;
  ordinal: number | null;
}

interface QueryParams {
  query: string;
  low: bigint;
  high: bigint;
  fromMs: number;
  toMs: number;
  speaker: string | null;
}

type FindParams = QueryParams & Omit<SentencePage, 'order'>;

/**
 * How sentences are picked: every match in the key range; only those of visible meetings (some meeting is deleted and
 * awaiting its purge); or only those of the speakers with the given name.
 */
type Filter = 'all' | 'visible' | 'speaker';

/** The search times of the visible meetings in the time range (with a speaker so named, when @speaker is given). */
const KEPT_MEETINGS = `kept_meetings AS MATERIALIZED (
  SELECT m.search_ms FROM meetings m
  WHERE m.search_ms BETWEEN @fromMs AND @toMs AND m.deleted_at IS NULL
    AND (@speaker IS NULL OR EXISTS (
      SELECT 1 FROM speakers p WHERE p.meeting_id = m.id AND p.name = @speaker COLLATE NOCASE)))`;

/** The speakers so named (those of deleted meetings are left out by KEPT_MEETINGS). */
const NAMED_SPEAKERS = `named_speakers AS MATERIALIZED (
  SELECT p.id FROM speakers p WHERE p.name = @speaker COLLATE NOCASE)`;

// A key shifted right by its slot bits is its meeting's search time (search-key.ts), so matches outside the kept
// meetings are dropped without reading their segment; only matches inside them look up the segment's speaker.
const IN_KEPT_MEETING = `(f.rowid >> ${Math.log2(SEGMENT_SLOTS)}) IN kept_meetings`;

/** The WITH clauses and the FROM … WHERE of each filter's matches; `f` is the FTS5 table. */
const FILTERED: Record<Exclude<Filter, 'all'>, { with: string; matches: string }> = {
  visible: {
    with: `${KEPT_MEETINGS},`,
    matches: `FROM segments_fts f
      WHERE segments_fts MATCH @query AND f.rowid BETWEEN @low AND @high AND ${IN_KEPT_MEETING}`,
  },
  speaker: {
    with: `${KEPT_MEETINGS}, ${NAMED_SPEAKERS},`,
    matches: `FROM segments_fts f CROSS JOIN segments s ON s.search_key = f.rowid
      WHERE segments_fts MATCH @query AND f.rowid BETWEEN @low AND @high AND ${IN_KEPT_MEETING}
        AND s.speaker_id IN named_speakers`,
  },
};

const ROW_COLUMNS = `s.id AS segment_id, s.meeting_id, s.start_ms, s.end_ms, s.text, m.title, m.created_at, p.name,
  p.label, p.ordinal`;

/** The sentences of the page's search keys, with their meeting and speaker. */
const ROWS_OF_HITS = `FROM hits
  CROSS JOIN segments s ON s.search_key = hits.key
  CROSS JOIN meetings m ON m.id = s.meeting_id
  LEFT JOIN speakers p ON p.id = s.speaker_id`;

/** Unfiltered, FTS5 counts the matches on its own (cheaply) and picks the page of keys: newest first is rowid DESC. */
const ALL_MATCHES = 'FROM segments_fts WHERE segments_fts MATCH @query AND rowid BETWEEN @low AND @high';

const ALL_HITS: Record<SearchOrder, string> = {
  newest: `hits AS MATERIALIZED (
    SELECT rowid AS key, 0 AS score ${ALL_MATCHES} ORDER BY rowid DESC LIMIT @limit OFFSET @offset)`,
  relevance: `candidates AS MATERIALIZED (
    SELECT rowid AS key, rank AS score ${ALL_MATCHES} ORDER BY rowid DESC LIMIT @window),
  hits AS MATERIALIZED (
    SELECT key, score FROM candidates ORDER BY score, key DESC LIMIT @limit OFFSET @offset)`,
};

const ALL_COUNT_SQL = `SELECT count(*) AS n FROM (SELECT 1 ${ALL_MATCHES} LIMIT @cap)`;

function allPageSql(order: SearchOrder): string {
  return `WITH ${ALL_HITS[order]} SELECT ${ROW_COLUMNS} ${ROWS_OF_HITS} ORDER BY hits.score, hits.key DESC`;
}

/**
 * Filtered, one walk over the matches gives both the count (up to @cap) and the page: the kept matches newest first,
 * the newest @window of them ranked (bm25) or kept in order, then the page's sentences. The count comes in every row;
 * with no sentence on the page there is one row with only the count.
 */
function filteredSql(filter: Exclude<Filter, 'all'>, order: SearchOrder): string {
  const { with: before, matches } = FILTERED[filter];
  return `
    WITH ${before}
    kept AS MATERIALIZED (
      SELECT f.rowid AS key, ${order === 'relevance' ? 'f.rank' : '0'} AS score ${matches}
      ORDER BY f.rowid DESC LIMIT @cap),
    hits AS MATERIALIZED (
      SELECT key, score FROM (SELECT key, score FROM kept ORDER BY key DESC LIMIT @window)
      ORDER BY score, key DESC LIMIT @limit OFFSET @offset),
    page AS (SELECT ${ROW_COLUMNS}, hits.score, hits.key ${ROWS_OF_HITS})
    SELECT counted.n AS counted, page.segment_id, page.meeting_id, page.start_ms, page.end_ms, page.text, page.title,
      page.created_at, page.name, page.label, page.ordinal
    FROM (SELECT count(*) AS n FROM kept) AS counted LEFT JOIN page ON 1
    ORDER BY page.score, page.key DESC`;
}

/** A row of a filtered search: the count, and a sentence unless the page holds none. */
type FilteredRow = { counted: number } & ({ [K in keyof SentenceRow]: null } | SentenceRow);

/** The sentences matching a search, counted and paged. */
export class SentenceSearch {
  private readonly allPages: Record<SearchOrder, Statement<FindParams, SentenceRow>>;
  private readonly allCount: Statement<FindParams, { n: number }>;
  private readonly filtered: Record<
    Exclude<Filter, 'all'>,
    Record<SearchOrder, Statement<FindParams, FilteredRow>>
  >;
  private readonly anyDeleted: Statement<[], { deleted: number }>;

  /** Prepares the statements on an open, migrated database. */
  constructor(db: Database) {
    this.allPages = {
      relevance: db.prepare(allPageSql('relevance')),
      newest: db.prepare(allPageSql('newest')),
    };
    this.allCount = db.prepare(ALL_COUNT_SQL);
    const filteredOf = (
      filter: Exclude<Filter, 'all'>,
    ): Record<SearchOrder, Statement<FindParams, FilteredRow>> => ({
      relevance: db.prepare(filteredSql(filter, 'relevance')),
      newest: db.prepare(filteredSql(filter, 'newest')),
    });
    this.filtered = { visible: filteredOf('visible'), speaker: filteredOf('speaker') };
    this.anyDeleted = db.prepare(
      'SELECT EXISTS (SELECT 1 FROM meetings WHERE deleted_at IS NOT NULL) AS deleted',
    );
  }

  /**
   * The scope's matching sentences counted up to `page.cap`, and one page of them: best (bm25 over the newest
   * `window` matches) or newest first. `page.limit` may be 0 (only the count).
   */
  find(scope: SentenceScope, page: SentencePage): { counted: number; rows: SentenceRow[] } {
    const { order, ...paging } = page;
    const params = { ...paramsOf(scope), ...paging };
    const filter = this.filterOf(scope);
    if (filter === 'all') {
      const counted = this.allCount.get(params)!.n;
      const rows = counted > 0 && paging.limit > 0 ? this.allPages[order].all(params) : [];
      return { counted, rows };
    }
    const found = this.filtered[filter][order].all(params);
    const rows = found.filter((row): row is FilteredRow & SentenceRow => row.segment_id !== null);
    return { counted: found[0]?.counted ?? 0, rows };
  }

  private filterOf(scope: SentenceScope): Filter {
    if (scope.speaker !== null) return 'speaker';
    return this.anyDeleted.get()!.deleted === 0 ? 'all' : 'visible';
  }
}

function paramsOf(scope: SentenceScope): QueryParams {
  const [low, high] = timeKeyRange(scope.fromMs, scope.toMs);
  return { ...scope, low, high };
}
