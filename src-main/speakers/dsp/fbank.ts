// Kaldi-compatible log-mel filterbank (torchaudio kaldi.fbank defaults with 80 bins, snip_edges, no dither).
import { PowerSpectrum } from './fft.js';

/** Sample rate the filterbank expects. */
export const FBANK_SAMPLE_RATE = 16_000;
/** Samples per analysis frame (25 ms). */
export const FRAME_LENGTH = 400;
/** Samples between frame starts (10 ms). */
export const FRAME_SHIFT = 160;
/** Number of mel bins per frame. */
export const MEL_BINS = 80;
/** Log floor: ln(FLT_EPSILON), what a silent bin gives. */
export const LOG_FLOOR = Math.log(1.1920928955078125e-7);

const FFT_SIZE = 512;
const PREEMPHASIS = 0.97;
const LOW_HZ = 20;
const HIGH_HZ = FBANK_SAMPLE_RATE / 2;
const FLT_EPSILON = 1.1920928955078125e-7;

/** Frames of a signal of `sampleCount` samples with snip_edges: 1 + ⌊(N − 400) / 160⌋, or 0 when shorter than a frame. */
export function frameCount(sampleCount: number): number {
  return sampleCount < FRAME_LENGTH ? 0 : 1 + Math.floor((sampleCount - FRAME_LENGTH) / FRAME_SHIFT);
}

/** Mel scale as Kaldi defines it. */
export function hzToMel(hz: number): number {
  return 1127 * Math.log(1 + hz / 700);
}

/** One triangular mel filter: the first FFT bin it touches and its weights from there. */
interface MelFilter {
  first: number;
  weights: Float64Array;
}

function buildMelFilters(): MelFilter[] {
  const melLow = hzToMel(LOW_HZ);
  const delta = (hzToMel(HIGH_HZ) - melLow) / (MEL_BINS + 1);
  const filters: MelFilter[] = [];
  for (let b = 0; b < MEL_BINS; b++) {
    const left = melLow + b * delta;
    const centre = left + delta;
    const right = centre + delta;
    const weights: number[] = [];
    let first = -1;
    for (let k = 0; k < FFT_SIZE / 2; k++) {
      const mel = hzToMel((k * FBANK_SAMPLE_RATE) / FFT_SIZE);
      if (mel <= left || mel >= right) {
        if (first >= 0) break;
        continue;
      }
      if (first < 0) first = k;
      weights.push(mel <= centre ? (mel - left) / (centre - left) : (right - mel) / (right - centre));
    }
    filters.push({ first: Math.max(first, 0), weights: Float64Array.from(weights) });
  }
  return filters;
}

function poveyWindow(): Float64Array {
  const window = new Float64Array(FRAME_LENGTH);
  for (let i = 0; i < FRAME_LENGTH; i++) {
    window[i] = Math.pow(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (FRAME_LENGTH - 1)), 0.85);
  }
  return window;
}

let tables: { filters: MelFilter[]; window: Float64Array; fft: PowerSpectrum } | undefined;

/** Log-mel filterbank of 16 kHz samples in [-1, 1]: one Float32Array of 80 values per 10 ms frame. */
export function computeFbank(samples: Float32Array): Float32Array[] {
  tables ??= { filters: buildMelFilters(), window: poveyWindow(), fft: new PowerSpectrum(FFT_SIZE) };
  const { filters, window, fft } = tables;
  const frame = new Float64Array(FRAME_LENGTH);
  const power = new Float64Array(FFT_SIZE / 2 + 1);
  const frames: Float32Array[] = [];
  const count = frameCount(samples.length);
  for (let t = 0; t < count; t++) {
    const offset = t * FRAME_SHIFT;
    let mean = 0;
    for (let i = 0; i < FRAME_LENGTH; i++) mean += samples[offset + i]!;
    mean /= FRAME_LENGTH;
    for (let i = 0; i < FRAME_LENGTH; i++) frame[i] = samples[offset + i]! - mean;
    for (let i = FRAME_LENGTH - 1; i > 0; i--) frame[i] = frame[i]! - PREEMPHASIS * frame[i - 1]!;
    frame[0] = frame[0]! * (1 - PREEMPHASIS);
    for (let i = 0; i < FRAME_LENGTH; i++) frame[i] = frame[i]! * window[i]!;
    fft.compute(frame, power);
    const row = new Float32Array(MEL_BINS);
    for (let b = 0; b < MEL_BINS; b++) {
      const { first, weights } = filters[b]!;
      let energy = 0;
      for (let j = 0; j < weights.length; j++) energy += weights[j]! * power[first + j]!;
      row[b] = Math.log(Math.max(energy, FLT_EPSILON));
    }
    frames.push(row);
  }
  return frames;
}

/** Subtracts the per-bin mean over frames (cepstral mean normalisation), as CAM++ expects per chunk. */
export function subtractFrameMean(frames: Float32Array[]): Float32Array[] {
  if (frames.length === 0) return [];
  const mean = new Float64Array(frames[0]!.length);
  for (const row of frames) for (let b = 0; b < row.length; b++) mean[b] = mean[b]! + row[b]!;
  return frames.map((row) => row.map((value, b) => value - mean[b]! / frames.length));
}
