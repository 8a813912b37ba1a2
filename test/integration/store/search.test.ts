import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchHit, SearchRequest } from '../../../src-shared/types.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { SearchService } from '../../../src-main/store/search.js';
import { tempLibrary, type TempLibrary } from './temp-library.js';

let lib: TempLibrary;
let repo: MeetingRepository;
let search: SearchService;
let older: number;
let newer: number;

const OLDER_TEXTS = [
  '今天我们讨论了项目预算和时间安排',
  'The project budget is approved, budgeting starts Monday.',
  '我们用Electron和SQLite做会议记录，预算是３０００元',
  'ＦＵＮＡＳＲ 全角字母测试 Ｔｅｓｔ１２３',
  '预算，预算，还是预算',
  `${'This is a long English sentence about many unrelated things, '.repeat(3)}and finally the keyword roadmap appears ${'followed by more filler words to make it long. '.repeat(3)}`,
];
const NEWER_TEXTS = [
  '下周继续讨论预算问题',
  'Budget review: the Project timeline slipped.',
  'Café résumé naïve',
];

beforeAll(() => {
  lib = tempLibrary();
  repo = new MeetingRepository(lib.db);
  search = new SearchService(lib.db);
  older = repo.create({
    title: 'Older meeting',
    source: 'older.wav',
    durationMs: 60_000,
    createdAt: Date.UTC(2024, 0, 1),
    speakers: [{ label: 'Speaker 1' }, { label: 'Speaker 2', name: 'Alice' }],
    segments: OLDER_TEXTS.map((text, i) => ({
      startMs: i * 1000,
      endMs: i * 1000 + 900,
      text,
      tokens: [],
      speakerIndex: i === 1 ? 1 : i === 2 ? null : 0,
    })),
  }).id;
  newer = repo.create({
    title: 'Newer meeting',
    source: 'newer.wav',
    durationMs: 60_000,
    createdAt: Date.UTC(2025, 0, 1),
    speakers: [{ label: 'Speaker 1' }],
    segments: NEWER_TEXTS.map((text, i) => ({
      startMs: i * 1000,
      endMs: i * 1000 + 900,
      text,
      tokens: [],
      speakerIndex: 0,
    })),
  }).id;
});
afterAll(() => lib.cleanup());

/** The hits of one page. */
function hitsOf(req: SearchRequest): SearchHit[] {
  return search.search(req).hits;
}

function texts(req: SearchRequest): string[] {
  return hitsOf(req).map((h) => h.text);
}

function sorted(list: string[]): string[] {
  return [...list].sort();
}

describe('SearchService: Chinese', () => {
  it('finds a 1-character query in the middle of a sentence', () => {
    expect(sorted(texts({ query: '预' }))).toEqual(
      sorted([OLDER_TEXTS[0]!, OLDER_TEXTS[2]!, OLDER_TEXTS[4]!, NEWER_TEXTS[0]!]),
    );
    expect(texts({ query: '排' })).toEqual([OLDER_TEXTS[0]]);
  });

  it('finds a 2-character word in the middle of a sentence', () => {
    expect(sorted(texts({ query: '预算' }))).toEqual(
      sorted([OLDER_TEXTS[0]!, OLDER_TEXTS[2]!, OLDER_TEXTS[4]!, NEWER_TEXTS[0]!]),
    );
    expect(texts({ query: '讨论' })).toHaveLength(2);
  });

  it('finds 3- and 4-character substrings across word boundaries, and only where they occur', () => {
    expect(texts({ query: '目预算' })).toEqual([OLDER_TEXTS[0]]);
    expect(texts({ query: '讨论了项' })).toEqual([OLDER_TEXTS[0]]);
    expect(texts({ query: '时间安排' })).toEqual([OLDER_TEXTS[0]]);
    expect(texts({ query: '预算问' })).toEqual([NEWER_TEXTS[0]]);
    expect(texts({ query: '算预' })).toEqual([]);
    expect(texts({ query: '项目时间' })).toEqual([]);
  });

  it('matches mixed Chinese and English, and full-width letters and digits', () => {
    expect(texts({ query: '用Electron' })).toEqual([OLDER_TEXTS[2]]);
    expect(texts({ query: 'sqlite 会议' })).toEqual([OLDER_TEXTS[2]]);
    expect(texts({ query: '3000元' })).toEqual([OLDER_TEXTS[2]]);
    expect(texts({ query: 'funasr' })).toEqual([OLDER_TEXTS[3]]);
    expect(texts({ query: 'ＦＵＮ' })).toEqual([OLDER_TEXTS[3]]);
    expect(texts({ query: 'test123' })).toEqual([OLDER_TEXTS[3]]);
  });
});

