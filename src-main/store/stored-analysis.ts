// The speaker analysis of a meeting as the library keeps it: what it holds, the checks before it is saved, and its
// windows and embeddings as BLOBs.
import type { SpeakerLabelMode } from '../../src-shared/types.js';
import { FunscribeError } from '../util/errors.js';
import { alignedBytes, blobToFloat32, float32ToBlob } from './float32-blobs.js';

/** Longest embedding backend id kept. */
const MAX_BACKEND_CHARS = 200;
const LABEL_MODES: readonly SpeakerLabelMode[] = ['voice', 'channels'];

/** A window of speech the analysis embedded: its time span and the stretch of speech it lies in. */
export interface AnalysisWindow {
  startMs: number;
  endMs: number;
  /** Position of the stretch in time order. */
  spanIndex: number;
}

/**
 * The analysis behind a meeting's speaker labels: the windows (over the transcript's stretches of speech, `spanIndex` =
 * stretch position in time order) and one raw embedding per window, row-major in `embeddings` (windows.length × dim).
 * In channel mode there may be no windows.
 */
export interface SpeakerAnalysis {
  mode: SpeakerLabelMode;
  /** 'mfcc-stats' for the model-free fallback, else the speaker model's id. */
  backend: string;
  dim: number;
  windows: AnalysisWindow[];
  embeddings: Float32Array;
}

/** The columns an analysis is stored in (the labelling on the meeting, the rest in speaker_analyses), as read back. */
export interface AnalysisRow {
  mode: SpeakerLabelMode | null;
  backend: string | null;
  dim: number | null;
  windows: Buffer | null;
  embeddings: Buffer | null;
}

/** The BLOBs of an analysis with voice windows. */
export interface AnalysisBlobs {
  dim: number;
  windows: Buffer;
  embeddings: Buffer;
}

/** Windows as Float64 triples (start ms, end ms, segment position). */
function windowsToBlob(windows: readonly AnalysisWindow[]): Buffer {
  const triples = new Float64Array(windows.length * 3);
  windows.forEach((window, i) => triples.set([window.startMs, window.endMs, window.spanIndex], i * 3));
  return Buffer.from(triples.buffer);
}

/** Float64 triples back as windows. */
function blobToWindows(blob: Buffer): AnalysisWindow[] {
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

/**
 * Checks an analysis from the speaker stage and returns it with its windows (and embedding rows) in time order;
 * INVALID_ARGUMENT when it is malformed.
 */
export function checkedAnalysis(analysis: SpeakerAnalysis): SpeakerAnalysis {
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

/** The BLOBs to store for a checked analysis, or null when it has no voice windows to keep. */
export function analysisBlobs(checked: SpeakerAnalysis): AnalysisBlobs | null {
  if (checked.dim === 0 || checked.windows.length === 0) return null;
  return {
    dim: checked.dim,
    windows: windowsToBlob(checked.windows),
    embeddings: float32ToBlob(checked.embeddings),
  };
}

/** The analysis stored in a row, or null when the row holds none (or one whose sizes do not agree). */
export function analysisFromRow(row: AnalysisRow | undefined): SpeakerAnalysis | null {
  if (!row?.mode || !row.backend || !row.dim || !row.windows || !row.embeddings) return null;
  const windows = blobToWindows(row.windows);
  const embeddings = blobToFloat32(row.embeddings);
  if (embeddings.length !== windows.length * row.dim) return null;
  return { mode: row.mode, backend: row.backend, dim: row.dim, windows, embeddings };
}
