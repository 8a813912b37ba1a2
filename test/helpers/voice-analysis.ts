// The model-free speaker analysis of samples held in memory, for tests and benchmarks (the pipeline streams the same
// cepstra from the PCM file instead: speaker-stage.ts).
import type { Span } from '../../src-main/speakers/labelling/assignment.js';
import { slidingWindows } from '../../src-main/speakers/labelling/assignment.js';
import { computeFbank } from '../../src-main/speakers/dsp/fbank.js';
import { cepstraFromFbank } from '../../src-main/speakers/dsp/mfcc-stats.js';
import { pieceLabelsFromAnalysis } from '../../src-main/speakers/labelling/speaker-analysis.js';
import type { SpeakerAnalysis } from '../../src-main/store/stored-analysis.js';
import { mfccAnalysis } from '../../src-main/speakers/labelling/voice-labeller.js';

/** MFCC statistics of the 1.5 s windows over `sentences` in 16 kHz mono samples (one fbank pass). */
export function voiceAnalysis(samples: Float32Array, sentences: Span[]): SpeakerAnalysis {
  return mfccAnalysis(cepstraFromFbank(computeFbank(samples)), slidingWindows(sentences));
}

/** The speaker of each span (a piece without tokens) from an analysis: known count or automatic. */
export function labelsOfSpans(analysis: SpeakerAnalysis, spans: Span[], speakers?: number): number[] {
  const pieces = spans.map(({ startMs, endMs }) => ({ startMs, endMs, tokens: [] }));
  return pieceLabelsFromAnalysis(analysis, pieces, speakers).map((labels) => labels[0]!);
}

/** Each sentence's speaker by voice (known count or automatic), and how many speakers that makes. */
export function labelByVoice(
  samples: Float32Array,
  sentences: Span[],
  options: { speakers?: number } = {},
): { labels: number[]; speakerCount: number } {
  const labels = labelsOfSpans(voiceAnalysis(samples, sentences), sentences, options.speakers);
  return { labels, speakerCount: new Set(labels).size };
}
