// The search's filters (speaker, date range, meeting, deleted meetings) against a brute-force filter of every stored
// sentence on a small generated library: the same sentences, the same total, and newest first the same order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchRequest } from '../../../src-shared/types.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { SearchService } from '../../../src-main/store/search.js';
import { seededRandom } from '../../../src-main/util/seeded-random.js';
import { tempLibrary, type TempLibrary } from './temp-library.js';

const DAY = 86_400_000;
const FIRST_DAY = Date.UTC(2025, 2, 1);
const MEETINGS = 12;
const SENTENCES = 40;
/** Speaker names as users typed them; `alice` and `Alice` are the same name to the filter. */
const NAMES = ['Alice', '王经理', 'alice', null, 'Bob'] as const;
const TEXTS = [
  '我们先看预算。',
  '预算还差一点，下周再议。',
  'The budget is tight this quarter.',
  'Budgets go to finance next week.',
  '好的，没问题。',
  'Let us move on.',
  '项目进度正常 budget 也够。',
];

interface StoredSentence {
  id: number;
  meetingId: number;
  createdAt: number;
  startMs: number;
  text: string;
  speakerName: string | null;
}

let lib: TempLibrary;
let search: SearchService;
let sentences: StoredSentence[];
let meetingIds: number[];
let deletedId: number;

beforeAll(() => {
  lib = tempLibrary();
  const repo = new MeetingRepository(lib.db);
  search = new SearchService(lib.db);
  const random = seededRandom(9);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  sentences = [];
  meetingIds = [];
  for (let m = 0; m < MEETINGS; m++) {
    // Creation days are shuffled against insertion order, so key order and id order differ.
    const createdAt = FIRST_DAY + ((m * 5) % MEETINGS) * DAY;
    const speakers = Array.from({ length: 2 + (m % 2) }, (_, i) => ({
      label: `Speaker ${i + 1}`,
      name: NAMES[(m + i) % NAMES.length] ?? undefined,
    }));
    const stored = repo.create({
      title: `Meeting ${m + 1}`,
      source: `m${m}.wav`,
      durationMs: SENTENCES * 1000,
      createdAt,
      speakers,
      segments: Array.from({ length: SENTENCES }, (_, i) => ({
        startMs: i * 1000,
        endMs: i * 1000 + 900,
        text: pick(TEXTS),
        tokens: [],
        speakerIndex: Math.floor(random() * speakers.length),
      })),
    });
    meetingIds.push(stored.id);
    const nameOf = new Map(stored.speakers.map((s) => [s.id, s.name]));
    for (const segment of stored.segments) {
      sentences.push({
        id: segment.id,
        meetingId: stored.id,
        createdAt,
        startMs: segment.startMs,
        text: segment.text,
        speakerName: segment.speakerId === null ? null : (nameOf.get(segment.speakerId) ?? null),
      });
    }
  }
  // A meeting with Alice, deleted and awaiting its purge: none of its sentences may show.
  deletedId = meetingIds[2]!;
  repo.markAsDeleted(deletedId);
});

afterAll(() => lib.cleanup());

/** Every sentence the request should find, newest meeting first and in time order within a meeting. */
function bruteForce(req: SearchRequest, contains: (text: string) => boolean): number[] {
  return sentences
    .filter(
      (s) =>
        s.meetingId !== deletedId &&
        contains(s.text) &&
        (req.speaker === undefined || s.speakerName?.toLowerCase() === req.speaker.toLowerCase()) &&
        (req.from === undefined || s.createdAt >= req.from) &&
        (req.to === undefined || s.createdAt <= req.to) &&
        (req.meetingId === undefined || s.meetingId === req.meetingId),
    )
    .sort((a, b) => b.createdAt - a.createdAt || a.startMs - b.startMs)
    .map((s) => s.id);
}

/** The sentence hits of every page of the request, 7 at a time, and the total of the first page. */
function allPages(req: SearchRequest): { total: number; ids: number[] } {
  const ids: number[] = [];
  const first = search.search({ ...req, limit: 7 });
  for (let offset = 0; ; offset += 7) {
    const page = offset === 0 ? first : search.search({ ...req, limit: 7, offset });
    ids.push(...page.hits.filter((h) => h.kind === 'text').map((h) => h.segmentId!));
    if (page.hits.length < 7) break;
  }
  expect(first.totalExact).toBe(true);
  return { total: first.total, ids };
}

const QUERIES: { query: string; contains: (text: string) => boolean }[] = [
  { query: '预算', contains: (text) => text.includes('预算') },
  { query: 'budget', contains: (text) => text.toLowerCase().includes('budget') },
];

const FILTERS: { name: string; req: () => Omit<SearchRequest, 'query'> }[] = [
  { name: 'no filter (a meeting is deleted)', req: () => ({}) },
  { name: 'speaker Alice (any case)', req: () => ({ speaker: 'alice' }) },
  { name: 'speaker 王经理', req: () => ({ speaker: '王经理' }) },
  { name: 'a speaker no one has', req: () => ({ speaker: 'Nobody' }) },
  { name: 'a date range', req: () => ({ from: FIRST_DAY + 3 * DAY, to: FIRST_DAY + 8 * DAY }) },
  {
    name: 'speaker and a date range',
    req: () => ({ speaker: 'Alice', from: FIRST_DAY + 2 * DAY, to: FIRST_DAY + 9 * DAY }),
  },
  { name: 'speaker and one meeting', req: () => ({ speaker: 'Bob', meetingId: meetingIds[4]! }) },
  { name: 'the deleted meeting', req: () => ({ meetingId: deletedId }) },
];

describe('SearchService filters equal a brute-force filter of every sentence', () => {
  for (const { query, contains } of QUERIES) {
    for (const filter of FILTERS) {
      it(`${query}, ${filter.name}`, () => {
        const req = { query, ...filter.req() };
        const expected = bruteForce(req, contains);
        const newest = allPages({ ...req, order: 'newest' });
        expect(newest.ids).toEqual(expected);
        expect(newest.total).toBe(expected.length);
        const best = allPages({ ...req, order: 'relevance' });
        expect([...best.ids].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
        expect(best.total).toBe(expected.length);
      });
    }
  }

  it('has sentences to find under each speaker filter', () => {
    expect(bruteForce({ query: '预算', speaker: 'alice' }, QUERIES[0]!.contains).length).toBeGreaterThan(10);
    expect(bruteForce({ query: 'budget', speaker: '王经理' }, QUERIES[1]!.contains).length).toBeGreaterThan(
      10,
    );
    expect(sentences.some((s) => s.meetingId === deletedId && s.speakerName?.toLowerCase() === 'alice')).toBe(
      true,
    );
  });
});
