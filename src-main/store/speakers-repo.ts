// A meeting's speakers as the speaker edits see them, the stored speaker analysis (window embeddings as BLOBs), and
// rewriting who said what with speakers renumbered "Speaker 1…K" by first appearance.
import type { Database, Statement } from 'better-sqlite3';
import { speakerLabel } from '../../src-shared/speaker-name.js';
import type { SpeakerLabelling, SpeakerLabelMode, Token } from '../../src-shared/types.js';
import type { SpeakerSegment } from './new-meeting.js';
import { SegmentRows } from './segment-rows.js';
import {
  analysisBlobs,
  analysisFromRow,
  checkedAnalysis,
  type AnalysisRow,
  type SpeakerAnalysis,
} from './stored-analysis.js';
import { parseJson } from './validate.js';

/** A speaker row of one meeting, with the voiceprint suggestion when there is one. */
export interface StoredSpeaker {
  id: number;
  ordinal: number;
  label: string;
  name: string | null;
  voiceprintId: number | null;
  suggestedName: string | null;
  suggestionScore: number | null;
  /** The analysis windows the speaker owned when it was named (the voice the name belongs to), or null. */
  nameWindows: number[] | null;
}

/** A segment's time span and speaker, as listed in time order. */
export interface SegmentSpan {
  id: number;
  startMs: number;
  endMs: number;
  speakerId: number | null;
}

/** How long one speaker of a meeting speaks, over how many segments. */
export interface SpeakerTalk {
  speakerId: number;
  talkMs: number;
  segmentCount: number;
}

/** A stored segment with its text and tokens, from which segments are rebuilt after a speaker change. */
export interface StoredSegment extends SegmentSpan {
  text: string;
  /** The recognised text of a sentence the user edited, else null. */
  originalText: string | null;
  tokens: Token[];
}

/** A speaker to write with `rewrite`: an existing row keeps its `id`; the label is assigned there. */
export interface SpeakerDraft {
  id?: number;
  name: string | null;
  voiceprintId?: number | null;
  suggestionScore?: number | null;
  nameWindows?: number[] | null;
}

interface SpeakerRow {
  id: number;
  ordinal: number;
  label: string;
  name: string | null;
  voiceprint_id: number | null;
  suggested_name: string | null;
  suggestion_score: number | null;
  name_windows: string | null;
}

/** Window indexes stored as JSON text (null stays null). */
function windowList(json: string | null): number[] | null {
  return json === null ? null : parseJson<number[]>(json, []);
}

/** Window indexes as stored: JSON text, null when there are none to keep. */
function windowsJson(windows: readonly number[] | null | undefined): string | null {
  return windows && windows.length > 0 ? JSON.stringify(windows) : null;
}

function toSpeaker(row: SpeakerRow): StoredSpeaker {
  return {
    id: row.id,
    ordinal: row.ordinal,
    label: speakerLabel(row.ordinal),
    name: row.name,
    voiceprintId: row.voiceprint_id,
    suggestedName: row.voiceprint_id === null ? null : row.suggested_name,
    suggestionScore: row.voiceprint_id === null ? null : row.suggestion_score,
    nameWindows: row.name === null ? null : windowList(row.name_windows),
  };
}

/** Reads and rewrites the speakers, segment speakers and speaker analysis of meetings. Callers own transactions. */
export class SpeakerRepository {
  private readonly selectMeeting: Statement<[number], { id: number }>;
  private readonly setLabelling: Statement<[SpeakerLabelMode, string, number]>;
  private readonly insertAnalysis: Statement<[number, number, Buffer, Buffer]>;
  private readonly selectAnalysis: Statement<[number], AnalysisRow>;
  private readonly selectLabelling: Statement<[number], AnalysisRow & { stored: number }>;
  private readonly selectSpeakers: Statement<[number], SpeakerRow>;
  private readonly selectSpans: Statement<[number], SegmentSpan>;
  private readonly selectTalk: Statement<[number], SpeakerTalk>;
  private readonly selectSegment: Statement<[number], { meetingId: number }>;
  private readonly deleteSpeakers: Statement<[number]>;
  private readonly insertSpeaker: Statement<
    [number | null, number, string, string | null, number | null, number | null, number, string | null]
  >;
  private readonly selectContents: Statement<[number], Omit<StoredSegment, 'tokens'> & { tokens: string }>;
  private readonly segmentRows: SegmentRows;
  private readonly updateName: Statement<[string | null, string | null, number]>;
  private readonly updateSuggestion: Statement<[number | null, number | null, number]>;

