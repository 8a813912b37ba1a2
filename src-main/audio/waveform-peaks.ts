// The waveform a player draws: the lowest and highest sample of each 20 ms of a meeting's audio, computed once by
// decoding the file with ffmpeg to a low-rate mono stream (the page never decodes audio itself).
import type { Readable } from 'node:stream';
import { basename } from 'node:path';
import { FunscribeError } from '../util/errors.js';
import { streamDecodedPcm } from './decode.js';
import type { FfmpegTools } from './ffmpeg-locate.js';

/** Buckets per second of audio: one (min, max) pair each 20 ms. */
export const PEAK_BUCKETS_PER_SECOND = 50;

/** The rate the audio is decoded at for peaks: enough for the shape of speech, cheap to read. */
const PEAK_DECODE_RATE = 8000;

/** Samples that make one bucket. */
const SAMPLES_PER_BUCKET = PEAK_DECODE_RATE / PEAK_BUCKETS_PER_SECOND;

/** A file that takes longer than this to read is given up on (a three-hour Opus copy takes about 15 s). */
const PEAKS_DEADLINE_MS = 10 * 60_000;

/** The peaks of one audio file: per bucket its lowest then its highest sample, scaled to -127..127. */
export interface ComputedPeaks {
  bucketsPerSecond: number;
  durationMs: number;
  /** Interleaved (min, max) pairs, one per bucket. */
  minMax: Int8Array;
}

/** A 16-bit sample scaled to -127..127. */
function toInt8(sample: number): number {
  return Math.round((sample / 32768) * 127);
}

/** Reads s16le mono from `stdout` and keeps the min and max of every SAMPLES_PER_BUCKET samples. */
async function collectPeaks(stdout: Readable): Promise<{ pairs: number[]; samples: number }> {
  const pairs: number[] = [];
  let samples = 0;
  let min = 0;
  let max = 0;
  let inBucket = 0;
  let carry: Buffer | null = null;
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    const data: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const whole = data.length - (data.length % 2);
    for (let offset = 0; offset < whole; offset += 2) {
      const sample = data.readInt16LE(offset);
      if (inBucket === 0) min = max = sample;
      else if (sample < min) min = sample;
      else if (sample > max) max = sample;
      if (++inBucket === SAMPLES_PER_BUCKET) {
        pairs.push(toInt8(min), toInt8(max));
        inBucket = 0;
      }
    }
    samples += whole / 2;
    carry = whole < data.length ? data.subarray(whole) : null;
  }
  if (inBucket > 0) pairs.push(toInt8(min), toInt8(max));
  return { pairs, samples };
}

/**
 * Decodes the audio file at `path` and returns its peaks. Throws DECODE_FAILED when ffmpeg cannot read it or takes
 * longer than the deadline, CANCELLED when `signal` aborts.
 */
export async function computeWaveformPeaks(
  tools: FfmpegTools,
  path: string,
  signal?: AbortSignal,
): Promise<ComputedPeaks> {
  const deadline = AbortSignal.timeout(PEAKS_DEADLINE_MS);
  const stop = signal ? AbortSignal.any([signal, deadline]) : deadline;
  try {
    const { pairs, samples } = await streamDecodedPcm(
      tools,
      path,
      { channels: 1, rate: PEAK_DECODE_RATE },
      collectPeaks,
      stop,
    );
    return {
      bucketsPerSecond: PEAK_BUCKETS_PER_SECOND,
      durationMs: Math.round((samples * 1000) / PEAK_DECODE_RATE),
      minMax: Int8Array.from(pairs),
    };
  } catch (error) {
    if (!deadline.aborted || signal?.aborted) throw error;
    throw new FunscribeError(
      'DECODE_FAILED',
      `Reading the waveform of "${basename(path)}" took longer than ${PEAKS_DEADLINE_MS / 60_000} minutes.`,
      { params: { reason: 'waveformSlow', file: basename(path), minutes: PEAKS_DEADLINE_MS / 60_000 } },
    );
  }
}
