// Full-text search over all stored meetings (Chinese and English): meeting titles and the speakers' names are matched
// in JS (there are few of them), sentences through FTS5; JS marks the matches. One page spans titles, then speakers,
// then sentences, with the total of all three.
import type { Database, Statement } from 'better-sqlite3';
import type { SearchHit, SearchRequest, SearchResult } from '../../src-shared/types.js';
import { MAX_SEARCH_LIMIT } from '../../src-shared/schemas/limits.js';
import { FunscribeError } from '../util/errors.js';
import { allTermsMatcher, highlighter, makeSnippet } from './search-highlight.js';
import { MAX_SEARCH_MS } from './search-key.js';
import { SentenceSearch, type SentenceRow } from './search-sentences.js';
import { buildFtsQuery, parseQuery, type QueryTerm } from './search-query.js';
import { isRowId } from './validate.js';

/** Hits returned when a request gives no limit. */
export const DEFAULT_SEARCH_LIMIT = 50;

/**
 * Relevance (bm25) is computed for at most this many matches, the newest ones (or offset + limit when paging deeper).
 * Rarer terms are ranked over all their matches; a word found in thousands of segments is ranked over its recent ones,
 * which keeps every query fast however common its words are.
 */
export const RELEVANCE_WINDOW = 1000;

/** Where a search looks: a range of search times (one meeting's, or a date range) and maybe one speaker name. */
interface Scope {
  fromMs: number;
  toMs: number;
  /** The folded speaker name to keep, or null for every sentence. */
  speaker: string | null;
}

interface MeetingRow {
  id: number;
  title: string;
  created_at: number;
}

interface SpeakerRow extends MeetingRow {
  speaker_id: number;
  name: string;
  ordinal: number;
}

interface FirstSegmentRow {
  id: number;
  start_ms: number;
  end_ms: number;
}

/**
 * Sentences are counted up to this many: counting every match of a word found in tens of thousands of sentences would
 * cost more than finding the page, so beyond it the total is a lower bound (`totalExact` false, shown as "1000+").
 */
export const COUNT_CAP = 1000;

/** Meetings in the scope's time range (with the named speaker, when there is one), newest first. */
const MEETINGS_SQL = `
  SELECT m.id, m.title, m.created_at FROM meetings m
  WHERE m.search_ms BETWEEN @fromMs AND @toMs AND m.deleted_at IS NULL
    AND (@speaker IS NULL OR EXISTS (SELECT 1 FROM speakers p WHERE p.meeting_id = m.id AND p.name = @speaker COLLATE NOCASE))
  ORDER BY m.search_ms DESC`;

/** Speakers the user named, in meetings of the scope's time range, with their first sentence; newest meeting first. */
const SPEAKERS_SQL = `
  SELECT m.id, m.title, m.created_at, p.id AS speaker_id, p.name, p.ordinal
  FROM speakers p
  CROSS JOIN meetings m ON m.id = p.meeting_id
  WHERE p.name IS NOT NULL AND p.name <> '' AND m.search_ms BETWEEN @fromMs AND @toMs AND m.deleted_at IS NULL
    AND (@speaker IS NULL OR p.name = @speaker COLLATE NOCASE)
  ORDER BY m.search_ms DESC, p.ordinal`;

