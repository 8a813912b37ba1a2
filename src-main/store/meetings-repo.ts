// Meetings with their speakers and segments. A meeting is written in one transaction together with its search
// index rows and speaker analysis, so a crash never leaves half a meeting behind.
import type { Database, Statement } from 'better-sqlite3';
import { basename } from 'node:path';
import type { Segment, SegmentTokens, SlimSegment, Speaker, Token } from '../../src-shared/types.js';
import { MAX_TITLE_CHARS, type MEETING_ORDERS } from '../../src-shared/schemas/limits.js';
import { FunscribeError } from '../util/errors.js';
import type { NewMeeting } from './new-meeting.js';
import { MAX_SEARCH_MS, SEGMENT_SLOTS } from './search-key.js';
import { SegmentRows, type SegmentValues } from './segment-rows.js';
import { SpeakerRepository, type StoredSpeaker } from './speakers-repo.js';
import type { StoredMeeting, StoredMeetingSummary } from './stored-meeting.js';
import { cleanSegmentText } from './segment-text.js';
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

/** A meeting deleted with undo, waiting for its purge. */
export interface DeletedMeeting {
  id: number;
  /** Epoch ms of the delete. */
  deletedAt: number;
}

interface SegmentRow {
  id: number;
  start_ms: number;
  end_ms: number;
  text: string;
  speaker_id: number | null;
  original_text: string | null;
  tokens: string;
}

/** A segment row without its tokens: whether it has any instead. */
type SlimSegmentRow = Omit<SegmentRow, 'tokens'> & { has_tokens: 0 | 1 };

/** A stored meeting whose segments are `S`. */
type MeetingWith<S> = Omit<StoredMeeting, 'segments'> & { segments: S[] };

const SUMMARY_COLUMNS = `
  m.id, m.title, m.source, m.created_at, m.duration_ms, m.audio_path,
  (SELECT count(*) FROM segments s WHERE s.meeting_id = m.id) AS segment_count,
  (SELECT count(*) FROM speakers p WHERE p.meeting_id = m.id) AS speaker_count`;

/** How the meeting list is sorted: newest first, by title (then oldest first), or longest first. */
export type MeetingOrder = (typeof MEETING_ORDERS)[number];

/** The ORDER BY of each list order; the id breaks ties so that pages never overlap. */
const LIST_ORDER_BY: Record<MeetingOrder, string> = {
  date: 'm.created_at DESC, m.id DESC',
  title: 'm.title COLLATE NOCASE, m.id',
  length: 'm.duration_ms DESC, m.id DESC',
};

function toSummary(row: SummaryRow): StoredMeetingSummary {
  return {
    id: row.id,
    title: row.title,
    source: row.source,
    sourceName: basename(row.source),
    createdAt: row.created_at,
    durationMs: row.duration_ms,
    segmentCount: row.segment_count,
    speakerCount: row.speaker_count,
    audioPath: row.audio_path,
  };
}

function toSpeaker({ id, ordinal, label, name, suggestedName, suggestionScore }: StoredSpeaker): Speaker {
  const speaker: Speaker = { id, number: ordinal + 1, label, name };
  if (suggestedName === null) return speaker;
  return { ...speaker, suggestedName, suggestionScore: suggestionScore ?? 0 };
}

function toSegment(row: SegmentRow): Segment {
  return {
    id: row.id,
    startMs: row.start_ms,
    endMs: row.end_ms,
    text: row.text,
    speakerId: row.speaker_id,
    tokens: parseJson<Token[]>(row.tokens, []),
    ...editedFrom(row),
  };
}

/** The recognised text of an edited segment, as the optional field of a Segment. */
function editedFrom(row: { original_text: string | null }): Pick<Segment, 'originalText'> {
  return row.original_text === null ? {} : { originalText: row.original_text };
}

function toSlimSegment(row: SlimSegmentRow): SlimSegment {
  return {
    id: row.id,
    startMs: row.start_ms,
    endMs: row.end_ms,
    text: row.text,
    speakerId: row.speaker_id,
    hasTokens: row.has_tokens === 1,
    ...editedFrom(row),
  };
}

