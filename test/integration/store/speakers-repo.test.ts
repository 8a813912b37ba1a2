// Stored speaker analyses and speaker edits on real SQLite files, with analyses of generated conversations' audio.
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from '../../../src-main/store/migrations.js';
import { SpeakerRepository } from '../../../src-main/store/speakers-repo.js';
import { SpeakerEdits } from '../../../src-main/speakers/speaker-edits.js';
import {
  analysedConversations,
  conversationMeeting,
  referenceLabels,
  segmentDer,
  type AnalysedConversation,
} from './conversation-meetings.js';
import { sampleMeeting } from './sample-meetings.js';
import { tempLibrary, type TempLibrary } from './temp-library.js';

let conversations: Map<string, AnalysedConversation>;
let lib: TempLibrary;
let meetings: MeetingRepository;
let edits: SpeakerEdits;

beforeAll(async () => {
  conversations = await analysedConversations();
}, 300_000);
beforeEach(() => {
  lib = tempLibrary();
  meetings = new MeetingRepository(lib.db);
  edits = new SpeakerEdits(lib.db);
});
afterEach(() => lib.cleanup());

const conv = (name: string): AnalysedConversation => conversations.get(name)!;
const code = (c: string) => expect.objectContaining({ code: c });
const labelsAndNames = (meetingId: number) => meetings.get(meetingId)!.speakers.map((s) => [s.label, s.name]);

