import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src-main/util/seeded-random.js';
import { computeFbank, FRAME_LENGTH } from '../../../src-main/speakers/dsp/fbank.js';
import {
  CEPSTRA,
  cepstraFromFbank,
  MFCC_STATS_DIM,
  mfccStatsOfFrames,
  zScoreAcross,
} from '../../../src-main/speakers/dsp/mfcc-stats.js';

const RATE = 16_000;

/** The MFCC-statistics embedding of a whole signal (zero-padded to one frame), as the windows of a recording get. */
function mfccStatsEmbedding(samples: Float32Array): Float64Array {
  const padded = Float32Array.from(
    { length: Math.max(samples.length, FRAME_LENGTH) },
    (_, i) => samples[i] ?? 0,
  );
  const ceps = cepstraFromFbank(computeFbank(padded));
  return mfccStatsOfFrames(ceps, 0, ceps.length / CEPSTRA);
}

/** A buzzy harmonic "voice" with a given pitch, plus a little seeded noise. */
function voice(pitch: number, seconds: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: seconds * RATE }, (_, i) => {
    let x = 0;
    for (let h = 1; h <= 8; h++) x += Math.sin((2 * Math.PI * pitch * h * i) / RATE) / h;
    return 0.1 * x + 0.01 * (random() - 0.5);
  });
}

function distance(a: Float64Array, b: Float64Array): number {
  return Math.sqrt(a.reduce((sum, x, i) => sum + (x - b[i]!) ** 2, 0));
}

describe('mfccStatsEmbedding', () => {
  it('is a 29-d vector that does not depend on loudness', () => {
    const signal = voice(120, 1, 1);
    const embedding = mfccStatsEmbedding(signal);
    expect(embedding).toHaveLength(MFCC_STATS_DIM);
    expect(MFCC_STATS_DIM).toBe(29);
    const quieter = mfccStatsEmbedding(signal.map((x) => x * 0.25));
    quieter.forEach((value, d) => expect(value).toBeCloseTo(embedding[d]!, 2));
  });

  it('tells two voices apart more than two takes of the same voice', () => {
    const a1 = mfccStatsEmbedding(voice(110, 1, 1));
    const a2 = mfccStatsEmbedding(voice(110, 1, 2));
    const b = mfccStatsEmbedding(voice(240, 1, 3));
    expect(distance(a1, b)).toBeGreaterThan(5 * distance(a1, a2));
  });

  it('pads audio shorter than one frame instead of failing', () => {
    expect(mfccStatsEmbedding(new Float32Array(100).fill(0.1))).toHaveLength(29);
    expect(() => mfccStatsOfFrames(new Float32Array(0), 0, 0)).toThrow(RangeError);
    expect(() => mfccStatsOfFrames(new Float32Array(30), 0, 2)).toThrow(RangeError);
  });
});

describe('zScoreAcross', () => {
  it('gives every dimension zero mean and unit deviation, and zeros for a constant one', () => {
    const rows = [Float64Array.of(1, 5, 7), Float64Array.of(3, 5, 8), Float64Array.of(5, 5, 12)];
    const z = zScoreAcross(rows);
    for (const d of [0, 2]) {
      const values = z.map((row) => row[d]!);
      const mean = values.reduce((s, x) => s + x, 0) / values.length;
      const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length;
      expect(mean).toBeCloseTo(0, 12);
      expect(variance).toBeCloseTo(1, 12);
    }
    expect(z.map((row) => row[1])).toEqual([0, 0, 0]);
    expect(z[0]![0]).toBeCloseTo(-Math.sqrt(1.5), 12);
    expect(zScoreAcross([])).toEqual([]);
  });
});
