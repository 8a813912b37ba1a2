import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewMeeting } from '../../../src-main/store/new-meeting.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { SearchService } from '../../../src-main/store/search.js';
import { sampleMeeting } from './sample-meetings.js';
import { tempLibrary, type TempLibrary } from './temp-library.js';

let lib: TempLibrary;
let repo: MeetingRepository;
beforeEach(() => {
  lib = tempLibrary();
  repo = new MeetingRepository(lib.db);
});
afterEach(() => lib.cleanup());

function rowCounts(): Record<string, number> {
  const count = (sql: string): number => (lib.db.prepare(sql).pluck().get() as number) ?? 0;
  return {
    meetings: count('SELECT count(*) FROM meetings'),
    speakers: count('SELECT count(*) FROM speakers'),
    segments: count('SELECT count(*) FROM segments'),
    index: count('SELECT count(*) FROM segments_fts'),
  };
}

describe('MeetingRepository', () => {
  it('creates and reads back a meeting with speakers, segments in time order and parsed tokens', () => {
    const input = sampleMeeting();
    const created = repo.create(input);
    expect(created).toMatchObject({
      title: '周会 Weekly sync',
      source: '/recordings/weekly.m4a',
      durationMs: 12_000,
      createdAt: input.createdAt,
      audioPath: '/data/audio/weekly.pcm',
      segmentCount: 3,
      speakerCount: 2,
    });
    const got = repo.get(created.id)!;
    expect(got).toEqual(created);
    expect(got.speakers.map((s) => [s.label, s.name])).toEqual([
      ['Speaker 1', null],
      ['Speaker 2', 'Alice'],
    ]);
    expect(got.segments.map((s) => s.startMs)).toEqual([0, 4000, 8000]);
    expect(got.segments[0]!.tokens).toEqual(input.segments[1]!.tokens);
    expect(got.segments[0]!.speakerId).toBe(got.speakers[0]!.id);
    expect(got.segments[1]!.speakerId).toBe(got.speakers[1]!.id);
    expect(got.segments[2]!.speakerId).toBeNull();
    expect(rowCounts()).toEqual({ meetings: 1, speakers: 2, segments: 3, index: 3 });
  });

  it('lists newest first with limit and offset, and counts', () => {
    const ids = [3, 1, 2].map(
      (day) => repo.create(sampleMeeting({ title: `Day ${day}`, createdAt: Date.UTC(2025, 0, day) })).id,
    );
    expect(repo.count()).toBe(3);
    expect(repo.list().map((m) => m.title)).toEqual(['Day 3', 'Day 2', 'Day 1']);
    expect(repo.list({ limit: 1, offset: 1 }).map((m) => m.id)).toEqual([ids[2]]);
    expect(repo.list()[0]).toMatchObject({ segmentCount: 3, speakerCount: 2 });
  });

  it('lists by title (ignoring case) or longest first, and pages in either order neither skip nor repeat', () => {
    const made = [
      { title: 'budget', durationMs: 5_000 },
      { title: 'Agenda', durationMs: 90_000 },
      { title: '周会', durationMs: 30_000 },
      { title: 'Budget', durationMs: 90_000 },
      { title: 'call', durationMs: 1_000 },
    ].map(
      (meeting, day) => repo.create(sampleMeeting({ ...meeting, createdAt: Date.UTC(2025, 0, day + 1) })).id,
    );
    const [budget, agenda, weekly, budgetCapital, call] = made;
    expect(repo.list({ orderBy: 'title' }).map((m) => m.id)).toEqual([
      agenda,
      budget,
      budgetCapital,
      call,
      weekly,
    ]);
    expect(repo.list({ orderBy: 'length' }).map((m) => m.id)).toEqual([
      budgetCapital,
      agenda,
      weekly,
      budget,
      call,
    ]);
    expect(repo.list({ orderBy: 'date' }).map((m) => m.id)).toEqual([...made].reverse());
    for (const orderBy of ['date', 'title', 'length'] as const) {
      const paged = [0, 2, 4].flatMap((offset) => repo.list({ orderBy, offset, limit: 2 }).map((m) => m.id));
      expect(paged, orderBy).toEqual(repo.list({ orderBy }).map((m) => m.id));
    }
  });

  it('gives two meetings created in the same millisecond distinct, ordered places', () => {
    const at = Date.UTC(2025, 0, 1);
    const a = repo.create(sampleMeeting({ title: 'A', createdAt: at }));
    const b = repo.create(sampleMeeting({ title: 'B', createdAt: at }));
    expect(repo.get(a.id)!.createdAt).toBe(at);
    expect(repo.get(b.id)!.createdAt).toBe(at);
    expect(repo.list().map((m) => m.title)).toEqual(['B', 'A']);
  });

  it('renames, and rejects empty titles and unknown ids with clear errors', () => {
    const { id } = repo.create(sampleMeeting());
    repo.rename(id, '  Budget review  ');
    expect(repo.get(id)!.title).toBe('Budget review');
    expect(() => repo.rename(id, '   ')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => repo.rename(id + 100, 'x')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => repo.rename(-1, 'x')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('returns null or NOT_FOUND for ids that do not exist or are not ids', () => {
    for (const bad of [0, -3, 1.5, Number.NaN, 2 ** 60, 'abc', null, {}] as unknown as number[]) {
      expect(repo.get(bad)).toBeNull();
      expect(() => repo.delete(bad)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    }
    expect(repo.get(12345)).toBeNull();
  });

  it('deletes a meeting with its speakers, segments and index rows, leaving others alone', () => {
    const keep = repo.create(sampleMeeting({ title: 'keep' }));
    const gone = repo.create(sampleMeeting({ title: 'gone' }));
    repo.delete(gone.id);
    expect(repo.get(gone.id)).toBeNull();
    expect(rowCounts()).toEqual({ meetings: 1, speakers: 2, segments: 3, index: 3 });
    expect(repo.get(keep.id)).toEqual(keep);
    expect(() => repo.delete(gone.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    lib.db.exec("INSERT INTO segments_fts (segments_fts) VALUES ('integrity-check')");
  });

  it('writes nothing when a segment in the middle is bad, and the database stays usable', () => {
    const first = repo.create(sampleMeeting({ title: 'first' }));
    const before = rowCounts();
    const segments: NewMeeting['segments'] = Array.from({ length: 50 }, (_, i) => ({
      startMs: i * 1000,
      endMs: i * 1000 + 900,
      text: `第${i}句 预算 sentence ${i}`,
      tokens: [],
      speakerIndex: i === 30 ? 7 : 0,
    }));
    expect(() => repo.create(sampleMeeting({ title: 'broken', segments }))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/sentence 31/) }),
    );
    expect(rowCounts()).toEqual(before);
    expect(repo.list().map((m) => m.title)).toEqual(['first']);
    expect(new SearchService(lib.db).search({ query: 'sentence' }).hits).toEqual([]);
    expect(lib.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const after = repo.create(sampleMeeting({ title: 'after' }));
    expect(repo.list().map((m) => m.id)).toEqual([after.id, first.id]);
  });

  it('rejects malformed meetings with INVALID_ARGUMENT', () => {
    const bad: unknown[] = [
      null,
      sampleMeeting({ title: '' }),
      sampleMeeting({ durationMs: Number.NaN }),
      sampleMeeting({ createdAt: -5 }),
      sampleMeeting({ createdAt: 2 ** 50 }),
      sampleMeeting({ segments: 'nope' as unknown as NewMeeting['segments'] }),
      sampleMeeting({ speakers: [{ label: 42 as unknown as string }] }),
      sampleMeeting({
        segments: [{ startMs: 0, endMs: 1, text: 5 as unknown as string, tokens: [], speakerIndex: null }],
      }),
    ];
    for (const meeting of bad) {
      expect(() => repo.create(meeting as NewMeeting)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
    expect(rowCounts()).toEqual({ meetings: 0, speakers: 0, segments: 0, index: 0 });
  });
});
