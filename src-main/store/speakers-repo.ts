// A meeting's speakers as the speaker edits see them, the stored speaker analysis (window embeddings as BLOBs), and
// rewriting who said what with speakers renumbered "Speaker 1…K" by first appearance.
import type { Database, Statement } from 'better-sqlite3';
import type { SpeakerLabelling, Token } from '../../src-shared/types.js';
import { speakerLabel } from '../speakers/labelling/meeting-speakers.js';
import type { SpeakerSegment } from '../speakers/labelling/segment-builder.js';
import type { SpeakerAnalysis, SpeakerLabelMode } from '../speakers/labelling/speaker-analysis.js';
import { FunscribeError } from '../util/errors.js';
import { SegmentRows } from './segment-rows.js';
import { parseJson } from './validate.js';

/** Longest embedding backend id kept. */
const MAX_BACKEND_CHARS = 200;
const LABEL_MODES: readonly SpeakerLabelMode[] = ['voice', 'channels'];

/** A speaker row of one meeting, with the voiceprint suggestion when there is one. */
export interface StoredSpeaker {
  id: number;
  ordinal: number;
  label: string;
  name: string | null;
  voiceprintId: number | null;
  suggestedName: string | null;
  suggestionScore: number | null;
}

/** A segment's time span and speaker, as listed in time order. */
export interface SegmentSpan {
  id: number;
  startMs: number;
  endMs: number;
  speakerId: number | null;
}

/** A stored segment with its text and tokens, from which segments are rebuilt after a speaker change. */
export interface StoredSegment extends SegmentSpan {
  text: string;
  tokens: Token[];
}

/** A speaker to write with `rewrite`: an existing row keeps its `id`; the label is assigned there. */
export interface SpeakerDraft {
  id?: number;
  name: string | null;
  voiceprintId?: number | null;
  suggestionScore?: number | null;
}

interface SpeakerRow {
  id: number;
  ordinal: number;
  label: string;
  name: string | null;
  voiceprint_id: number | null;
  suggested_name: string | null;
  suggestion_score: number | null;
}

interface AnalysisRow {
  mode: SpeakerLabelMode | null;
  backend: string | null;
  dim: number | null;
  windows: Buffer | null;
  embeddings: Buffer | null;
}

