// Speaker turns, labels and centroids from the analysis the speaker stage keeps per meeting (store/stored-analysis.ts),
// so speakers can be re-labelled later without decoding or transcribing again.
import type { SpeakerAnalysis } from '../../store/stored-analysis.js';
import { windowsToTurns, type Span, type SpeakerTurn } from './assignment.js';
import { clusterEmbeddings } from './clustering.js';
import { zScoreAcross } from '../dsp/mfcc-stats.js';
import { MFCC_STATS_BACKEND } from '../../../src-shared/speaker-backends.js';
import { tokenSpeakersFromTurns, type LabelPiece } from './token-speakers.js';

/** The rows of `analysis.embeddings` as vectors, normalised the way its backend is clustered. */
export function clusteringVectors(analysis: SpeakerAnalysis): Float64Array[] {
  const { dim, windows, embeddings } = analysis;
  const rows = windows.map((_, i) => Float64Array.from(embeddings.subarray(i * dim, (i + 1) * dim)));
  return analysis.backend === MFCC_STATS_BACKEND ? zScoreAcross(rows) : rows;
}

/** Speaker turns from stored window embeddings: a known count `speakers`, or an automatic count when omitted. */
export function turnsFromAnalysis(analysis: SpeakerAnalysis, speakers?: number): SpeakerTurn[] {
  if (analysis.windows.length === 0 || analysis.dim === 0) return [];
  const autoCount = analysis.backend === MFCC_STATS_BACKEND ? 'silhouette' : 'eigengap';
  const windowLabels = clusterEmbeddings(clusteringVectors(analysis), { speakers, autoCount });
  return windowsToTurns(analysis.windows, windowLabels);
}

/**
 * The speaker (0-based, numbered by first appearance) of every token of every piece (one label for a piece without
 * tokens), from stored window embeddings; see turnsFromAnalysis for `speakers`. Pieces are in time order.
 */
export function pieceLabelsFromAnalysis(
  analysis: SpeakerAnalysis,
  pieces: readonly LabelPiece[],
  speakers?: number,
): number[][] {
  return tokenSpeakersFromTurns(pieces, turnsFromAnalysis(analysis, speakers));
}

/** A stored segment's time span and the speaker (index) it belongs to, or -1 for none. */
export interface OwnedSpan extends Span {
  owner: number;
}

/** The owner of the segment sharing the most time with a window (segments in time order), or -1. */
function windowOwner(window: Span, segments: readonly OwnedSpan[]): number {
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (segments[mid]!.endMs <= window.startMs) low = mid + 1;
    else high = mid;
  }
  let best = { owner: -1, shared: 0 };
  for (let i = low; i < segments.length && segments[i]!.startMs < window.endMs; i++) {
    const segment = segments[i]!;
    const shared = Math.min(window.endMs, segment.endMs) - Math.max(window.startMs, segment.startMs);
    if (shared > best.shared) best = { owner: segment.owner, shared };
  }
  return best.owner;
}

/** The owner of each analysis window: the speaker of the segment it overlaps most, or -1. */
export function windowOwners(analysis: SpeakerAnalysis, segments: readonly OwnedSpan[]): number[] {
  const sorted = [...segments].sort((a, b) => a.startMs - b.startMs);
  return analysis.windows.map((window) => windowOwner(window, sorted));
}

/** Mean raw embedding of each speaker's windows (a window belongs to the speaker it overlaps most); null for none. */
export function speakerCentroids(
  analysis: SpeakerAnalysis,
  segments: readonly OwnedSpan[],
  speakerCount: number,
): (Float32Array | null)[] {
  const { dim, embeddings } = analysis;
  const sums = Array.from({ length: speakerCount }, () => new Float64Array(dim));
  const counts = new Array<number>(speakerCount).fill(0);
  windowOwners(analysis, segments).forEach((speaker, i) => {
    if (speaker < 0 || speaker >= speakerCount) return;
    counts[speaker] = counts[speaker]! + 1;
    const sum = sums[speaker]!;
    for (let d = 0; d < dim; d++) sum[d] = sum[d]! + embeddings[i * dim + d]!;
  });
  return sums.map((sum, s) => (counts[s] ? Float32Array.from(sum, (x) => x / counts[s]!) : null));
}
