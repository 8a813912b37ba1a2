// Channel levels of the decoded 16 kHz interleaved stereo s16le PCM: RMS of left and right per sentence span and
// whole-file statistics (correlation, balance), read in fixed-size chunks so memory never grows with the recording.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { PCM_SAMPLE_RATE, pcmSamples, readPcmFrames } from '../../audio/pcm.js';
import { FunscribeError } from '../../util/errors.js';
import type { Span } from './assignment.js';

/** Bytes of one stereo frame (two s16le samples). */
const FRAME_BYTES = 4;
/** Stereo frames read per chunk (4 s of audio, 256 kB). */
const CHUNK_FRAMES = 64_000;
const FRAMES_PER_MS = PCM_SAMPLE_RATE / 1000;

/** RMS of each channel over one sentence span (full scale = 1) and how many frames of the file it covered. */
export interface SpanLevels {
  left: number;
  right: number;
  frames: number;
}

/** Whole-recording statistics: RMS per channel, Pearson correlation of the channels, and energy of L−R over L+R. */
export interface StereoStats {
  frames: number;
  rmsLeft: number;
  rmsRight: number;
  correlation: number;
  differenceRatio: number;
}

/** Channel levels of every sentence span (same order as given) plus whole-recording statistics. */
export interface StereoLevels {
  spans: SpanLevels[];
  stats: StereoStats;
}

/** Sums of squares per span, fed chunk by chunk in file order; spans may come in any order and may overlap. */
class LevelAccumulator {
  private readonly starts: number[];
  private readonly ends: number[];
  /** Span indices sorted by start frame; spans before `firstOpen` in this order have ended. */
  private readonly order: number[];
  private firstOpen = 0;
  private readonly sumLL: Float64Array;
  private readonly sumRR: Float64Array;
  private readonly counts: Float64Array;
  private frames = 0;
  private sumL = 0;
  private sumR = 0;
  private totalLL = 0;
  private totalRR = 0;
  private totalLR = 0;

  constructor(spans: readonly Span[]) {
    const toFrame = (ms: number): number =>
      Number.isFinite(ms) ? Math.max(0, Math.round(ms * FRAMES_PER_MS)) : 0;
    this.starts = spans.map((span) => toFrame(span.startMs));
    this.ends = spans.map((span, i) => Math.max(this.starts[i]!, toFrame(span.endMs)));
    this.order = spans.map((_, i) => i).sort((a, b) => this.starts[a]! - this.starts[b]! || a - b);
    this.sumLL = new Float64Array(spans.length);
    this.sumRR = new Float64Array(spans.length);
    this.counts = new Float64Array(spans.length);
  }

  /**
   * Adds the next interleaved samples (left, right, left, …) of the recording. Each span's share of the chunk comes from
   * running sums, so overlapping spans (a server may claim any) cost one step each, not one per frame.
   */
  add(samples: Int16Array): void {
    const first = this.frames;
    const count = samples.length >> 1;
    const end = first + count;
    const runningLL = new Float64Array(count + 1);
    const runningRR = new Float64Array(count + 1);
    let sumL = 0;
    let sumR = 0;
    let sumLR = 0;
    for (let i = 0; i < count; i++) {
      const l = samples[2 * i]! / 32768;
      const r = samples[2 * i + 1]! / 32768;
      sumL += l;
      sumR += r;
      runningLL[i + 1] = runningLL[i]! + l * l;
      runningRR[i + 1] = runningRR[i]! + r * r;
      sumLR += l * r;
    }
    const sumLL = runningLL[count]!;
    const sumRR = runningRR[count]!;
    this.sumL += sumL;
    this.sumR += sumR;
    this.totalLL += sumLL;
    this.totalRR += sumRR;
    this.totalLR += sumLR;
    for (let k = this.firstOpen; k < this.order.length; k++) {
      const span = this.order[k]!;
      if (this.starts[span]! >= end) break;
      const from = Math.max(first, this.starts[span]!);
      const to = Math.min(end, this.ends[span]!);
      if (to <= from) continue;
      this.sumLL[span]! += runningLL[to - first]! - runningLL[from - first]!;
      this.sumRR[span]! += runningRR[to - first]! - runningRR[from - first]!;
      this.counts[span]! += to - from;
    }
    while (this.firstOpen < this.order.length && this.ends[this.order[this.firstOpen]!]! <= end)
      this.firstOpen++;
    this.frames = end;
  }

