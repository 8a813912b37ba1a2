// A meeting's segment rows with their search index entries, always written together and in time order, so a segment's
// search key (position in its meeting) matches its place in the transcript.
import type { Database, Statement } from 'better-sqlite3';
import { SEGMENT_KEY_SQL } from './search-key.js';
import { toIndexText } from './search-text.js';

/** The values of one segment row except its meeting and search key. */
export interface SegmentValues {
  speakerId: number | null;
  startMs: number;
  endMs: number;
  text: string;
  /** The tokens as JSON text. */
  tokens: string;
}

/** Parameters of the segment insert. */
type SegmentParams = SegmentValues & { meetingId: number; searchMs: number; position: number };

/** Writes and replaces the segments of meetings. Callers own transactions. */
export class SegmentRows {
  private readonly insertSegment: Statement<SegmentParams>;
  private readonly insertIndex: Statement<{ searchMs: number; position: number; body: string }>;
  private readonly deleteSegments: Statement<[number]>;
  private readonly selectSearchMs: Statement<[number], { searchMs: number }>;

  /** Prepares the statements on an open, migrated database. */
  constructor(db: Database) {
    this.insertSegment = db.prepare(
      `INSERT INTO segments (meeting_id, speaker_id, start_ms, end_ms, text, tokens, search_key)
       VALUES (@meetingId, @speakerId, @startMs, @endMs, @text, @tokens, ${SEGMENT_KEY_SQL})`,
    );
    this.insertIndex = db.prepare(
      `INSERT INTO segments_fts (rowid, body) VALUES (${SEGMENT_KEY_SQL}, @body)`,
    );
    this.deleteSegments = db.prepare('DELETE FROM segments WHERE meeting_id = ?');
    this.selectSearchMs = db.prepare('SELECT search_ms AS searchMs FROM meetings WHERE id = ?');
  }

  /** Writes segments given in time order at positions 0, 1, 2… of the meeting's search keys, with their index rows. */
  insertAll(meetingId: number, searchMs: number, segments: readonly SegmentValues[]): void {
    segments.forEach((values, position) => {
      this.insertSegment.run({ ...values, meetingId, searchMs, position });
      this.insertIndex.run({ searchMs, position, body: toIndexText(values.text) });
    });
  }

  /** Replaces every segment of a meeting (their index rows go with them) by new ones given in time order. */
  replaceAll(meetingId: number, segments: readonly SegmentValues[]): void {
    const row = this.selectSearchMs.get(meetingId);
    if (!row) return;
    this.deleteSegments.run(meetingId);
    this.insertAll(meetingId, row.searchMs, segments);
  }
}
