// Model-free voice analysis: MFCC statistics of the 1.5 s windows over the sentences, which the speaker stage then
// clusters. Suited to clearly different voices; a speaker model gives better embeddings when installed.
import { FBANK_SAMPLE_RATE, FRAME_LENGTH, FRAME_SHIFT } from '../dsp/fbank.js';
import { CEPSTRA, MFCC_STATS_DIM, mfccStatsOfFrames } from '../dsp/mfcc-stats.js';
import type { Span, Window } from './assignment.js';
import { MFCC_STATS_BACKEND } from '../../../src-shared/speaker-backends.js';
import type { SpeakerAnalysis } from '../../store/stored-analysis.js';

/** The frames [first, end) inside a window, at least one, clamped to the `total` frames of the recording. */
function frameRange(total: number, { startMs, endMs }: Span): [number, number] {
  const msPerFrame = (FRAME_SHIFT / FBANK_SAMPLE_RATE) * 1000;
  const first = Math.min(Math.max(0, Math.floor(startMs / msPerFrame)), total - 1);
  const last = Math.floor((endMs - (FRAME_LENGTH / FBANK_SAMPLE_RATE) * 1000) / msPerFrame);
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
