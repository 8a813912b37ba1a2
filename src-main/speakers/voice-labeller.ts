// Model-free speaker labels: MFCC statistics of 1.5 s windows over the sentences, clustered, then one speaker per
// sentence by overlap. Suited to clearly different voices; the CAM++ backend replaces the embeddings later.
import { computeFbank, FRAME_LENGTH, FRAME_SHIFT } from './fbank.js';
import { mfccStatsFromFbank, zScoreAcross } from './mfcc-stats.js';
import { assignSpeakers, slidingWindows, windowsToTurns, type Span } from './assignment.js';
import { clusterEmbeddings, type ClusterOptions } from './clustering.js';

/** Speakers per sentence (0-based, numbered by first appearance) and how many there are. */
export interface VoiceLabels {
  labels: number[];
  speakerCount: number;
}

/** The fbank frames that lie inside [startMs, endMs), at least one. */
function framesOf(frames: Float32Array[], { startMs, endMs }: Span): Float32Array[] {
  const msPerFrame = (FRAME_SHIFT / 16000) * 1000;
  const first = Math.max(0, Math.floor(startMs / msPerFrame));
  const last = Math.floor((endMs - (FRAME_LENGTH / 16000) * 1000) / msPerFrame);
  return frames.slice(
    Math.min(first, frames.length - 1),
    Math.max(first, Math.min(last, frames.length - 1)) + 1,
  );
}

/** Labels each sentence of a 16 kHz mono recording by voice (one fbank pass over the whole file). */
export function labelByVoice(
  samples: Float32Array,
  sentences: Span[],
  options: ClusterOptions = {},
): VoiceLabels {
  if (sentences.length === 0) return { labels: [], speakerCount: 0 };
  const frames = computeFbank(samples);
  const windows = slidingWindows(sentences);
  if (frames.length === 0 || windows.length === 0) return { labels: sentences.map(() => 0), speakerCount: 1 };
  const embeddings = zScoreAcross(windows.map((window) => mfccStatsFromFbank(framesOf(frames, window))));
  const turns = windowsToTurns(windows, clusterEmbeddings(embeddings, options));
  const labels = assignSpeakers(sentences, turns);
  return { labels, speakerCount: new Set(labels).size };
}