  /** The levels of everything added so far. */
  result(): StereoLevels {
    const spans = Array.from(this.counts, (frames, i) => ({
      left: frames > 0 ? Math.sqrt(this.sumLL[i]! / frames) : 0,
      right: frames > 0 ? Math.sqrt(this.sumRR[i]! / frames) : 0,
      frames,
    }));
    const n = this.frames;
    if (n === 0)
      return { spans, stats: { frames: 0, rmsLeft: 0, rmsRight: 0, correlation: 0, differenceRatio: 0 } };
    const varL = this.totalLL / n - (this.sumL / n) ** 2;
    const varR = this.totalRR / n - (this.sumR / n) ** 2;
    const cov = this.totalLR / n - (this.sumL / n) * (this.sumR / n);
    const energy = this.totalLL + this.totalRR;
    return {
      spans,
      stats: {
        frames: n,
        rmsLeft: Math.sqrt(this.totalLL / n),
        rmsRight: Math.sqrt(this.totalRR / n),
        correlation: varL > 0 && varR > 0 ? Math.max(-1, Math.min(1, cov / Math.sqrt(varL * varR))) : 0,
        differenceRatio: energy > 0 ? Math.max(0, energy - 2 * this.totalLR) / energy : 0,
      },
    };
  }
}

/** The error for PCM whose size is not a whole number of stereo frames. */
function notWholeFrames(what: string, bytes: number): FunscribeError {
  return new FunscribeError(
    'DECODE_FAILED',
    `The decoded stereo audio ${what} is damaged: ${bytes} bytes is not a whole number of 16-bit stereo frames. ` +
      'Decode the recording again.',
  );
}

/** Levels of in-memory interleaved stereo s16le bytes (the layout of the decoder's stereo file), e.g. for tests. */
export function stereoLevelsOf(pcm: Uint8Array, spans: readonly Span[]): StereoLevels {
  if (pcm.byteLength % FRAME_BYTES !== 0) throw notWholeFrames('data', pcm.byteLength);
  // Aligned copy when needed; s16le read as host-order Int16Array (every platform Node and Electron ship on is little-endian).
  const accumulator = new LevelAccumulator(spans);
  const samples = pcmSamples(pcm);
  const chunk = CHUNK_FRAMES * 2;
  for (let at = 0; at < samples.length; at += chunk) accumulator.add(samples.subarray(at, at + chunk));
  return accumulator.result();
}

/** Levels of the decoder's 16 kHz interleaved stereo s16le file per span, read in 256 kB chunks (bounded memory). */
export async function readStereoLevels(
  path: string,
  spans: readonly Span[],
  signal?: AbortSignal,
): Promise<StereoLevels> {
  const info = await stat(path).catch((error: unknown) => {
    throw new FunscribeError('FILE_NOT_FOUND', `The decoded stereo audio file ${path} does not exist.`, {
      cause: error,
    });
  });
  if (!info.isFile()) throw new FunscribeError('NOT_A_FILE', `${path} is not a file.`);
  if (info.size % FRAME_BYTES !== 0) throw notWholeFrames(`"${basename(path)}"`, info.size);
  const accumulator = new LevelAccumulator(spans);
  // Chunks of whole frames: the file is a whole number of frames, and every chunk but the last is full.
  for await (const chunk of readPcmFrames(path, CHUNK_FRAMES * FRAME_BYTES, signal)) {
    accumulator.add(pcmSamples(chunk));
  }
  return accumulator.result();
}
