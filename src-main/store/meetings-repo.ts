// Meetings with their speakers and segments. A meeting is written in one transaction together with its search
// index rows and speaker analysis, so a crash never leaves half a meeting behind.
import type { Database, Statement } from 'better-sqlite3';
import type { Meeting, MeetingSummary, Segment, Speaker, Token } from '../../src-shared/types.js';
import { MAX_TITLE_CHARS } from '../../src-shared/schemas/limits.js';
import { FunscribeError } from '../util/errors.js';
import type { NewMeeting } from './new-meeting.js';
import { MAX_SEARCH_MS, SEGMENT_SLOTS } from './search-key.js';
import { SegmentRows, type SegmentValues } from './segment-rows.js';
import { SpeakerRepository, type StoredSpeaker } from './speakers-repo.js';
import { isRowId, optionalString, parseJson, requireArray, requireMs, requireString } from './validate.js';
import { writeTransaction } from './write-transaction.js';

interface SummaryRow {
  id: number;
  title: string;
  source: string;
  created_at: number;
  duration_ms: number;
  audio_path: string | null;
  segment_count: number;
  speaker_count: number;
}

interface SegmentRow {
  id: number;
  start_ms: number;
  end_ms: number;
  text: string;
  speaker_id: number | null;
  tokens: string;
}

const SUMMARY_COLUMNS = `
  m.id, m.title, m.source, m.created_at, m.duration_ms, m.audio_path,
  (SELECT count(*) FROM segments s WHERE s.meeting_id = m.id) AS segment_count,
  (SELECT count(*) FROM speakers p WHERE p.meeting_id = m.id) AS speaker_count`;

function toSummary(row: SummaryRow): MeetingSummary {
  return {
    id: row.id,
    title: row.title,
    source: row.source,
    createdAt: row.created_at,
    durationMs: row.duration_ms,
    segmentCount: row.segment_count,
    speakerCount: row.speaker_count,
    audioPath: row.audio_path,
  };
}

function toSpeaker({ id, label, name, suggestedName, suggestionScore }: StoredSpeaker): Speaker {
  if (suggestedName === null) return { id, label, name };
  return { id, label, name, suggestedName, suggestionScore: suggestionScore ?? 0 };
}

function toSegment(row: SegmentRow): Segment {
  return {
    id: row.id,
    startMs: row.start_ms,
    endMs: row.end_ms,
    text: row.text,
    speakerId: row.speaker_id,
    tokens: parseJson<Token[]>(row.tokens, []),
  };
}

/** A title trimmed and checked: non-empty text of at most MAX_TITLE_CHARS characters. */
function cleanTitle(title: unknown): string {
  const trimmed = requireString(title, 'The title').trim();
  if (trimmed.length === 0) throw new FunscribeError('INVALID_ARGUMENT', 'The title cannot be empty.');
  if (trimmed.length > MAX_TITLE_CHARS) {
    throw new FunscribeError('INVALID_ARGUMENT', `The title is longer than ${MAX_TITLE_CHARS} characters.`);
  }
  return trimmed;
}

type NewSegment = NewMeeting['segments'][number];

/** Indexes of the segments sorted by start time (equal starts keep their order; malformed ones go last). */
function timeOrder(segments: readonly NewSegment[]): number[] {
  const start = (i: number): number => {
    const ms = segments[i]?.startMs;
    return typeof ms === 'number' && Number.isFinite(ms) ? ms : Infinity;
  };
  return segments.map((_, i) => i).sort((a, b) => start(a) - start(b) || a - b);
}

/** Checks one segment and returns its row values; INVALID_ARGUMENT (rolling the meeting back) when malformed. */
function segmentParams(segment: NewSegment, index: number, speakerIds: readonly number[]): SegmentValues {
  const what = `sentence ${index + 1}`;
  if (typeof segment !== 'object' || segment === null) {
    throw new FunscribeError('INVALID_ARGUMENT', `The ${what} is missing.`);
  }
  const { speakerIndex } = segment;
  let speakerId: number | null = null;
  if (speakerIndex !== null && speakerIndex !== undefined) {
    const found = Number.isInteger(speakerIndex) ? speakerIds[speakerIndex] : undefined;
    if (found === undefined) {
      throw new FunscribeError('INVALID_ARGUMENT', `The ${what} refers to a speaker that does not exist.`);
    }
    speakerId = found;
  }
  const text = requireString(segment.text, `The text of ${what}`);
  const startMs = requireMs(segment.startMs, `The start of ${what}`);
  const endMs = Math.max(startMs, requireMs(segment.endMs, `The end of ${what}`));
  const tokens = JSON.stringify(
    segment.tokens === undefined || segment.tokens === null
      ? []
      : requireArray(segment.tokens, `The tokens of ${what}`),
  );
  return { speakerId, startMs, endMs, text, tokens };
}

