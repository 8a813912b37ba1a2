// Stored speaker analyses and speaker edits on real SQLite files, with analyses of generated conversations' audio.
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from '../../../src-main/store/migrations.js';
import { SpeakerRepository } from '../../../src-main/store/speakers-repo.js';
import { SpeakerEdits } from '../../../src-main/speakers/edits/speaker-edits.js';
import { speakerLibrary } from '../../../src-main/store/speaker-library.js';
import {
  conversationMeeting,
  referenceLabels,
  segmentDer,
  type AnalysedConversation,
  useEditsLibrary,
} from './conversation-meetings.js';
import { sampleMeeting } from './sample-meetings.js';

const t = useEditsLibrary();

const conv = (name: string): AnalysedConversation => t.conversations.get(name)!;
const code = (c: string) => expect.objectContaining({ code: c });
const labelsAndNames = (meetingId: number) =>
  t.meetings.get(meetingId)!.speakers.map((s) => [s.label, s.name]);

describe('stored speaker analyses', () => {
  it('keeps the analysis with the meeting, says how it was labelled, and deletes it with the meeting', () => {
    const three = conv('conv-3spk');
    const { id } = t.meetings.create(conversationMeeting(three));
    const stored = new SpeakerRepository(t.lib.db).analysis(id)!;
    expect(stored.windows).toEqual(three.analysis.windows);
    expect(stored.embeddings).toEqual(three.analysis.embeddings);
    expect(stored).toMatchObject({ mode: 'voice', backend: 'mfcc-stats', dim: 29 });
    expect(t.meetings.get(id)!.speakerLabelling).toEqual({
      mode: 'voice',
      backend: 'mfcc-stats',
      canRelabel: true,
    });
    t.meetings.delete(id);
    expect(t.lib.db.prepare('SELECT count(*) FROM speaker_analyses').pluck().get()).toBe(0);
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
    const { id } = t.meetings.create(meeting);
    expect(t.meetings.get(id)!.speakerLabelling).toEqual({
      mode: 'channels',
      backend: 'channel-levels',
      canRelabel: false,
    });
    expect(() => t.edits.relabel(id, 2)).toThrow(
      expect.objectContaining({
        code: 'SPEAKER_ANALYSIS_MISSING',
        message: expect.stringContaining('stereo channel'),
      }),
    );
    expect(t.meetings.get(id)!.speakers.map((s) => s.name)).toEqual([null, 'Alice']);
  });

  it('stores the windows in time order whatever order the stage gave them in', () => {
    const three = conv('conv-3spk');
    const inOrder = conversationMeeting(three);
    const { dim, windows, embeddings } = three.analysis;
    const rows = windows.map((_, i) => embeddings.subarray(i * dim, (i + 1) * dim));
    const reversed = {
      ...inOrder,
      segments: [...inOrder.segments].reverse(),
      speakerAnalysis: {
        ...three.analysis,
        windows: [...windows].reverse(),
        embeddings: Float32Array.from(rows.reverse().flatMap((row) => [...row])),
      },
    };
    const a = t.meetings.create(inOrder).id;
    const b = t.meetings.create(reversed).id;
    const repo = new SpeakerRepository(t.lib.db);
    expect(repo.analysis(b)).toEqual(repo.analysis(a));
    expect(t.edits.relabel(b, 3).map((s) => s.segmentCount)).toEqual(
      t.edits.relabel(a, 3).map((s) => s.segmentCount),
    );
  });

  it('rejects a malformed analysis and saves nothing of that meeting', () => {
    const three = conv('conv-3spk');
    const bad = [
      { ...three.analysis, mode: 'guess' },
      { ...three.analysis, embeddings: three.analysis.embeddings.subarray(1) },
      { ...three.analysis, windows: [{ startMs: 0, endMs: 1500, spanIndex: -1 }] },
      { ...three.analysis, backend: '' },
    ];
    for (const speakerAnalysis of bad) {
      expect(() =>
        t.meetings.create(conversationMeeting(three, undefined, { speakerAnalysis } as never)),
      ).toThrow(code('INVALID_ARGUMENT'));
    }
    expect(t.meetings.count()).toBe(0);
  });

  it('upgrades a version-1 library: meetings read back, speakers can be renamed, re-counting explains why not', () => {
    const file = `${t.lib.dir}/v1.sqlite`;
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
        { id: 1, number: 1, label: 'Speaker 1', name: 'Ann' },
        { id: 2, number: 2, label: 'Speaker 2', name: null },
      ]);
      const oldEdits = new SpeakerEdits(speakerLibrary(db));
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
    const { id } = t.meetings.create(conversationMeeting(three));
    expect(t.meetings.get(id)!.speakers).toHaveLength(1);

    const relabelled = t.edits.relabel(id, 3);
    expect(relabelled.map((s) => s.label)).toEqual(['Speaker 1', 'Speaker 2', 'Speaker 3']);
    expect(relabelled.reduce((n, s) => n + s.segmentCount, 0)).toBe(three.reference.length);
    const meeting = t.meetings.get(id)!;
    expect(segmentDer(three.reference, meeting.segments)).toBeLessThanOrEqual(0.05);
    expect(meeting.segments[0]!.speakerId).toBe(meeting.speakers[0]!.id);

    expect(t.edits.relabel(id, 2)).toHaveLength(2);
    expect(segmentDer(three.reference, t.meetings.get(id)!.segments)).toBeGreaterThan(0.1);
    expect(t.edits.relabel(id)).toHaveLength(3);
  });

  it('keeps names where a new speaker clearly is an old named one, and drops them otherwise', () => {
    const three = conv('conv-3spk');
    const { id } = t.meetings.create(conversationMeeting(three, referenceLabels(three)));
    t.edits.rename(id, 'Speaker 1', 'Alice');
    t.edits.rename(id, 'Speaker 3', 'Carol');
    expect(t.edits.relabel(id, 3).map((s) => s.name)).toEqual(['Alice', null, 'Carol']);
    expect(t.edits.relabel(id, 1).map((s) => s.name)).toEqual([null]);
    expect(t.edits.relabel(id, 3).map((s) => s.name)).toEqual([null, null, null]);
  });

  it('refuses a bad count, an unknown meeting and a meeting without an analysis', () => {
    const { id } = t.meetings.create(conversationMeeting(conv('conv-2spk')));
    for (const count of [0, 2.5, 51, Number.NaN]) {
      expect(() => t.edits.relabel(id, count), String(count)).toThrow(code('INVALID_ARGUMENT'));
    }
    expect(() => t.edits.relabel(id + 100, 2)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('no meeting') }),
    );
    const plain = t.meetings.create(sampleMeeting()).id;
    expect(() => t.edits.relabel(plain, 2)).toThrow(code('SPEAKER_ANALYSIS_MISSING'));
    expect(labelsAndNames(plain)).toEqual([
      ['Speaker 1', null],
      ['Speaker 2', 'Alice'],
    ]);
  });
});