  /** Prepares the statements on an open, migrated database. */
  constructor(db: Database) {
    this.selectMeeting = db.prepare('SELECT id FROM meetings WHERE id = ? AND deleted_at IS NULL');
    this.setLabelling = db.prepare('UPDATE meetings SET speaker_mode = ?, speaker_backend = ? WHERE id = ?');
    this.insertAnalysis = db.prepare(
      'INSERT OR REPLACE INTO speaker_analyses (meeting_id, dim, windows, embeddings) VALUES (?, ?, ?, ?)',
    );
    this.selectAnalysis = db.prepare(
      `SELECT m.speaker_mode AS mode, m.speaker_backend AS backend, a.dim, a.windows, a.embeddings
       FROM meetings m LEFT JOIN speaker_analyses a ON a.meeting_id = m.id WHERE m.id = ?`,
    );
    this.selectLabelling = db.prepare(
      `SELECT m.speaker_mode AS mode, m.speaker_backend AS backend,
         EXISTS (SELECT 1 FROM speaker_analyses a WHERE a.meeting_id = m.id) AS stored
       FROM meetings m WHERE m.id = ?`,
    );
    this.selectSpeakers = db.prepare(
      `SELECT p.id, p.ordinal, p.label, p.name, p.voiceprint_id, v.name AS suggested_name, p.suggestion_score,
         p.name_windows
       FROM speakers p LEFT JOIN voiceprints v ON v.id = p.voiceprint_id
       WHERE p.meeting_id = ? ORDER BY p.ordinal`,
    );
    this.selectTalk = db.prepare(
      `SELECT speaker_id AS speakerId, SUM(end_ms - start_ms) AS talkMs, COUNT(*) AS segmentCount
       FROM segments WHERE meeting_id = ? AND speaker_id IS NOT NULL GROUP BY speaker_id`,
    );
    this.selectSpans = db.prepare(
      `SELECT id, start_ms AS startMs, end_ms AS endMs, speaker_id AS speakerId
       FROM segments WHERE meeting_id = ? ORDER BY start_ms, id`,
    );
    this.selectSegment = db.prepare('SELECT meeting_id AS meetingId FROM segments WHERE id = ?');
    this.deleteSpeakers = db.prepare('DELETE FROM speakers WHERE meeting_id = ?');
    this.insertSpeaker = db.prepare(
      `INSERT INTO speakers (id, meeting_id, label, name, voiceprint_id, suggestion_score, ordinal, name_windows)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectContents = db.prepare(
      `SELECT id, start_ms AS startMs, end_ms AS endMs, speaker_id AS speakerId, text,
         original_text AS originalText, tokens
       FROM segments WHERE meeting_id = ? ORDER BY start_ms, id`,
    );
    this.segmentRows = new SegmentRows(db);
    this.updateName = db.prepare(
      'UPDATE speakers SET name = ?, name_windows = ?, voiceprint_id = NULL, suggestion_score = NULL WHERE id = ?',
    );
    this.updateSuggestion = db.prepare(
      'UPDATE speakers SET voiceprint_id = ?, suggestion_score = ? WHERE id = ?',
    );
  }

  /**
   * Records how a new meeting's speakers were labelled and keeps its window embeddings (when it has any);
   * INVALID_ARGUMENT when the analysis is malformed.
   */
  saveAnalysis(meetingId: number, analysis: SpeakerAnalysis): void {
    const checked = checkedAnalysis(analysis);
    this.setLabelling.run(checked.mode, checked.backend, meetingId);
    const blobs = analysisBlobs(checked);
    if (blobs) this.insertAnalysis.run(meetingId, blobs.dim, blobs.windows, blobs.embeddings);
  }

  /** The stored analysis of a meeting with its voice windows, or null when there is none. */
  analysis(meetingId: number): SpeakerAnalysis | null {
    return analysisFromRow(this.selectAnalysis.get(meetingId));
  }

  /** How a meeting's speakers were labelled, or null when that was not recorded (or there is no such meeting). */
  labelling(meetingId: number): SpeakerLabelling | null {
    const row = this.selectLabelling.get(meetingId);
    if (!row?.mode || !row.backend) return null;
    return { mode: row.mode, backend: row.backend, canRelabel: row.stored === 1 };
  }

  /** True when the library holds a meeting with this id. */
  meetingExists(meetingId: number): boolean {
    return this.selectMeeting.get(meetingId) !== undefined;
  }

  /** The speakers of a meeting in order. */
  speakers(meetingId: number): StoredSpeaker[] {
    return this.selectSpeakers.all(meetingId).map(toSpeaker);
  }

  /** The segments of a meeting in time order. */
  segments(meetingId: number): SegmentSpan[] {
    return this.selectSpans.all(meetingId);
  }

  /**
   * The speaking time and segment count of each speaker with segments in a meeting, summed by SQLite (opening a
   * meeting lists its speakers; building 5,000 span objects to add them up cost several times as much).
   */
  talk(meetingId: number): SpeakerTalk[] {
    return this.selectTalk.all(meetingId);
  }

  /** The meeting a segment belongs to, or null when there is no such segment. */
  meetingOfSegment(segmentId: number): number | null {
    return this.selectSegment.get(segmentId)?.meetingId ?? null;
  }

  /** The segments of a meeting in time order with their text and tokens. */
  contents(meetingId: number): StoredSegment[] {
    return this.selectContents.all(meetingId).map(({ tokens, ...row }) => ({
      ...row,
      tokens: parseJson<Token[]>(tokens, []),
    }));
  }

  /**
   * Rewrites a meeting's speakers and segments: `segments` in time order, each speaking for the draft at its
   * `speakerIndex` (none for -1). Speakers are renumbered by first appearance ("Speaker 1…K"); drafts that speak no
   * segment are dropped; the segments and their search index rows are written anew.
   */
  rewrite(meetingId: number, drafts: readonly SpeakerDraft[], segments: readonly SpeakerSegment[]): void {
    const ordinalOf = new Map<number, number>();
    for (const { speakerIndex } of segments) {
      if (speakerIndex >= 0 && !ordinalOf.has(speakerIndex)) ordinalOf.set(speakerIndex, ordinalOf.size);
    }
    this.deleteSpeakers.run(meetingId);
    const idOf = new Map<number, number>();
    // Rows that keep their id go in first, so a new row's automatic id cannot take one of theirs.
    const keptFirst = [...ordinalOf].sort(
      ([a], [b]) => Number(drafts[a]?.id === undefined) - Number(drafts[b]?.id === undefined),
    );
    for (const [draftIndex, ordinal] of keptFirst) {
      const draft = drafts[draftIndex];
      if (!draft) throw new RangeError(`no speaker draft ${draftIndex}`);
      const { lastInsertRowid } = this.insertSpeaker.run(
        draft.id ?? null,
        meetingId,
        speakerLabel(ordinal),
        draft.name,
        draft.voiceprintId ?? null,
        draft.voiceprintId ? (draft.suggestionScore ?? null) : null,
        ordinal,
        draft.name === null ? null : windowsJson(draft.nameWindows),
      );
      idOf.set(draftIndex, Number(lastInsertRowid));
    }
    this.segmentRows.replaceAll(
      meetingId,
      segments.map((segment) => ({
        speakerId: idOf.get(segment.speakerIndex) ?? null,
        startMs: Math.round(segment.startMs),
        endMs: Math.round(Math.max(segment.startMs, segment.endMs)),
        text: segment.text,
        originalText: segment.originalText ?? null,
        tokens: JSON.stringify(segment.tokens),
      })),
    );
  }

  /**
   * Sets (or clears, with null) a speaker's name and the analysis windows of the voice it is given to; its voiceprint
   * suggestion goes, as the user has decided.
   */
  setName(speakerId: number, name: string | null, nameWindows: readonly number[] | null = null): void {
    this.updateName.run(name, name === null ? null : windowsJson(nameWindows), speakerId);
  }

  /** Sets (or clears, with nulls) the voiceprint suggested for a speaker and its score. */
  setSuggestion(speakerId: number, voiceprintId: number | null, score: number | null): void {
    this.updateSuggestion.run(voiceprintId, score, speakerId);
  }
}