/** A whole number within [min, max], or `fallback` when `value` is not a number. */
function clampInt(value: unknown, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/** Searches titles, speaker names and sentences. Any query text is accepted: it returns hits or none, never an error. */
export class SearchService {
  private readonly sentences: SentenceSearch;
  private readonly meetingsIn: Statement<Scope, MeetingRow>;
  private readonly speakersIn: Statement<Scope, SpeakerRow>;
  private readonly firstSegmentOf: Statement<[number], FirstSegmentRow>;
  private readonly searchMsOf: Statement<[number], { search_ms: number }>;

  /** Prepares the statements on an open, migrated database. */
  constructor(db: Database) {
    this.sentences = new SentenceSearch(db);
    this.meetingsIn = db.prepare(MEETINGS_SQL);
    this.speakersIn = db.prepare(SPEAKERS_SQL);
    this.firstSegmentOf = db.prepare(
      'SELECT id, start_ms, end_ms FROM segments WHERE speaker_id = ? ORDER BY start_ms, id LIMIT 1',
    );
    this.searchMsOf = db.prepare('SELECT search_ms FROM meetings WHERE id = ? AND deleted_at IS NULL');
  }

  /**
   * Hits for every term of `req.query` within its filters: matching meeting titles, then speakers the user named,
   * then sentences best (or newest) first; each with a marked snippet and match ranges; paged by offset and limit.
   */
  search(req: SearchRequest): SearchResult {
    if (typeof req !== 'object' || req === null)
      throw new FunscribeError('INVALID_ARGUMENT', 'The search is missing.');
    const terms = parseQuery(req.query);
    const query = buildFtsQuery(terms);
    const scope = this.scopeOf(req);
    if (query === null || scope === null) return { total: 0, totalExact: true, hits: [] };
    const limit = clampInt(req.limit, DEFAULT_SEARCH_LIMIT, 1, MAX_SEARCH_LIMIT);
    const offset = clampInt(req.offset, 0, 0, Number.MAX_SAFE_INTEGER - MAX_SEARCH_LIMIT);
    const named = [...this.titleHits(terms, scope), ...this.speakerHits(terms, scope)];
    const cap = Math.max(COUNT_CAP, offset + limit);
    const page = named.slice(offset, offset + limit);
    const remaining = limit - page.length;
    const sentenceOffset = Math.max(0, offset - named.length);
    const { counted, rows } = this.sentences.find(
      { ...scope, query },
      {
        order: req.order === 'newest' ? 'newest' : 'relevance',
        window: Math.max(RELEVANCE_WINDOW, sentenceOffset + remaining),
        limit: remaining,
        offset: sentenceOffset,
        cap: cap + 1,
      },
    );
    const totalExact = counted <= cap;
    const sentences = totalExact ? counted : counted - 1;
    page.push(...sentenceHits(terms, rows));
    return { total: named.length + sentences, totalExact, hits: page };
  }

  /** The scope of a request, or null when it cannot hold anything (an unknown meeting, an empty date range). */
  private scopeOf(req: SearchRequest): Scope | null {
    let fromMs = clampInt(req.from, 0, 0, MAX_SEARCH_MS);
    let toMs = clampInt(req.to, MAX_SEARCH_MS, 0, MAX_SEARCH_MS);
    if (req.meetingId !== undefined && req.meetingId !== null) {
      const row = isRowId(req.meetingId) ? this.searchMsOf.get(req.meetingId) : undefined;
      if (!row) return null;
      fromMs = Math.max(fromMs, row.search_ms);
      toMs = Math.min(toMs, row.search_ms);
    }
    const speaker = typeof req.speaker === 'string' && req.speaker.trim() !== '' ? req.speaker.trim() : null;
    return fromMs <= toMs ? { fromMs, toMs, speaker } : null;
  }

  /** The meetings of the scope whose title holds every term. */
  private titleHits(terms: readonly QueryTerm[], scope: Scope): SearchHit[] {
    const match = allTermsMatcher(terms);
    return this.meetingsIn.all(scope).flatMap((row) => {
      const highlights = match(row.title);
      if (highlights === null) return [];
      return [
        {
          kind: 'title' as const,
          ...meetingFields(row),
          segmentId: null,
          startMs: 0,
          endMs: 0,
          speaker: null,
          speakerName: null,
          speakerNumber: null,
          text: row.title,
          snippet: makeSnippet(row.title, highlights),
          highlights,
        },
      ];
    });
  }

  /** The speakers of the scope whose user-given name holds every term, at their first sentence. */
  private speakerHits(terms: readonly QueryTerm[], scope: Scope): SearchHit[] {
    const match = allTermsMatcher(terms);
    return this.speakersIn.all(scope).flatMap((row) => {
      const highlights = match(row.name);
      if (highlights === null) return [];
      // Only for the speakers that match: finding every named speaker's first sentence costs a sort each.
      const first = this.firstSegmentOf.get(row.speaker_id);
      return [
        {
          kind: 'speaker' as const,
          ...meetingFields(row),
          segmentId: first?.id ?? null,
          startMs: first?.start_ms ?? 0,
          endMs: first?.end_ms ?? 0,
          speaker: row.name,
          speakerName: row.name,
          speakerNumber: row.ordinal + 1,
          text: row.name,
          snippet: makeSnippet(row.name, highlights),
          highlights,
        },
      ];
    });
  }
}

/** The meeting fields every hit carries. */
function meetingFields(row: MeetingRow): Pick<SearchHit, 'meetingId' | 'meetingTitle' | 'meetingCreatedAt'> {
  return { meetingId: row.id, meetingTitle: row.title, meetingCreatedAt: row.created_at };
}

/** Sentence hits from their rows, with the matches marked. */
function sentenceHits(terms: readonly QueryTerm[], rows: readonly SentenceRow[]): SearchHit[] {
  const highlightsOf = highlighter(terms);
  return rows.map((row) => {
    const highlights = highlightsOf(row.text);
    return {
      kind: 'text',
      meetingId: row.meeting_id,
      meetingTitle: row.title,
      meetingCreatedAt: row.created_at,
      segmentId: row.segment_id,
      startMs: row.start_ms,
      endMs: row.end_ms,
      speaker: row.name ?? row.label,
      speakerName: row.name,
      speakerNumber: row.ordinal === null ? null : row.ordinal + 1,
      text: row.text,
      snippet: makeSnippet(row.text, highlights),
      highlights,
    };
  });
}
