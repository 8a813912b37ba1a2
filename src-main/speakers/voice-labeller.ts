// Model-free speaker labels: MFCC statistics of 1.5 s windows over the sentences, clustered, then one speaker per
// sentence by overlap. Suited to clearly different voices; a speaker model gives better embeddings when installed.
import { computeFbank, FRAME_LENGTH, FRAME_SHIFT } from './fbank.js';
import { CEPSTRA, cepstraFromFbank, MFCC_STATS_DIM, mfccStatsOfFrames } from './mfcc-stats.js';
import { slidingWindows, type Span, type Window } from './assignment.js';
import { MFCC_STATS_BACKEND } from './backends.js';
import { labelsFromAnalysis, type SpeakerAnalysis } from './speaker-analysis.js';

/** Speakers per sentence (0-based, numbered by first appearance) and how many there are. */
export interface VoiceLabels {
  labels: number[];
  speakerCount: number;
}

/** The frames [first, end) inside a window, at least one, clamped to the `total` frames of the recording. */
function frameRange(total: number, { startMs, endMs }: Span): [number, number] {
  const msPerFrame = (FRAME_SHIFT / 16000) * 1000;
  const first = Math.min(Math.max(0, Math.floor(startMs / msPerFrame)), total - 1);
  const last = Math.floor((endMs - (FRAME_LENGTH / 16000) * 1000) / msPerFrame);
  return [first, Math.max(first, Math.min(last, total - 1)) + 1];
}

/** The model-free analysis of a recording from its flat cepstra: raw MFCC statistics of each window. */
export function mfccAnalysis(ceps: Float32Array, windows: Window[]): SpeakerAnalysis {
  const total = ceps.length / CEPSTRA;
  const embeddings = new Float32Array(total > 0 ? windows.length * MFCC_STATS_DIM : 0);
  if (total > 0) {
    windows.forEach((window, i) => {
      embeddings.set(mfccStatsOfFrames(ceps, ...frameRange(total, window)), i * MFCC_STATS_DIM);
    });
  }
  return {
    mode: 'voice',
    backend: MFCC_STATS_BACKEND,
    dim: MFCC_STATS_DIM,
    windows: total > 0 ? windows : [],
    embeddings,
  };
}

/** Labels each sentence of 16 kHz mono samples by voice (one fbank pass over the whole recording). */
export function labelByVoice(
  samples: Float32Array,
  sentences: Span[],
  options: { speakers?: number } = {},
): VoiceLabels {
  const analysis = mfccAnalysis(cepstraFromFbank(computeFbank(samples)), slidingWindows(sentences));
  const labels = labelsFromAnalysis(analysis, sentences, options.speakers);
  return { labels, speakerCount: new Set(labels).size };
}