/** Stores, lists, reads, renames and deletes meetings. */
export class MeetingRepository {
  private readonly db: Database;
  private readonly insertMeeting: Statement<[string, string, number, number, string | null, number]>;
  private readonly searchMsTaken: Statement<[number], { taken: number }>;
  private readonly insertSpeaker: Statement<[number, string, string | null, number]>;
  private readonly segmentRows: SegmentRows;
  private readonly selectList: Statement<[number, number], SummaryRow>;
  private readonly selectOne: Statement<[number], SummaryRow>;
  private readonly speakerRepo: SpeakerRepository;
  private readonly selectSegments: Statement<[number], SegmentRow>;
  private readonly updateTitle: Statement<[string, number]>;
  private readonly deleteOne: Statement<[number], { audio_path: string | null }>;
  private readonly selectAudioPaths: Statement<[], { audio_path: string }>;
  private readonly selectPcmAudio: Statement<[], { id: number; audio_path: string }>;
  private readonly updateAudioPath: Statement<[string | null, number, string]>;
  private readonly countAll: Statement<[], { n: number }>;

  /** Prepares the statements on an open, migrated database. */
  constructor(db: Database) {
    this.db = db;
    this.insertMeeting = db.prepare(
      'INSERT INTO meetings (title, source, created_at, duration_ms, audio_path, search_ms) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.searchMsTaken = db.prepare('SELECT count(*) AS taken FROM meetings WHERE search_ms = ?');
    this.insertSpeaker = db.prepare(
      'INSERT INTO speakers (meeting_id, label, name, ordinal) VALUES (?, ?, ?, ?)',
    );
    this.segmentRows = new SegmentRows(db);
    this.selectList = db.prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM meetings m ORDER BY m.created_at DESC, m.id DESC LIMIT ? OFFSET ?`,
    );
    this.selectOne = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM meetings m WHERE m.id = ?`);
    this.speakerRepo = new SpeakerRepository(db);
    this.selectSegments = db.prepare(
      `SELECT id, start_ms, end_ms, text, speaker_id, tokens FROM segments WHERE meeting_id = ? ORDER BY start_ms, id`,
    );
    this.updateTitle = db.prepare('UPDATE meetings SET title = ? WHERE id = ?');
    this.deleteOne = db.prepare('DELETE FROM meetings WHERE id = ? RETURNING audio_path');
    this.selectAudioPaths = db.prepare('SELECT audio_path FROM meetings WHERE audio_path IS NOT NULL');
    this.selectPcmAudio = db.prepare(
      "SELECT id, audio_path FROM meetings WHERE audio_path LIKE '%.pcm' ORDER BY id",
    );
    this.updateAudioPath = db.prepare('UPDATE meetings SET audio_path = ? WHERE id = ? AND audio_path = ?');
    this.countAll = db.prepare('SELECT count(*) AS n FROM meetings');
  }

  /** Stores a meeting, its speakers, its segments, their search index rows and its speaker analysis in one transaction. */
  create(meeting: NewMeeting): Meeting {
    if (typeof meeting !== 'object' || meeting === null) {
      throw new FunscribeError('INVALID_ARGUMENT', 'The meeting to save is missing.');
    }
    const title = cleanTitle(meeting.title);
    const source = requireString(meeting.source, 'The source');
    const durationMs = requireMs(meeting.durationMs, 'The duration');
    const createdAt =
      meeting.createdAt === undefined ? Date.now() : requireMs(meeting.createdAt, 'The creation time');
    const audioPath = optionalString(meeting.audioPath, 'The audio path');
    const speakers = requireArray(meeting.speakers, 'The speakers') as NewMeeting['speakers'];
    const segments = requireArray(meeting.segments, 'The segments') as NewMeeting['segments'];
    if (segments.length >= SEGMENT_SLOTS) {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        `A meeting can hold at most ${SEGMENT_SLOTS - 1} sentences.`,
      );
    }

