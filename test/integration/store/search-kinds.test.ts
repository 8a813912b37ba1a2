// Search over titles, speaker names and sentences on a real library: the kinds of hits, the total, paging across the
// kinds and beyond 50, and the date, speaker and meeting filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchRequest } from '../../../src-shared/types.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { COUNT_CAP, SearchService } from '../../../src-main/store/search.js';
import { tempLibrary, type TempLibrary } from './temp-library.js';

let lib: TempLibrary;
let search: SearchService;
let budgetReview: number;
let standup: number;
let archive: number;

const DAY = 86_400_000;
const JAN = Date.UTC(2025, 0, 10);

beforeAll(() => {
  lib = tempLibrary();
  const repo = new MeetingRepository(lib.db);
  search = new SearchService(lib.db);
  budgetReview = repo.create({
    title: '预算评审会',
    source: 'a.wav',
    durationMs: 60_000,
    createdAt: JAN,
    speakers: [
      { label: 'Speaker 1', name: '王预算' },
      { label: 'Speaker 2', name: 'Alice' },
    ],
    segments: [
      { startMs: 0, endMs: 900, text: '我们先看预算。', tokens: [], speakerIndex: 1 },
      { startMs: 1000, endMs: 1900, text: '预算还差一点。', tokens: [], speakerIndex: 0 },
      { startMs: 2000, endMs: 2900, text: '好的，下周再议。', tokens: [], speakerIndex: 1 },
    ],
  }).id;
  standup = repo.create({
    title: 'Standup',
    source: 'b.wav',
    durationMs: 60_000,
    createdAt: JAN + 5 * DAY,
    speakers: [{ label: 'Speaker 1', name: 'alice' }, { label: 'Speaker 2' }],
    segments: [
      { startMs: 0, endMs: 900, text: '预算已经批了。', tokens: [], speakerIndex: 0 },
      { startMs: 1000, endMs: 1900, text: '预算的事我不清楚。', tokens: [], speakerIndex: 1 },
    ],
  }).id;
  // 60 sentences with the word in one meeting, so paging goes beyond 50.
  archive = repo.create({
    title: 'Archive',
    source: 'c.wav',
    durationMs: 600_000,
    createdAt: JAN - 30 * DAY,
    speakers: [{ label: 'Speaker 1' }],
    segments: Array.from({ length: 60 }, (_, i) => ({
      startMs: i * 1000,
      endMs: i * 1000 + 900,
      text: `第${i + 1}条：预算明细`,
      tokens: [],
      speakerIndex: 0,
    })),
  }).id;
});
afterAll(() => lib.cleanup());

function kinds(req: SearchRequest): string[] {
  return search.search(req).hits.map((hit) => `${hit.kind}:${hit.text}`);
}

describe('SearchService: titles, speaker names and sentences', () => {
  it('lists matching titles, then named speakers, then sentences, with the total of all', () => {
    const result = search.search({ query: '预算', order: 'newest', limit: 5 });
    expect(result.total).toBe(1 + 1 + 2 + 2 + 60);
    expect(result.hits.map((hit) => `${hit.kind}:${hit.text}`)).toEqual([
      'title:预算评审会',
      'speaker:王预算',
      'text:预算已经批了。',
      'text:预算的事我不清楚。',
      'text:我们先看预算。',
    ]);
    const [title, speaker] = result.hits;
    expect(title).toMatchObject({
      meetingId: budgetReview,
      segmentId: null,
      highlights: [{ start: 0, end: 2 }],
    });
    expect(title!.snippet).toBe('[预算]评审会');
    // A speaker hit opens the meeting at that speaker's first sentence.
    expect(speaker).toMatchObject({ meetingId: budgetReview, speaker: '王预算', startMs: 1000 });
    expect(speaker!.segmentId).toBe(search.search({ query: '还差' }).hits[0]!.segmentId);
  });

  it('matches a speaker only by the name a user gave, never by the automatic label', () => {
    expect(kinds({ query: 'alice' }).filter((k) => k.startsWith('speaker:'))).toEqual([
      'speaker:alice',
      'speaker:Alice',
    ]);
    expect(kinds({ query: 'Speaker' })).toEqual([]);
  });

  it('needs every term in a title, as in a sentence', () => {
    expect(kinds({ query: '评审 预算' })).toEqual(['title:预算评审会']);
    expect(kinds({ query: '评审 standup' })).toEqual([]);
  });

  it('pages beyond 50 across the kinds without losing or repeating a hit', () => {
    const all = search.search({ query: '预算', order: 'newest', limit: 500 });
    expect(all.hits).toHaveLength(all.total);
    const paged = [];
    for (let offset = 0; offset < all.total; offset += 50) {
      const page = search.search({ query: '预算', order: 'newest', limit: 50, offset });
      expect(page.total).toBe(all.total);
      paged.push(...page.hits);
    }
    expect(paged).toEqual(all.hits);
    expect(search.search({ query: '预算', offset: all.total }).hits).toEqual([]);
    // Relevance pages are disjoint too.
    const first = search
      .search({ query: '预算', limit: 50 })
      .hits.map((hit) => `${hit.kind}${hit.segmentId}`);
    const second = search
      .search({ query: '预算', limit: 50, offset: 50 })
      .hits.map((hit) => `${hit.kind}${hit.segmentId}`);
    expect(second).toHaveLength(all.total - 50);
    expect(first.filter((key) => second.includes(key))).toEqual([]);
  });
});