describe('renaming, merging and moving', () => {
  it('renames by label, name or id for the whole meeting; an empty name goes back to the label', () => {
    const two = conv('conv-2spk');
    const { id } = t.meetings.create(conversationMeeting(two, referenceLabels(two)));
    const [first] = t.meetings.get(id)!.speakers;
    t.edits.rename(id, 'speaker 1', 'Alice');
    t.edits.rename(id, 'Alice', 'Alicia');
    t.edits.rename(id, first!.id, '  Alicia   Smith ');
    expect(labelsAndNames(id)).toEqual([
      ['Speaker 1', 'Alicia Smith'],
      ['Speaker 2', null],
    ]);
    t.edits.rename(id, String(first!.id), '');
    expect(labelsAndNames(id)[0]).toEqual(['Speaker 1', null]);
  });

  it('explains unknown speakers, clashing names and names that are too long', () => {
    const two = conv('conv-2spk');
    const { id } = t.meetings.create(conversationMeeting(two, referenceLabels(two)));
    t.edits.rename(id, 'Speaker 1', 'Alice');
    expect(() => t.edits.rename(id, 'Speaker 9', 'Bob')).toThrow(
      expect.objectContaining({
        code: 'NOT_FOUND',
        message: `Meeting ${id} has no speaker "Speaker 9". Its speakers are: Speaker 1 (Alice), Speaker 2.`,
      }),
    );
    expect(() => t.edits.rename(id, 'Speaker 2', 'alice')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('merge') }),
    );
    expect(() => t.edits.rename(id, 'Speaker 2', 'x'.repeat(101))).toThrow(code('INVALID_ARGUMENT'));
    expect(() => t.edits.rename(id, 'Speaker 2', 42 as never)).toThrow(code('INVALID_ARGUMENT'));
    expect(labelsAndNames(id)).toEqual([
      ['Speaker 1', 'Alice'],
      ['Speaker 2', null],
    ]);
  });

  it('merges one speaker into another and renumbers by first appearance, keeping names', () => {
    const four = conv('conv-4spk');
    const { id } = t.meetings.create(conversationMeeting(four, referenceLabels(four)));
    t.edits.rename(id, 'Speaker 2', 'Bea');
    t.edits.rename(id, 'Speaker 4', 'Dan');
    const merged = t.edits.merge(id, 'Speaker 3', 'Dan');
    expect(merged.map((s) => [s.label, s.name, s.segmentCount])).toEqual([
      ['Speaker 1', null, 5],
      ['Speaker 2', 'Bea', 4],
      ['Speaker 3', 'Dan', 8],
    ]);
    t.edits.merge(id, 'Speaker 1', 'Speaker 3');
    expect(labelsAndNames(id)).toEqual([
      ['Speaker 1', 'Dan'],
      ['Speaker 2', 'Bea'],
    ]);
    expect(() => t.edits.merge(id, 'Dan', 'Speaker 1')).toThrow(code('INVALID_ARGUMENT'));
    expect(t.meetings.get(id)!.segments.every((s) => s.speakerId !== null)).toBe(true);
  });

  it('moves a sentence to another or a new speaker, dropping a speaker left without sentences', () => {
    const two = conv('conv-2spk');
    const { id } = t.meetings.create(conversationMeeting(two, referenceLabels(two)));
    const segments = t.meetings.get(id)!.segments;
    const moved = t.edits.moveSegment(segments[0]!.id, 'new');
    expect(moved.map((s) => [s.label, s.segmentCount])).toEqual([
      ['Speaker 1', 1],
      ['Speaker 2', 8],
      ['Speaker 3', 7],
    ]);
    t.edits.rename(id, 'Speaker 2', 'Ann');
    expect(t.edits.moveSegment(segments[0]!.id, 'Ann').map((s) => [s.label, s.name])).toEqual([
      ['Speaker 1', 'Ann'],
      ['Speaker 2', null],
    ]);
    expect(t.meetings.get(id)!.segments[0]!.speakerId).toBe(t.meetings.get(id)!.speakers[0]!.id);
    expect(() => t.edits.moveSegment(999_999, 'Ann')).toThrow(code('NOT_FOUND'));
    expect(() => t.edits.moveSegment(segments[0]!.id, 'Nobody')).toThrow(code('NOT_FOUND'));
  });

  it('makes the renames and merges of a plan at once, speakers named as before it, all or nothing', () => {
    const four = conv('conv-4spk');
    const { id } = t.meetings.create(conversationMeeting(four, referenceLabels(four)));
    const changed = t.edits.applyChanges(id, {
      renames: [
        { speaker: 'Speaker 2', name: 'Bea' },
        { speaker: 'Speaker 4', name: 'Dan' },
      ],
      merges: [['Speaker 3', 'Speaker 4']],
      rememberVoice: false,
    });
    expect(changed.map((s) => [s.label, s.name, s.segmentCount])).toEqual([
      ['Speaker 1', null, 5],
      ['Speaker 2', 'Bea', 4],
      ['Speaker 3', 'Dan', 8],
    ]);
    const refused = {
      renames: [{ speaker: 'Speaker 1', name: 'Ann' }],
      merges: [['Bea', 'Speaker 2']] as [string, string][],
      rememberVoice: false,
    };
    expect(() => t.edits.applyChanges(id, refused)).toThrow(code('INVALID_ARGUMENT'));
    expect(labelsAndNames(id)).toEqual([
      ['Speaker 1', null],
      ['Speaker 2', 'Bea'],
      ['Speaker 3', 'Dan'],
    ]);
  });

  it('lists speaking time and sentence counts', () => {
    const two = conv('conv-2spk');
    const { id } = t.meetings.create(conversationMeeting(two, referenceLabels(two)));
    const listed = t.edits.listSpeakers(id);
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