describe('SearchService: English', () => {
  it('finds words case-insensitively, by prefix, and without diacritics', () => {
    expect(sorted(texts({ query: 'PROJECT' }))).toEqual(sorted([OLDER_TEXTS[1]!, NEWER_TEXTS[1]!]));
    expect(sorted(texts({ query: 'budg' }))).toEqual(sorted([OLDER_TEXTS[1]!, NEWER_TEXTS[1]!]));
    expect(texts({ query: 'udget' })).toEqual([]);
    expect(texts({ query: 'cafe resume' })).toEqual([NEWER_TEXTS[2]]);
  });

  it('treats quoted text as a phrase', () => {
    expect(texts({ query: '"project budget"' })).toEqual([OLDER_TEXTS[1]]);
    expect(texts({ query: '"budget project"' })).toEqual([]);
    expect(sorted(texts({ query: 'budget project' }))).toEqual(sorted([OLDER_TEXTS[1]!, NEWER_TEXTS[1]!]));
    expect(texts({ query: '"review the project"' })).toEqual([NEWER_TEXTS[1]]);
  });
});

describe('SearchService: order, filters and hit fields', () => {
  it('orders newest first by meeting, then by time in the meeting', () => {
    const hits = hitsOf({ query: '预算', order: 'newest' });
    expect(hits.map((h) => [h.meetingId, h.startMs])).toEqual([
      [newer, 0],
      [older, 0],
      [older, 2000],
      [older, 4000],
    ]);
  });

  it('orders by meeting date, not by the order meetings were saved in', () => {
    const make = (title: string, year: number, text: string): number =>
      repo.create({
        title,
        source: `${title}.wav`,
        durationMs: 1000,
        createdAt: Date.UTC(year, 0, 1),
        speakers: [],
        segments: [{ startMs: 0, endMs: 900, text, tokens: [], speakerIndex: null }],
      }).id;
    const late = make('late', 2026, 'zebra crossing one');
    const early = make('early', 2022, 'zebra crossing two');
    expect(hitsOf({ query: 'zebra', order: 'newest' }).map((h) => h.meetingId)).toEqual([late, early]);
    expect(hitsOf({ query: 'zebra', order: 'newest', meetingId: early }).map((h) => h.text)).toEqual([
      'zebra crossing two',
    ]);
    repo.delete(late);
    repo.delete(early);
  });

  it('orders by relevance: the segment that is mostly the word comes first', () => {
    const hits = hitsOf({ query: '预算', order: 'relevance' });
    expect(hits[0]!.text).toBe(OLDER_TEXTS[4]);
    expect(hits).toHaveLength(4);
  });

  it('limits to one meeting, and an unknown meeting gives nothing', () => {
    expect(hitsOf({ query: '预算', meetingId: newer }).map((h) => h.meetingId)).toEqual([newer]);
    expect(hitsOf({ query: '预算', meetingId: older })).toHaveLength(3);
    expect(hitsOf({ query: '预算', meetingId: 999_999 })).toEqual([]);
    expect(hitsOf({ query: '预算', meetingId: -1 })).toEqual([]);
  });

  it('pages with limit and offset', () => {
    const all = hitsOf({ query: '预算', order: 'newest' }).map((h) => h.segmentId);
    expect(hitsOf({ query: '预算', order: 'newest', limit: 2 }).map((h) => h.segmentId)).toEqual(
      all.slice(0, 2),
    );
    expect(hitsOf({ query: '预算', order: 'newest', limit: 2, offset: 2 }).map((h) => h.segmentId)).toEqual(
      all.slice(2, 4),
    );
    expect(hitsOf({ query: '预算', limit: 0 })).toHaveLength(1);
    expect(hitsOf({ query: '预算', limit: 10_000 })).toHaveLength(4);
  });

  it('fills every hit field, with the speaker name before the label', () => {
    const [hit] = hitsOf({ query: '"project budget"' });
    expect(hit).toEqual<SearchHit>({
      kind: 'text',
      meetingId: older,
      meetingTitle: 'Older meeting',
      meetingCreatedAt: Date.UTC(2024, 0, 1),
      segmentId: repo.get(older)!.segments[1]!.id,
      startMs: 1000,
      endMs: 1900,
      speaker: 'Alice',
      speakerName: 'Alice',
      speakerNumber: 2,
      text: OLDER_TEXTS[1]!,
      snippet: 'The [project budget] is approved, budgeting starts Monday.',
      highlights: [{ start: 4, end: 18 }],
    });
    expect(hitsOf({ query: '讨论了' })[0]).toMatchObject({
      speaker: 'Speaker 1',
      speakerName: null,
      speakerNumber: 1,
    });
    expect(hitsOf({ query: 'electron' })[0]!.speaker).toBeNull();
  });

  it('marks every match in the snippet and the highlights', () => {
    const [hit] = hitsOf({ query: '预算 还是' });
    // Matches that touch are merged into one range.
    expect(hit!.snippet).toBe('[预算]，[预算]，[还是预算]');
    const [mixed] = hitsOf({ query: 'electron 预算' });
    expect(mixed!.highlights.map((r) => mixed!.text.slice(r.start, r.end))).toEqual(['Electron', '预算']);
    const [wide] = hitsOf({ query: '3000' });
    expect(wide!.highlights.map((r) => wide!.text.slice(r.start, r.end))).toEqual(['３０００']);
  });

  it('cuts a long segment to a snippet around the match with ellipses', () => {
    const [hit] = hitsOf({ query: 'roadmap' });
    expect(hit!.snippet.startsWith('…')).toBe(true);
    expect(hit!.snippet.endsWith('…')).toBe(true);
    expect(hit!.snippet).toContain('[roadmap]');
    expect(hit!.snippet.length).toBeLessThan(90);
    expect(hit!.text.slice(hit!.highlights[0]!.start, hit!.highlights[0]!.end)).toBe('roadmap');
  });
});

