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

/** One page of sentences: how many, from where, and how many matches (newest first) relevance is computed over. */
export interface SentencePage {
  order: SearchOrder;
  window: number;
  limit: number;
  offset: number;
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

type PageParams = QueryParams & Omit<SentencePage, 'order'>;
type CountParams = QueryParams & { cap: number };

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
const FILTERED: Record<Filter, { with: string; matches: string }> = {
  all: {
    with: '',
    matches: `FROM segments_fts f WHERE segments_fts MATCH @query AND f.rowid BETWEEN @low AND @high`,
  },
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

/** The search keys (and scores) of one page: FTS5 gives matches newest first (rowid DESC, see search-key.ts). */
function hitsSql(filter: Filter, order: SearchOrder): string {
  const { with: before, matches } = FILTERED[filter];
  if (order === 'newest')
    return `${before} hits AS MATERIALIZED (
      SELECT f.rowid AS key, 0 AS score ${matches} ORDER BY f.rowid DESC LIMIT @limit OFFSET @offset)`;
  return `${before} candidates AS MATERIALIZED (
      SELECT f.rowid AS key, f.rank AS score ${matches} ORDER BY f.rowid DESC LIMIT @window),
    hits AS MATERIALIZED (
      SELECT key, score FROM candidates ORDER BY score, key DESC LIMIT @limit OFFSET @offset)`;
}

function countSql(filter: Filter): string {
  const { with: before, matches } = FILTERED[filter];
  const clauses = before === '' ? '' : `WITH ${before.replace(/,$/u, '')}`;
  return `${clauses} SELECT count(*) AS n FROM (SELECT 1 ${matches} LIMIT @cap)`;
}

function pageSql(filter: Filter, order: SearchOrder): string {
  return `
    WITH ${hitsSql(filter, order)}
    SELECT s.id AS segment_id, s.meeting_id, s.start_ms, s.end_ms, s.text, m.title, m.created_at, p.name, p.label,
      p.ordinal
    FROM hits
    CROSS JOIN segments s ON s.search_key = hits.key
    CROSS JOIN meetings m ON m.id = s.meeting_id
    LEFT JOIN speakers p ON p.id = s.speaker_id
    ORDER BY hits.score, hits.key DESC`;
}

/** Counts and pages the sentences matching a search. */
export class SentenceSearch {
  private readonly pages: Record<Filter, Record<SearchOrder, Statement<PageParams, SentenceRow>>>;
  private readonly counts: Record<Filter, Statement<CountParams, { n: number }>>;
  private readonly anyDeleted: Statement<[], { deleted: number }>;

  /** Prepares the statements on an open, migrated database. */
  constructor(db: Database) {
    const pagesOf = (filter: Filter): Record<SearchOrder, Statement<PageParams, SentenceRow>> => ({
      relevance: db.prepare(pageSql(filter, 'relevance')),
      newest: db.prepare(pageSql(filter, 'newest')),
    });
    this.pages = { all: pagesOf('all'), visible: pagesOf('visible'), speaker: pagesOf('speaker') };
    this.counts = {
      all: db.prepare(countSql('all')),
      visible: db.prepare(countSql('visible')),
      speaker: db.prepare(countSql('speaker')),
    };
    this.anyDeleted = db.prepare(
      'SELECT EXISTS (SELECT 1 FROM meetings WHERE deleted_at IS NOT NULL) AS deleted',
    );
  }

  /** The matching sentences of the scope, counted up to `cap`. */
  count(scope: SentenceScope, cap: number): number {
    return this.counts[this.filterOf(scope)].get({ ...paramsOf(scope), cap })!.n;
  }

  /** One page of the scope's matching sentences, best (bm25 over the newest `window` matches) or newest first. */
  page(scope: SentenceScope, page: SentencePage): SentenceRow[] {
    const { order, ...paging } = page;
    return this.pages[this.filterOf(scope)][order].all({ ...paramsOf(scope), ...paging });
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
