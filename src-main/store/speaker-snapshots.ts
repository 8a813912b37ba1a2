// Undo for speaker edits that cannot simply be inverted (merge, move, re-count): the meeting's speaker state is saved
// before the edit, in the edit's transaction, and can be put back as it was. Only the last SNAPSHOTS_KEPT per meeting
// are kept; the state is deflated JSON (a 3-hour meeting's tokens compress well).
import type { Database, Statement } from 'better-sqlite3';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { FunscribeError } from '../util/errors.js';
import { SegmentRows, type SegmentValues } from './segment-rows.js';

/** How many snapshots a meeting keeps (older ones go when a new one is saved). */
export const SNAPSHOTS_KEPT = 10;

/** A speaker row as saved. */
interface SpeakerState {
  id: number;
  ordinal: number;
  label: string;
  name: string | null;
  voiceprintId: number | null;
  suggestionScore: number | null;
  nameWindows: string | null;
}

/** A meeting's speakers and segments (with their speaker ids, texts, bounds and tokens) as saved. */
interface MeetingSpeakerState {
  speakers: SpeakerState[];
  segments: (Required<SegmentValues> & { id: number })[];
}

/** Saves and restores the speaker state of meetings. Callers own transactions. */
export class SpeakerSnapshots {
  private readonly selectSpeakers: Statement<[number], SpeakerState>;
  private readonly selectSegments: Statement<[number], MeetingSpeakerState['segments'][number]>;
  private readonly insertSnapshot: Statement<[number, number, Buffer]>;
  private readonly pruneSnapshots: Statement<[number, number, number]>;
  private readonly selectSnapshot: Statement<[number, number], { state: Buffer }>;
  private readonly deleteSpeakers: Statement<[number]>;
  private readonly insertSpeaker: Statement<SpeakerState & { meetingId: number }>;
  private readonly segmentRows: SegmentRows;

  /** Prepares the statements on an open, migrated database. */
  constructor(db: Database) {
    this.selectSpeakers = db.prepare(
      `SELECT id, ordinal, label, name, voiceprint_id AS voiceprintId, suggestion_score AS suggestionScore,
         name_windows AS nameWindows
       FROM speakers WHERE meeting_id = ? ORDER BY ordinal`,
    );
    this.selectSegments = db.prepare(
      `SELECT id, speaker_id AS speakerId, start_ms AS startMs, end_ms AS endMs, text, original_text AS originalText,
         tokens
       FROM segments WHERE meeting_id = ? ORDER BY start_ms, id`,
    );
    this.insertSnapshot = db.prepare(
      'INSERT INTO speaker_snapshots (meeting_id, created_at, state) VALUES (?, ?, ?)',
    );
    this.pruneSnapshots = db.prepare(
      `DELETE FROM speaker_snapshots WHERE meeting_id = ? AND id NOT IN
         (SELECT id FROM speaker_snapshots WHERE meeting_id = ? ORDER BY id DESC LIMIT ?)`,
    );
    this.selectSnapshot = db.prepare('SELECT state FROM speaker_snapshots WHERE id = ? AND meeting_id = ?');
    this.deleteSpeakers = db.prepare('DELETE FROM speakers WHERE meeting_id = ?');
    this.insertSpeaker = db.prepare(
      `INSERT INTO speakers (id, meeting_id, label, name, voiceprint_id, suggestion_score, ordinal, name_windows)
       VALUES (CASE WHEN EXISTS (SELECT 1 FROM speakers WHERE id = @id) THEN NULL ELSE @id END, @meetingId, @label,
         @name, (SELECT id FROM voiceprints WHERE id = @voiceprintId), @suggestionScore, @ordinal, @nameWindows)`,
    );
    this.segmentRows = new SegmentRows(db);
  }

  /** Saves a meeting's speaker state and returns the snapshot's id; older snapshots beyond SNAPSHOTS_KEPT go. */
  save(meetingId: number, now: number = Date.now()): number {
    const state: MeetingSpeakerState = {
      speakers: this.selectSpeakers.all(meetingId),
      segments: this.selectSegments.all(meetingId),
    };
    const blob = deflateRawSync(JSON.stringify(state));
    const id = Number(this.insertSnapshot.run(meetingId, now, blob).lastInsertRowid);
    this.pruneSnapshots.run(meetingId, meetingId, SNAPSHOTS_KEPT);
    return id;
  }

  /**
   * Puts a meeting's speakers and segments back as a snapshot saved them (ids too, unless another row took one
   * meanwhile); NOT_FOUND when the meeting has no such snapshot (it may be one of the older ones no longer kept).
   */
  restore(meetingId: number, snapshotId: number): void {
    const row = this.selectSnapshot.get(snapshotId, meetingId);
    if (!row) {
      throw new FunscribeError(
        'NOT_FOUND',
        'This change can no longer be undone: only the last few speaker changes of a meeting are kept.',
      );
    }
    const state = JSON.parse(inflateRawSync(row.state).toString('utf8')) as MeetingSpeakerState;
    this.deleteSpeakers.run(meetingId);
    const idOf = new Map<number, number>();
    for (const speaker of state.speakers) {
      const { lastInsertRowid } = this.insertSpeaker.run({ ...speaker, meetingId });
      idOf.set(speaker.id, Number(lastInsertRowid));
    }
    this.segmentRows.replaceAll(
      meetingId,
      state.segments.map((segment) => ({
        ...segment,
        speakerId: segment.speakerId === null ? null : (idOf.get(segment.speakerId) ?? null),
      })),
    );
  }
}