describe('SearchService: any input', () => {
  const HOSTILE = [
    '',
    '   ',
    '"',
    '"""',
    '"unbalanced budget',
    'budget"',
    'AND',
    'OR budget',
    'budget NOT',
    'NEAR(budget project)',
    'NEAR/2',
    '(',
    ')',
    '((预算',
    '*',
    'budg*',
    '-budget',
    '^budget',
    'body:budget',
    'segments_fts:预算',
    '{body}: x',
    '+',
    '!!!',
    '。，、；：？',
    '😀',
    '👨‍👩‍👧 预算',
    '\u0000',
    "'; DROP TABLE meetings; --",
    '\uD800',
    '预'.repeat(2000),
    'a '.repeat(1000),
    '"a" '.repeat(500),
  ];

  it('returns hits or none for hostile queries, never an error', () => {
    for (const query of HOSTILE) {
      for (const order of ['relevance', 'newest'] as const) {
        expect(() => hitsOf({ query, order }), JSON.stringify(query.slice(0, 40))).not.toThrow();
      }
    }
    expect(texts({ query: '"unbalanced budget' })).toEqual([]);
    expect(sorted(texts({ query: 'budget"' }))).toEqual(sorted([OLDER_TEXTS[1]!, NEWER_TEXTS[1]!]));
    expect(texts({ query: '-budget' })).toHaveLength(2);
    expect(texts({ query: '👨‍👩‍👧 预算' })).toHaveLength(4);
    expect(repo.count()).toBe(2);
  });

  it('survives 600 random queries of random code points, quotes and operators', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const atoms = [
      '"',
      '“',
      '”',
      ' ',
      'AND',
      'OR',
      'NOT',
      'NEAR',
      '(',
      ')',
      '*',
      '-',
      '^',
      ':',
      '+',
      '预算',
      '项目',
      'budget',
      'proj',
      '😀',
      '\uD83D',
      '\u0301',
      'ＡＢＣ',
      '\t',
      '\n',
      '{',
      '}',
      '[',
      ']',
      ',',
      '.',
      "'",
      '\\',
      '/',
      '%',
      '_',
    ];
    const randomChar = (): string => {
      const r = random();
      if (r < 0.2) return String.fromCodePoint(0x4e00 + Math.floor(random() * 0x5000));
      if (r < 0.3) return String.fromCodePoint(0x1f300 + Math.floor(random() * 0x300));
      if (r < 0.4) return String.fromCharCode(Math.floor(random() * 0x10000));
      if (r < 0.5) return String.fromCodePoint(Math.floor(random() * 0x110000));
      if (r < 0.7) return String.fromCharCode(0x20 + Math.floor(random() * 0x5f));
      return atoms[Math.floor(random() * atoms.length)]!;
    };
    for (let i = 0; i < 600; i++) {
      const length = i % 50 === 0 ? 2000 : 1 + Math.floor(random() * 30);
      const query = Array.from({ length }, randomChar).join('');
      const hits = hitsOf({ query, order: i % 2 === 0 ? 'relevance' : 'newest' });
      for (const hit of hits) {
        for (const range of hit.highlights) {
          expect(range.start).toBeGreaterThanOrEqual(0);
          expect(range.end).toBeLessThanOrEqual(hit.text.length);
          expect(range.start).toBeLessThan(range.end);
        }
      }
    }
  });

  it('rejects a missing request but accepts a non-text query as empty', () => {
    expect(() => search.search(null as unknown as SearchRequest)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(hitsOf({ query: 42 as unknown as string })).toEqual([]);
  });
});

describe('SearchService: deletion', () => {
  it('no longer finds the segments of a deleted meeting', () => {
    expect(texts({ query: '预算' })).toHaveLength(4);
    repo.delete(newer);
    expect(sorted(texts({ query: '预算' }))).toEqual(
      sorted([OLDER_TEXTS[0]!, OLDER_TEXTS[2]!, OLDER_TEXTS[4]!]),
    );
    expect(texts({ query: 'cafe' })).toEqual([]);
    expect(hitsOf({ query: '预算', meetingId: newer })).toEqual([]);
  });
});