    const id = writeTransaction(this.db, () => {
      const searchMs = this.freeSearchMs(createdAt);
      const meetingId = Number(
        this.insertMeeting.run(title, source, createdAt, durationMs, audioPath, searchMs).lastInsertRowid,
      );
      const speakerIds = speakers.map((speaker, ordinal) => {
        const label = requireString(speaker?.label, `The label of speaker ${ordinal + 1}`);
        const name = optionalString(speaker.name, `The name of speaker ${ordinal + 1}`);
        return Number(this.insertSpeaker.run(meetingId, label, name, ordinal).lastInsertRowid);
      });
      const rows = timeOrder(segments).map((index) => segmentParams(segments[index]!, index, speakerIds));
      this.segmentRows.insertAll(meetingId, searchMs, rows);
      if (meeting.speakerAnalysis !== undefined && meeting.speakerAnalysis !== null) {
        this.speakerRepo.saveAnalysis(meetingId, meeting.speakerAnalysis);
      }
      return meetingId;
    });
    return this.get(id)!;
  }

  /** The first millisecond from `createdAt` on that no other meeting uses as its search time. */
  private freeSearchMs(createdAt: number): number {
    let ms = createdAt;
    while (this.searchMsTaken.get(ms)!.taken > 0) ms++;
    if (ms > MAX_SEARCH_MS)
      throw new FunscribeError('INVALID_ARGUMENT', 'The creation time is not a valid date.');
    return ms;
  }

  /** Meetings, newest first. */
  list(opts: { limit?: number; offset?: number } = {}): MeetingSummary[] {
    const limit = Number.isSafeInteger(opts.limit) && opts.limit! >= 0 ? opts.limit! : -1;
    const offset = Number.isSafeInteger(opts.offset) && opts.offset! > 0 ? opts.offset! : 0;
    return this.selectList.all(limit, offset).map(toSummary);
  }

  /**
   * One meeting with speakers (in order, with voiceprint suggestions), segments (in time order) and how the speakers
   * were labelled, or null when there is none with that id.
   */
  get(id: number): Meeting | null {
    if (!isRowId(id)) return null;
    const row = this.selectOne.get(id);
    if (!row) return null;
    const meeting: Meeting = {
      ...toSummary(row),
      speakers: this.speakerRepo.speakers(id).map(toSpeaker),
      segments: this.selectSegments.all(id).map(toSegment),
    };
    const labelling = this.speakerRepo.labelling(id);
    if (labelling) meeting.speakerLabelling = labelling;
    return meeting;
  }

  /** Changes a meeting's title; NOT_FOUND when there is no such meeting. */
  rename(id: number, title: string): void {
    const clean = cleanTitle(title);
    if (!isRowId(id) || this.updateTitle.run(clean, id).changes === 0) throw notFound();
  }

  /**
   * Deletes a meeting with its speakers, segments and search index rows and returns the audio file it referred to
   * (removing that is the caller's part); NOT_FOUND when there is no such meeting.
   */
  delete(id: number): { audioPath: string | null } {
    const row = isRowId(id) ? this.deleteOne.get(id) : undefined;
    if (!row) throw notFound();
    return { audioPath: row.audio_path };
  }

  /** The audio files the meetings refer to. */
  audioPaths(): string[] {
    return this.selectAudioPaths.all().map((row) => row.audio_path);
  }

  /** The meetings whose audio is still the raw PCM that versions before audio copies kept, oldest first. */
  pcmAudio(): { id: number; audioPath: string }[] {
    return this.selectPcmAudio.all().map((row) => ({ id: row.id, audioPath: row.audio_path }));
  }

  /** Points a meeting at `to` instead of `from`; false when it is gone or no longer refers to `from`. */
  replaceAudioPath(id: number, from: string, to: string | null): boolean {
    return this.updateAudioPath.run(to, id, from).changes > 0;
  }

  /** How many meetings the library holds. */
  count(): number {
    return this.countAll.get()!.n;
  }
}

function notFound(): FunscribeError {
  return new FunscribeError('NOT_FOUND', 'That meeting does not exist (it may have been deleted).');
}