/** Float32 values as a BLOB (the host's byte order: little-endian on every platform FunScribe ships for). */
export function float32ToBlob(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** A BLOB's bytes copied into memory of their own (so aligned), trimmed to whole `unit`-byte elements. */
function alignedBytes(blob: Buffer, unit: number): ArrayBuffer {
  const bytes = new Uint8Array(blob.byteLength - (blob.byteLength % unit));
  bytes.set(blob.subarray(0, bytes.byteLength));
  return bytes.buffer;
}

/** A Float32 BLOB back as values (copied, so the result is aligned and owns its memory). */
export function blobToFloat32(blob: Buffer): Float32Array {
  return new Float32Array(alignedBytes(blob, 4));
}

/** Windows as Float64 triples (start ms, end ms, segment position). */
function windowsToBlob(windows: SpeakerAnalysis['windows']): Buffer {
  const triples = new Float64Array(windows.length * 3);
  windows.forEach((window, i) => triples.set([window.startMs, window.endMs, window.spanIndex], i * 3));
  return Buffer.from(triples.buffer);
}

/** Float64 triples back as windows. */
function blobToWindows(blob: Buffer): SpeakerAnalysis['windows'] {
  const triples = new Float64Array(alignedBytes(blob, 24));
  return Array.from({ length: triples.length / 3 }, (_, i) => ({
    startMs: triples[i * 3]!,
    endMs: triples[i * 3 + 1]!,
    spanIndex: triples[i * 3 + 2]!,
  }));
}

function invalid(what: string): FunscribeError {
  return new FunscribeError('INVALID_ARGUMENT', `The speaker analysis ${what}.`);
}

/** Checks an analysis from the speaker stage and returns it with its windows (and embedding rows) in time order. */
function checkedAnalysis(analysis: SpeakerAnalysis): SpeakerAnalysis {
  if (typeof analysis !== 'object' || analysis === null) throw invalid('is missing');
  const { mode, backend, dim, windows, embeddings } = analysis;
  if (!LABEL_MODES.includes(mode)) throw invalid('has an unknown labelling mode');
  if (typeof backend !== 'string' || backend.length === 0 || backend.length > MAX_BACKEND_CHARS)
    throw invalid('names no embedding backend');
  if (!Number.isSafeInteger(dim) || dim < 0) throw invalid('has a bad embedding size');
  if (!Array.isArray(windows) || !(embeddings instanceof Float32Array)) throw invalid('is malformed');
  if (embeddings.length !== windows.length * dim) throw invalid('has the wrong number of embeddings');
  const placed = windows.map((window, row) => {
    if (typeof window !== 'object' || window === null) throw invalid('has a missing window');
    const { startMs, endMs, spanIndex } = window;
    if (!(Number.isSafeInteger(spanIndex) && spanIndex >= 0))
      throw invalid('refers to a piece that does not exist');
    if (!(Number.isFinite(startMs) && Number.isFinite(endMs) && startMs >= 0 && endMs >= startMs))
      throw invalid('has a window with bad times');
    return { window: { startMs, endMs, spanIndex }, row };
  });
  placed.sort((a, b) => a.window.startMs - b.window.startMs || a.window.spanIndex - b.window.spanIndex);
  const sorted = new Float32Array(embeddings.length);
  placed.forEach(({ row }, i) => sorted.set(embeddings.subarray(row * dim, (row + 1) * dim), i * dim));
  return { mode, backend, dim, windows: placed.map((p) => p.window), embeddings: sorted };
}

function toSpeaker(row: SpeakerRow): StoredSpeaker {
  return {
    id: row.id,
    ordinal: row.ordinal,
    label: row.label,
    name: row.name,
    voiceprintId: row.voiceprint_id,
    suggestedName: row.voiceprint_id === null ? null : row.suggested_name,
    suggestionScore: row.voiceprint_id === null ? null : row.suggestion_score,
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
  private readonly selectSegment: Statement<[number], { meetingId: number }>;
  private readonly deleteSpeakers: Statement<[number]>;
  private readonly insertSpeaker: Statement<
    [number | null, number, string, string | null, number | null, number | null, number]
  >;
  private readonly selectContents: Statement<[number], StoredSegment & { tokens: string }>;
  private readonly segmentRows: SegmentRows;
  private readonly updateName: Statement<[string | null, number]>;
  private readonly updateSuggestion: Statement<[number | null, number | null, number]>;

  /** Prepares the statements on an open, migrated database. */
  constructor(db: Database) {
    this.selectMeeting = db.prepare('SELECT id FROM meetings WHERE id = ?');
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
      `SELECT p.id, p.ordinal, p.label, p.name, p.voiceprint_id, v.name AS suggested_name, p.suggestion_score
       FROM speakers p LEFT JOIN voiceprints v ON v.id = p.voiceprint_id
       WHERE p.meeting_id = ? ORDER BY p.ordinal`,
    );
    this.selectSpans = db.prepare(
      `SELECT id, start_ms AS startMs, end_ms AS endMs, speaker_id AS speakerId
       FROM segments WHERE meeting_id = ? ORDER BY start_ms, id`,
    );
    this.selectSegment = db.prepare('SELECT meeting_id AS meetingId FROM segments WHERE id = ?');
    this.deleteSpeakers = db.prepare('DELETE FROM speakers WHERE meeting_id = ?');
    this.insertSpeaker = db.prepare(
      `INSERT INTO speakers (id, meeting_id, label, name, voiceprint_id, suggestion_score, ordinal)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectContents = db.prepare(
      `SELECT id, start_ms AS startMs, end_ms AS endMs, speaker_id AS speakerId, text, tokens
       FROM segments WHERE meeting_id = ? ORDER BY start_ms, id`,
    );
    this.segmentRows = new SegmentRows(db);
    this.updateName = db.prepare(
      'UPDATE speakers SET name = ?, voiceprint_id = NULL, suggestion_score = NULL WHERE id = ?',
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
    if (checked.dim === 0 || checked.windows.length === 0) return;
    this.insertAnalysis.run(
      meetingId,
      checked.dim,
      windowsToBlob(checked.windows),
      float32ToBlob(checked.embeddings),
    );
  }

  /** The stored analysis of a meeting with its voice windows, or null when there is none. */
  analysis(meetingId: number): SpeakerAnalysis | null {
    const row = this.selectAnalysis.get(meetingId);
    if (!row?.mode || !row.backend || !row.dim || !row.windows || !row.embeddings) return null;
    const windows = blobToWindows(row.windows);
    const embeddings = blobToFloat32(row.embeddings);
    if (embeddings.length !== windows.length * row.dim) return null;
    return { mode: row.mode, backend: row.backend, dim: row.dim, windows, embeddings };
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
        tokens: JSON.stringify(segment.tokens),
      })),
    );
  }

  /** Sets (or clears, with null) a speaker's name; its voiceprint suggestion goes, as the user has decided. */
  setName(speakerId: number, name: string | null): void {
    this.updateName.run(name, speakerId);
  }

  /** Sets (or clears, with nulls) the voiceprint suggested for a speaker and its score. */
  setSuggestion(speakerId: number, voiceprintId: number | null, score: number | null): void {
    this.updateSuggestion.run(voiceprintId, score, speakerId);
  }
}