describe('SearchService: filters', () => {
  it('keeps the meetings within a date range (inclusive), for every kind of hit', () => {
    const january = search.search({ query: '预算', from: JAN, to: JAN + DAY - 1, limit: 500 });
    expect(new Set(january.hits.map((hit) => hit.meetingId))).toEqual(new Set([budgetReview]));
    expect(january.total).toBe(4);
    expect(
      search.search({ query: '预算', from: JAN + DAY }).hits.every((hit) => hit.meetingId === standup),
    ).toBe(true);
    expect(search.search({ query: '预算', to: JAN - 1, limit: 500 }).total).toBe(60);
    expect(search.search({ query: '预算', from: JAN + DAY, to: JAN })).toEqual({
      total: 0,
      totalExact: true,
      hits: [],
    });
  });

  it('keeps the sentences of a named speaker, in any case, across meetings', () => {
    const alice = search.search({ query: '预算', speaker: 'ALICE', order: 'newest' });
    expect(alice.hits.map((hit) => `${hit.kind}:${hit.text}`)).toEqual([
      'title:预算评审会',
      'text:预算已经批了。',
      'text:我们先看预算。',
    ]);
    expect(alice.total).toBe(3);
    expect(search.search({ query: '预算', speaker: 'Alice', order: 'relevance' }).total).toBe(3);
    expect(search.search({ query: '预算', speaker: 'Nobody' })).toEqual({
      total: 0,
      totalExact: true,
      hits: [],
    });
  });

  it('keeps one meeting, combined with the other filters', () => {
    expect(search.search({ query: '预算', meetingId: standup }).total).toBe(2);
    expect(search.search({ query: '预算', meetingId: standup, speaker: 'alice' }).total).toBe(1);
    expect(search.search({ query: '预算', meetingId: archive, from: JAN }).total).toBe(0);
    expect(search.search({ query: '预算', meetingId: 999_999 })).toEqual({
      total: 0,
      totalExact: true,
      hits: [],
    });
  });
});

describe('SearchService: meetings deleted with undo', () => {
  it('hides every kind of hit of a meeting awaiting purge, keeps the pages full, and shows it again on undo', () => {
    const before = search.search({ query: '预算', order: 'newest', limit: 3 });
    // The column the editing helper's undoable delete sets (migration 4); the repository's method may change.
    lib.db.prepare('UPDATE meetings SET deleted_at = ? WHERE id = ?').run(Date.now(), budgetReview);
    const hidden = search.search({ query: '预算', order: 'newest', limit: 3 });
    expect(hidden.total).toBe(before.total - 4);
    expect(hidden.hits).toHaveLength(3);
    expect(hidden.hits.some((hit) => hit.meetingId === budgetReview)).toBe(false);
    expect(search.search({ query: '预算', meetingId: budgetReview })).toEqual({
      total: 0,
      totalExact: true,
      hits: [],
    });
    expect(kinds({ query: 'alice' })).toEqual(['speaker:alice']);
    lib.db.prepare('UPDATE meetings SET deleted_at = NULL WHERE id = ?').run(budgetReview);
    expect(search.search({ query: '预算', order: 'newest', limit: 3 })).toEqual(before);
  });
});

describe('SearchService: the count of a common word', () => {
  it('counts sentences up to the cap, says when there are more, and still pages past it', () => {
    const repo = new MeetingRepository(lib.db);
    const common = repo.create({
      title: 'Long',
      source: 'long.wav',
      durationMs: 4_000_000,
      createdAt: JAN + 40 * DAY,
      speakers: [],
      segments: Array.from({ length: COUNT_CAP + 20 }, (_, i) => ({
        startMs: i * 1000,
        endMs: i * 1000 + 900,
        text: `常见词 ${i}`,
        tokens: [],
        speakerIndex: null,
      })),
    }).id;
    const first = search.search({ query: '常见词', order: 'newest' });
    expect(first).toMatchObject({ total: COUNT_CAP, totalExact: false });
    const beyond = search.search({ query: '常见词', order: 'newest', offset: COUNT_CAP, limit: 50 });
    expect(beyond.hits).toHaveLength(20);
    expect(beyond).toMatchObject({ total: COUNT_CAP + 20, totalExact: true });
    expect(
      search.search({ query: '常见词', meetingId: common, from: JAN + 40 * DAY, limit: 1 }).totalExact,
    ).toBe(false);
    repo.delete(common);
    expect(search.search({ query: '常见词' })).toEqual({ total: 0, totalExact: true, hits: [] });
  });
});