describe('stored speaker analyses', () => {
  it('keeps the analysis with the meeting, says how it was labelled, and deletes it with the meeting', () => {
    const three = conv('conv-3spk');
    const { id } = meetings.create(conversationMeeting(three));
    const stored = new SpeakerRepository(lib.db).analysis(id)!;
    expect(stored.windows).toEqual(three.analysis.windows);
    expect(stored.embeddings).toEqual(three.analysis.embeddings);
    expect(stored).toMatchObject({ mode: 'voice', backend: 'mfcc-stats', dim: 29 });
    expect(meetings.get(id)!.speakerLabelling).toEqual({
      mode: 'voice',
      backend: 'mfcc-stats',
      canRelabel: true,
    });
    meetings.delete(id);
    expect(lib.db.prepare('SELECT count(*) FROM speaker_analyses').pluck().get()).toBe(0);
  });

  it('records channel labelling without windows, and refuses to re-count it', () => {
    const meeting = sampleMeeting({
      speakerAnalysis: {
        mode: 'channels',
        backend: 'channel-levels',
        dim: 0,
        windows: [],
        embeddings: new Float32Array(),
      },
    });
    const { id } = meetings.create(meeting);
    expect(meetings.get(id)!.speakerLabelling).toEqual({
      mode: 'channels',
      backend: 'channel-levels',
      canRelabel: false,
    });
    expect(() => edits.relabel(id, 2)).toThrow(
      expect.objectContaining({
        code: 'SPEAKER_ANALYSIS_MISSING',
        message: expect.stringContaining('stereo channel'),
      }),
    );
    expect(meetings.get(id)!.speakers.map((s) => s.name)).toEqual([null, 'Alice']);
  });

  it('maps windows of segments given out of time order onto the stored order', () => {
    const three = conv('conv-3spk');
    const inOrder = conversationMeeting(three);
    const reversed = {
      ...inOrder,
      segments: [...inOrder.segments].reverse(),
      speakerAnalysis: {
        ...three.analysis,
        windows: three.analysis.windows.map((w) => ({
          ...w,
          spanIndex: three.reference.length - 1 - w.spanIndex,
        })),
      },
    };
    const a = meetings.create(inOrder).id;
    const b = meetings.create(reversed).id;
    const repo = new SpeakerRepository(lib.db);
    expect(repo.analysis(b)).toEqual(repo.analysis(a));
    expect(edits.relabel(b, 3).map((s) => s.segmentCount)).toEqual(
      edits.relabel(a, 3).map((s) => s.segmentCount),
    );
  });

  it('rejects a malformed analysis and saves nothing of that meeting', () => {
    const three = conv('conv-3spk');
    const bad = [
      { ...three.analysis, mode: 'guess' },
      { ...three.analysis, embeddings: three.analysis.embeddings.subarray(1) },
      { ...three.analysis, windows: [{ startMs: 0, endMs: 1500, spanIndex: 99 }] },
      { ...three.analysis, backend: '' },
    ];
    for (const speakerAnalysis of bad) {
      expect(() =>
        meetings.create(conversationMeeting(three, undefined, { speakerAnalysis } as never)),
      ).toThrow(code('INVALID_ARGUMENT'));
    }
    expect(meetings.count()).toBe(0);
  });

  it('upgrades a version-1 library: meetings read back, speakers can be renamed, re-counting explains why not', () => {
    const file = `${lib.dir}/v1.sqlite`;
    const old = new BetterSqlite3(file);
    migrate(old, MIGRATIONS.slice(0, 1));
    old.exec(`
      INSERT INTO meetings (id, title, source, created_at, duration_ms, audio_path, search_ms)
        VALUES (1, 'Old meeting', '/old.wav', 1000, 9000, NULL, 1000);
      INSERT INTO speakers (id, meeting_id, label, name, ordinal) VALUES (1, 1, 'Speaker 1', 'Ann', 0);
      INSERT INTO speakers (id, meeting_id, label, name, ordinal) VALUES (2, 1, 'Speaker 2', NULL, 1);
      INSERT INTO segments (meeting_id, speaker_id, start_ms, end_ms, text, search_key)
        VALUES (1, 1, 0, 4000, 'hello', 1), (1, 2, 4000, 9000, 'hi there', 2);
    `);
    old.close();
    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const upgraded = new MeetingRepository(db).get(1)!;
      expect(upgraded.speakerLabelling).toBeUndefined();
      expect(upgraded.speakers).toEqual([
        { id: 1, label: 'Speaker 1', name: 'Ann' },
        { id: 2, label: 'Speaker 2', name: null },
      ]);
      const oldEdits = new SpeakerEdits(db);
      expect(() => oldEdits.relabel(1)).toThrow(code('SPEAKER_ANALYSIS_MISSING'));
      expect(oldEdits.rename(1, 'Speaker 2', 'Ben').map((s) => s.name)).toEqual(['Ann', 'Ben']);
      expect(oldEdits.suggestNames(1)).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('re-counting speakers from the stored analysis', () => {
  it('finds the three reference speakers when told there are three, and two when told two', () => {
    const three = conv('conv-3spk');
    const { id } = meetings.create(conversationMeeting(three));
    expect(meetings.get(id)!.speakers).toHaveLength(1);

    const relabelled = edits.relabel(id, 3);
    expect(relabelled.map((s) => s.label)).toEqual(['Speaker 1', 'Speaker 2', 'Speaker 3']);
    expect(relabelled.reduce((n, s) => n + s.segmentCount, 0)).toBe(three.reference.length);
    const meeting = meetings.get(id)!;
    expect(segmentDer(three.reference, meeting.segments)).toBeLessThanOrEqual(0.05);
    expect(meeting.segments[0]!.speakerId).toBe(meeting.speakers[0]!.id);

    expect(edits.relabel(id, 2)).toHaveLength(2);
    expect(segmentDer(three.reference, meetings.get(id)!.segments)).toBeGreaterThan(0.1);
    expect(edits.relabel(id)).toHaveLength(3);
  });

  it('keeps names where a new speaker clearly is an old named one, and drops them otherwise', () => {
    const three = conv('conv-3spk');
    const { id } = meetings.create(conversationMeeting(three, referenceLabels(three)));
    edits.rename(id, 'Speaker 1', 'Alice');
    edits.rename(id, 'Speaker 3', 'Carol');
    expect(edits.relabel(id, 3).map((s) => s.name)).toEqual(['Alice', null, 'Carol']);
    expect(edits.relabel(id, 1).map((s) => s.name)).toEqual([null]);
    expect(edits.relabel(id, 3).map((s) => s.name)).toEqual([null, null, null]);
  });

  it('refuses a bad count, an unknown meeting and a meeting without an analysis', () => {
    const { id } = meetings.create(conversationMeeting(conv('conv-2spk')));
    for (const count of [0, 2.5, 51, Number.NaN]) {
      expect(() => edits.relabel(id, count), String(count)).toThrow(code('INVALID_ARGUMENT'));
    }
    expect(() => edits.relabel(id + 100, 2)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('no meeting') }),
    );
    const plain = meetings.create(sampleMeeting()).id;
    expect(() => edits.relabel(plain, 2)).toThrow(code('SPEAKER_ANALYSIS_MISSING'));
    expect(labelsAndNames(plain)).toEqual([
      ['Speaker 1', null],
      ['Speaker 2', 'Alice'],
    ]);
  });
});

describe('renaming, merging and moving', () => {
  it('renames by label, name or id for the whole meeting; an empty name goes back to the label', () => {
    const two = conv('conv-2spk');
    const { id } = meetings.create(conversationMeeting(two, referenceLabels(two)));
    const [first] = meetings.get(id)!.speakers;
    edits.rename(id, 'speaker 1', 'Alice');
    edits.rename(id, 'Alice', 'Alicia');
    edits.rename(id, first!.id, '  Alicia   Smith ');
    expect(labelsAndNames(id)).toEqual([
      ['Speaker 1', 'Alicia Smith'],
      ['Speaker 2', null],
    ]);
    edits.rename(id, String(first!.id), '');
    expect(labelsAndNames(id)[0]).toEqual(['Speaker 1', null]);
  });

  it('explains unknown speakers, clashing names and names that are too long', () => {
    const two = conv('conv-2spk');
    const { id } = meetings.create(conversationMeeting(two, referenceLabels(two)));
    edits.rename(id, 'Speaker 1', 'Alice');
    expect(() => edits.rename(id, 'Speaker 9', 'Bob')).toThrow(
      expect.objectContaining({
        code: 'NOT_FOUND',
        message: `Meeting ${id} has no speaker "Speaker 9". Its speakers are: Speaker 1 (Alice), Speaker 2.`,
      }),
    );
    expect(() => edits.rename(id, 'Speaker 2', 'alice')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('merge') }),
    );
    expect(() => edits.rename(id, 'Speaker 2', 'x'.repeat(101))).toThrow(code('INVALID_ARGUMENT'));
    expect(() => edits.rename(id, 'Speaker 2', 42 as never)).toThrow(code('INVALID_ARGUMENT'));
    expect(labelsAndNames(id)).toEqual([
      ['Speaker 1', 'Alice'],
      ['Speaker 2', null],
    ]);
  });

  it('merges one speaker into another and renumbers by first appearance, keeping names', () => {
    const four = conv('conv-4spk');
    const { id } = meetings.create(conversationMeeting(four, referenceLabels(four)));
    edits.rename(id, 'Speaker 2', 'Bea');
    edits.rename(id, 'Speaker 4', 'Dan');
    const merged = edits.merge(id, 'Speaker 3', 'Dan');
    expect(merged.map((s) => [s.label, s.name, s.segmentCount])).toEqual([
      ['Speaker 1', null, 5],
      ['Speaker 2', 'Bea', 4],
      ['Speaker 3', 'Dan', 8],
    ]);
    edits.merge(id, 'Speaker 1', 'Speaker 3');
    expect(labelsAndNames(id)).toEqual([
      ['Speaker 1', 'Dan'],
      ['Speaker 2', 'Bea'],
    ]);
    expect(() => edits.merge(id, 'Dan', 'Speaker 1')).toThrow(code('INVALID_ARGUMENT'));
    expect(meetings.get(id)!.segments.every((s) => s.speakerId !== null)).toBe(true);
  });

  it('moves a sentence to another or a new speaker, dropping a speaker left without sentences', () => {
    const two = conv('conv-2spk');
    const { id } = meetings.create(conversationMeeting(two, referenceLabels(two)));
    const segments = meetings.get(id)!.segments;
    const moved = edits.moveSegment(segments[0]!.id, 'new');
    expect(moved.map((s) => [s.label, s.segmentCount])).toEqual([
      ['Speaker 1', 1],
      ['Speaker 2', 8],
      ['Speaker 3', 7],
    ]);
    edits.rename(id, 'Speaker 2', 'Ann');
    expect(edits.moveSegment(segments[0]!.id, 'Ann').map((s) => [s.label, s.name])).toEqual([
      ['Speaker 1', 'Ann'],
      ['Speaker 2', null],
    ]);
    expect(meetings.get(id)!.segments[0]!.speakerId).toBe(meetings.get(id)!.speakers[0]!.id);
    expect(() => edits.moveSegment(999_999, 'Ann')).toThrow(code('NOT_FOUND'));
    expect(() => edits.moveSegment(segments[0]!.id, 'Nobody')).toThrow(code('NOT_FOUND'));
  });

  it('lists speaking time and sentence counts', () => {
    const two = conv('conv-2spk');
    const { id } = meetings.create(conversationMeeting(two, referenceLabels(two)));
    const listed = edits.listSpeakers(id);
    const talk = (speaker: string) =>
      two.reference
        .filter((t) => t.speaker === speaker)
        .reduce((sum, t) => sum + Math.round(t.endMs) - Math.round(t.startMs), 0);
    expect(listed.map((s) => [s.segmentCount, s.talkMs])).toEqual([
      [8, talk('A')],
      [8, talk('B')],
    ]);
  });
});
