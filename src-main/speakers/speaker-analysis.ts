// What the speaker stage keeps per meeting so speakers can be re-labelled later without decoding or transcribing again.
import { assignSpeakers, windowsToTurns, type Span, type Window } from './assignment.js';
import { clusterEmbeddings } from './clustering.js';
import { zScoreAcross } from './mfcc-stats.js';
import { MFCC_STATS_BACKEND } from './backends.js';

/** How a meeting's speakers were labelled. */
export type SpeakerLabelMode = 'voice' | 'channels';

/**
 * The analysis behind a meeting's speaker labels: the windows (over the meeting's segments in time order, `spanIndex`
 * = segment position) and one raw embedding per window, row-major in `embeddings` (windows.length × dim).
 * In channel mode there may be no windows.
 */
export interface SpeakerAnalysis {
  mode: SpeakerLabelMode;
  /** 'mfcc-stats' for the model-free fallback, else the speaker model's id. */
  backend: string;
  dim: number;
  windows: Window[];
  embeddings: Float32Array;
}

/** The rows of `analysis.embeddings` as vectors, normalised the way its backend is clustered. */
export function clusteringVectors(analysis: SpeakerAnalysis): Float64Array[] {
  const { dim, windows, embeddings } = analysis;
  const rows = windows.map((_, i) => Float64Array.from(embeddings.subarray(i * dim, (i + 1) * dim)));
  return analysis.backend === MFCC_STATS_BACKEND ? zScoreAcross(rows) : rows;
}

/**
 * Speaker (0-based, numbered by first appearance) of each sentence from stored window embeddings: a known count
 * `speakers`, or an automatic count when omitted. Sentences are the meeting's segments in time order.
 */
export function labelsFromAnalysis(
  analysis: SpeakerAnalysis,
  sentences: Span[],
  speakers?: number,
): number[] {
  if (sentences.length === 0) return [];
  if (analysis.windows.length === 0 || analysis.dim === 0) return sentences.map(() => 0);
  const autoCount = analysis.backend === MFCC_STATS_BACKEND ? 'silhouette' : 'eigengap';
  const windowLabels = clusterEmbeddings(clusteringVectors(analysis), { speakers, autoCount });
  return assignSpeakers(sentences, windowsToTurns(analysis.windows, windowLabels));
}

/** Mean raw embedding of each speaker's windows (a window belongs to the speaker of its segment); null for none. */
export function speakerCentroids(
  analysis: SpeakerAnalysis,
  segmentSpeakers: number[],
  speakerCount: number,
): (Float32Array | null)[] {
  const { dim, windows, embeddings } = analysis;
  const sums = Array.from({ length: speakerCount }, () => new Float64Array(dim));
  const counts = new Array<number>(speakerCount).fill(0);
  windows.forEach((window, i) => {
    const speaker = segmentSpeakers[window.spanIndex];
    if (speaker === undefined || speaker < 0 || speaker >= speakerCount) return;
    counts[speaker] = counts[speaker]! + 1;
    const sum = sums[speaker]!;
    for (let d = 0; d < dim; d++) sum[d] = sum[d]! + embeddings[i * dim + d]!;
  });
  return sums.map((sum, s) => (counts[s] ? Float32Array.from(sum, (x) => x / counts[s]!) : null));
}
