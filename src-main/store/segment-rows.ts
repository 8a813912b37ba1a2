// A meeting's segment rows with their search index entries, always written together and in time order, so a segment's
// search key (position in its meeting) matches its place in the transcript.
import type { Database, Statement } from 'better-sqlite3';
import { SEGMENT_KEY_SQL } from './search-key.js';
import { toIndexText } from './search-text.js';

/** The values of one segment row except its meeting and search key. */
export interface SegmentValues {
  /** The row id to keep (a restored snapshot); a new id when absent or taken. */
  id?: number;
  speakerId: number | null;
  startMs: number;
  endMs: number;
  text: string;
  /** The recognised text when the user edited `text`; absent or null when never edited. */
  originalText?: string | null;
  /** The tokens as JSON text. */
  tokens: string;
}

/** Parameters of the segment insert. */
type SegmentParams = Required<Omit<SegmentValues, 'id'>> & {
  id: number | null;
  meetingId: number;
  searchMs: number;
  position: number;
};

/** A segment's text and search key as a text edit reads them. */
interface TextRow {
  text: string;
  originalText: string | null;
  searchKey: bigint;
}

/** Writes and replaces the segments of meetings, and their search rows. Callers own transactions. */
export class SegmentRows {
  private readonly insertSegment: Statement<SegmentParams>;
  private readonly insertIndex: Statement<{ searchMs: number; position: number; body: string }>;
  private readonly deleteSegments: Statement<[number]>;
  private readonly selectSearchMs: Statement<[number], { searchMs: number }>;
  private readonly selectText: Statement<[number], TextRow>;
  private readonly updateText: Statement<[string, string | null, number]>;
  private readonly deleteIndexRow: Statement<[bigint]>;
  private readonly insertIndexRow: Statement<[bigint, string]>;
  private readonly selectIndexed: Statement<[number], { searchKey: bigint; text: string }>;

  /** Prepares the statements on an open, migrated database. */
  constructor(db: Database) {
    this.insertSegment = db.prepare(
      `INSERT INTO segments (id, meeting_id, speaker_id, start_ms, end_ms, text, original_text, tokens, search_key)
       VALUES (CASE WHEN EXISTS (SELECT 1 FROM segments WHERE id = @id) THEN NULL ELSE @id END,
               @meetingId, @speakerId, @startMs, @endMs, @text, @originalText, @tokens, ${SEGMENT_KEY_SQL})`,
    );
    this.insertIndex = db.prepare(
      `INSERT INTO segments_fts (rowid, body) VALUES (${SEGMENT_KEY_SQL}, @body)`,
    );
    this.deleteSegments = db.prepare('DELETE FROM segments WHERE meeting_id = ?');
    this.selectSearchMs = db.prepare('SELECT search_ms AS searchMs FROM meetings WHERE id = ?');
    this.selectText = db
      .prepare(
        'SELECT text, original_text AS originalText, search_key AS searchKey FROM segments WHERE id = ?',
      )
      .safeIntegers(true) as Statement<[number], TextRow>;
    this.updateText = db.prepare('UPDATE segments SET text = ?, original_text = ? WHERE id = ?');
    this.deleteIndexRow = db.prepare('DELETE FROM segments_fts WHERE rowid = ?');
    this.insertIndexRow = db.prepare('INSERT INTO segments_fts (rowid, body) VALUES (?, ?)');
    this.selectIndexed = db
      .prepare('SELECT search_key AS searchKey, text FROM segments WHERE meeting_id = ?')
      .safeIntegers(true) as Statement<[number], { searchKey: bigint; text: string }>;
  }

  /** Writes segments given in time order at positions 0, 1, 2… of the meeting's search keys, with their index rows. */
  insertAll(meetingId: number, searchMs: number, segments: readonly SegmentValues[]): void {
    segments.forEach((values, position) => {
      this.insertSegment.run({
        ...values,
        id: values.id ?? null,
        originalText: values.originalText ?? null,
        meetingId,
        searchMs,
        position,
      });
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

  /**
   * Gives a segment new text and re-indexes it; the recognised text is kept (an edit back to it forgets it). False when
   * there is no such segment.
   */
  setText(segmentId: number, text: string): boolean {
    const row = this.selectText.get(segmentId);
    if (!row) return false;
    const recognised = row.originalText ?? row.text;
    this.updateText.run(text, text === recognised ? null : recognised, segmentId);
    this.deleteIndexRow.run(row.searchKey);
    this.insertIndexRow.run(row.searchKey, toIndexText(text));
    return true;
  }

  /** Takes a meeting's segments out of the search index (a deleted meeting waiting to be purged). */
  unindex(meetingId: number): void {
    for (const { searchKey } of this.selectIndexed.all(meetingId)) this.deleteIndexRow.run(searchKey);
  }

  /** Puts a meeting's segments back into the search index (a delete undone). */
  reindex(meetingId: number): void {
    for (const { searchKey, text } of this.selectIndexed.all(meetingId)) {
      this.insertIndexRow.run(searchKey, toIndexText(text));
    }
  }
}