/** A title trimmed and checked: non-empty text of at most MAX_TITLE_CHARS characters. */
function cleanTitle(title: unknown): string {
  const trimmed = requireString(title, 'The title').trim();
  if (trimmed.length === 0) {
    throw new FunscribeError('INVALID_ARGUMENT', 'The title cannot be empty.', {
      params: { reason: 'titleEmpty' },
    });
  }
  if (trimmed.length > MAX_TITLE_CHARS) {
    throw new FunscribeError('INVALID_ARGUMENT', `The title is longer than ${MAX_TITLE_CHARS} characters.`, {
      params: { reason: 'titleTooLong', max: MAX_TITLE_CHARS },
    });
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
  private readonly selectList: Record<MeetingOrder, Statement<[number, number], SummaryRow>>;
  private readonly selectOne: Statement<[number], SummaryRow>;
  private readonly speakerRepo: SpeakerRepository;
  private readonly selectSegments: Statement<[number], SegmentRow>;
  private readonly selectSlimSegments: Statement<[number], SlimSegmentRow>;
  private readonly selectExists: Statement<[number], { id: number }>;
  private readonly selectTokens: Statement<[number, string], { id: number; tokens: string }>;
  private readonly updateTitle: Statement<[string, number]>;
  private readonly selectSegment: Statement<[number, number], SegmentRow>;
  private readonly markDeleted: Statement<[number, number]>;
  private readonly unmarkDeleted: Statement<[number]>;
  private readonly selectDeleted: Statement<[], DeletedMeeting>;
  private readonly deleteOne: Statement<[number], { audio_path: string | null }>;
  private readonly deleteMarked: Statement<[number], { audio_path: string | null }>;
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
    const listIn = (order: MeetingOrder): Statement<[number, number], SummaryRow> =>
      db.prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM meetings m WHERE m.deleted_at IS NULL ORDER BY ${LIST_ORDER_BY[order]} LIMIT ? OFFSET ?`,
      );
    this.selectList = { date: listIn('date'), title: listIn('title'), length: listIn('length') };
    this.selectOne = db.prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM meetings m WHERE m.id = ? AND m.deleted_at IS NULL`,
    );
    this.speakerRepo = new SpeakerRepository(db);
    this.selectSegments = db.prepare(
      `SELECT id, start_ms, end_ms, text, speaker_id, original_text, tokens FROM segments WHERE meeting_id = ? ORDER BY start_ms, id`,
    );
    this.selectSlimSegments = db.prepare(
      `SELECT id, start_ms, end_ms, text, speaker_id, original_text,
              tokens NOT IN ('[]', '') AS has_tokens
       FROM segments WHERE meeting_id = ? ORDER BY start_ms, id`,
    );
    this.selectExists = db.prepare('SELECT id FROM meetings WHERE id = ? AND deleted_at IS NULL');
    this.selectTokens = db.prepare(
      `SELECT id, tokens FROM segments
       WHERE meeting_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY start_ms, id`,
    );
    this.updateTitle = db.prepare('UPDATE meetings SET title = ? WHERE id = ? AND deleted_at IS NULL');
    this.selectSegment = db.prepare(
      `SELECT id, start_ms, end_ms, text, speaker_id, original_text, tokens FROM segments
       WHERE id = ? AND meeting_id = ?`,
    );
    this.markDeleted = db.prepare('UPDATE meetings SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL');
    this.unmarkDeleted = db.prepare(
      'UPDATE meetings SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL',
    );
    this.selectDeleted = db.prepare(
      'SELECT id, deleted_at AS deletedAt FROM meetings WHERE deleted_at IS NOT NULL ORDER BY deleted_at',
    );
    this.deleteOne = db.prepare('DELETE FROM meetings WHERE id = ? RETURNING audio_path');
    this.deleteMarked = db.prepare(
      'DELETE FROM meetings WHERE id = ? AND deleted_at IS NOT NULL RETURNING audio_path',
    );
    this.selectAudioPaths = db.prepare('SELECT audio_path FROM meetings WHERE audio_path IS NOT NULL');
    this.selectPcmAudio = db.prepare(
      "SELECT id, audio_path FROM meetings WHERE audio_path LIKE '%.pcm' ORDER BY id",
    );
    this.updateAudioPath = db.prepare('UPDATE meetings SET audio_path = ? WHERE id = ? AND audio_path = ?');
    this.countAll = db.prepare('SELECT count(*) AS n FROM meetings');
  }

  /** Stores a meeting, its speakers, its segments, their search index rows and its speaker analysis in one transaction. */
  create(meeting: NewMeeting): StoredMeeting {
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

  /** A page of meetings in the order asked for (newest first when none is). */
  list(opts: { limit?: number; offset?: number; orderBy?: MeetingOrder } = {}): StoredMeetingSummary[] {
    const limit = Number.isSafeInteger(opts.limit) && opts.limit! >= 0 ? opts.limit! : -1;
    const offset = Number.isSafeInteger(opts.offset) && opts.offset! > 0 ? opts.offset! : 0;
    return this.selectList[opts.orderBy ?? 'date'].all(limit, offset).map(toSummary);
  }

  /** One meeting's list row (no speakers or sentences are read), or null when there is none with that id. */
  summary(id: number): StoredMeetingSummary | null {
    if (!isRowId(id)) return null;
    const row = this.selectOne.get(id);
    return row ? toSummary(row) : null;
  }

  /**
   * One meeting with speakers (in order, with voiceprint suggestions), segments (in time order) and how the speakers
   * were labelled, or null when there is none with that id.
   */
  get(id: number): StoredMeeting | null {
    return this.read(id, (found) => this.selectSegments.all(found).map(toSegment));
  }

  /**
   * One meeting as get() gives it, but each segment without its tokens (only whether it has any): what a window
   * opens, so that a 3-hour meeting's ~100,000 tokens are not parsed and sent. segmentTokens() gives them per segment.
   */
  getSlim(id: number): MeetingWith<SlimSegment> | null {
    return this.read(id, (found) => this.selectSlimSegments.all(found).map(toSlimSegment));
  }

  /**
   * The tokens of those of `segmentIds` that belong to the meeting, in time order, or null when there is no such
   * meeting. Ids of other meetings' segments are left out.
   */
  segmentTokens(meetingId: number, segmentIds: readonly number[]): SegmentTokens[] | null {
    if (!isRowId(meetingId) || !this.selectExists.get(meetingId)) return null;
    const ids = segmentIds.filter(isRowId);
    if (ids.length === 0) return [];
    return this.selectTokens.all(meetingId, JSON.stringify(ids)).map((row) => ({
      segmentId: row.id,
      tokens: parseJson<Token[]>(row.tokens, []),
    }));
  }

  /** A meeting with speakers, labelling and the segments `segments` reads, or null when there is none. */
  private read<S>(id: number, segments: (id: number) => S[]): MeetingWith<S> | null {
    if (!isRowId(id)) return null;
    const row = this.selectOne.get(id);
    if (!row) return null;
    const meeting: MeetingWith<S> = {
      ...toSummary(row),
      speakers: this.speakerRepo.speakers(id).map(toSpeaker),
      segments: segments(id),
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
   * Gives a sentence of a meeting new text (checked by cleanSegmentText) and re-indexes it for search, keeping the
   * recognised text; returns the sentence. NOT_FOUND when the meeting or the sentence is not there.
   */
  editSegmentText(meetingId: number, segmentId: number, text: string): Segment {
    const clean = cleanSegmentText(text);
    return writeTransaction(this.db, () => {
      if (!isRowId(meetingId) || !this.selectExists.get(meetingId)) throw notFound();
      if (!isRowId(segmentId) || !this.selectSegment.get(segmentId, meetingId)) {
        throw new FunscribeError(
          'NOT_FOUND',
          `Meeting ${meetingId} has no sentence with id ${String(segmentId)}.`,
          { params: { reason: 'sentence', id: String(segmentId) } },
        );
      }
      this.segmentRows.setText(segmentId, clean);
      return toSegment(this.selectSegment.get(segmentId, meetingId)!);
    });
  }

  /**
   * Deletes a meeting so that the delete can be undone: it is hidden from every read and from search until
   * restoreDeleted() or the purge (delete()). NOT_FOUND when there is no such meeting.
   */
  markAsDeleted(id: number, now: number = Date.now()): void {
    writeTransaction(this.db, () => {
      if (!isRowId(id) || this.markDeleted.run(now, id).changes === 0) throw notFound();
      this.segmentRows.unindex(id);
    });
  }

  /** Undoes markAsDeleted; NOT_FOUND when the meeting is not (or no longer) waiting for its purge. */
  restoreDeleted(id: number): void {
    writeTransaction(this.db, () => {
      if (!isRowId(id) || this.unmarkDeleted.run(id).changes === 0) {
        throw new FunscribeError(
          'NOT_FOUND',
          'That meeting cannot be restored: it is not waiting to be deleted (its undo time may have passed).',
          { params: { reason: 'restore' } },
        );
      }
      this.segmentRows.reindex(id);
    });
  }

  /**
   * Deletes for good a meeting that markAsDeleted hid and returns its audio file (removing that is the caller's
   * part); null when it was restored or purged meanwhile.
   */
  purgeDeleted(id: number): { audioPath: string | null } | null {
    const row = isRowId(id) ? this.deleteMarked.get(id) : undefined;
    return row ? { audioPath: row.audio_path } : null;
  }

  /** The meetings deleted with undo and not purged yet, oldest delete first. */
  deletedMeetings(): DeletedMeeting[] {
    return this.selectDeleted.all();
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
