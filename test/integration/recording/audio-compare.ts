// Comparing recorded audio with its source: the channels of a 16-bit WAV, loudness envelopes, the best-matching
// offset with its correlation, and where the sound begins and ends.
import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Frames of 10 ms at 16 kHz. */
export const ENVELOPE_FRAME = 160;

/** The channels of a 16 kHz s16le WAV with a 44-byte header. */
export async function readWavChannels(path: string, channels: number): Promise<Int16Array[]> {
  const data = (await readFile(path)).subarray(44);
  const frames = Math.floor(data.length / (2 * channels));
  const out = Array.from({ length: channels }, () => new Int16Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) out[c]![i] = data.readInt16LE((i * channels + c) * 2);
  }
  return out;
}

/** Cuts `[fromMs, toMs)` of a file to a 16 kHz mono s16le WAV with ffmpeg. */
export async function cutWav(source: string, fromMs: number, toMs: number, out: string): Promise<void> {
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-i', source],
    ...['-ss', String(fromMs / 1000), '-to', String(toMs / 1000), '-ac', '1', '-ar', '16000'],
    ...['-c:a', 'pcm_s16le', '-map_metadata', '-1', '-fflags', '+bitexact', out],
  ]);
}

/** RMS per 10 ms frame. */
export function envelope(samples: Int16Array): Float64Array {
  const out = new Float64Array(Math.floor(samples.length / ENVELOPE_FRAME));
  for (let f = 0; f < out.length; f++) {
    let sum = 0;
    for (let i = f * ENVELOPE_FRAME; i < (f + 1) * ENVELOPE_FRAME; i++) sum += samples[i]! ** 2;
    out[f] = Math.sqrt(sum / ENVELOPE_FRAME);
  }
  return out;
}

/** Pearson correlation of two equally long series (0 when either is constant). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/** The offset (in envelope frames) where the source's envelope best matches the recording's, and how well. */
export function bestMatch(recording: Float64Array, source: Float64Array): { lag: number; r: number } {
  let best = { lag: -1, r: -1 };
  for (let lag = 0; lag + source.length <= recording.length; lag++) {
    const r = pearson(recording.subarray(lag, lag + source.length), source);
    if (r > best.r) best = { lag, r };
  }
  return best;
}

/** Samples per block of `blockCorrelations`: 0.5 s at 16 kHz. */
export const CORRELATION_BLOCK = 8000;

/** The root mean square of samples. */
function rms(samples: Int16Array): number {
  return Math.sqrt(samples.reduce((sum, v) => sum + v * v, 0) / samples.length);
}

/**
 * Each loud half second of a recording aligned on its own with the reference (by loudness envelopes at 10 ms, then to
 * the sample by the best waveform correlation within ±20 ms) and its Pearson r there. Block by block, a gap or a skip
 * in the recording spoils the block it falls in, not the whole comparison. Loud: above a third of the reference's RMS.
 */
export function blockCorrelations(recording: Int16Array, reference: Int16Array): number[] {
  const loud = rms(reference) / 3;
  const rs: number[] = [];
  for (let at = 0; at + CORRELATION_BLOCK <= recording.length; at += CORRELATION_BLOCK) {
    const block = recording.subarray(at, at + CORRELATION_BLOCK);
    if (rms(block) < loud) continue;
    const coarse = bestMatch(envelope(reference), envelope(block)).lag * ENVELOPE_FRAME;
    let best = -1;
    const last = Math.min(coarse + 2 * ENVELOPE_FRAME, reference.length - CORRELATION_BLOCK);
    for (let lag = Math.max(0, coarse - 2 * ENVELOPE_FRAME); lag <= last; lag++) {
      best = Math.max(best, pearson(block, reference.subarray(lag, lag + CORRELATION_BLOCK)));
    }
    rs.push(best);
  }
  return rs;
}

/** The time from the first to the last 10 ms frame louder than a tenth of the loudest, in ms. */
export function soundSpanMs(env: Float64Array): number {
  const peak = Math.max(...env);
  const loud = [...env.keys()].filter((i) => env[i]! > peak / 10);
  return loud.length === 0 ? 0 : (loud[loud.length - 1]! - loud[0]! + 1) * 10;
}
