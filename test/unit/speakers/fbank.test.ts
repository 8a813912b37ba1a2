import { describe, expect, it } from 'vitest';
import { PowerSpectrum } from '../../../src-main/speakers/dsp/fft.js';
import {
  computeFbank,
  frameCount,
  hzToMel,
  LOG_FLOOR,
  MEL_BINS,
  subtractFrameMean,
} from '../../../src-main/speakers/dsp/fbank.js';
import { seededRandom } from '../../../src-main/util/seeded-random.js';

const RATE = 16_000;

function tone(hz: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from(
    { length: seconds * RATE },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / RATE),
  );
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

describe('PowerSpectrum', () => {
  it('matches a direct DFT of a random frame', () => {
    const random = seededRandom(7);
    const frame = Float64Array.from({ length: 400 }, () => random() - 0.5);
    const out = new Float64Array(257);
    new PowerSpectrum(512).compute(frame, out);
    for (const k of [0, 1, 17, 128, 255, 256]) {
      let re = 0;
      let im = 0;
      frame.forEach((x, n) => {
        re += x * Math.cos((2 * Math.PI * k * n) / 512);
        im -= x * Math.sin((2 * Math.PI * k * n) / 512);
      });
      expect(out[k]).toBeCloseTo(re * re + im * im, 9);
    }
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => new PowerSpectrum(400)).toThrow(RangeError);
  });
});

describe('computeFbank', () => {
  it('gives 1 + ⌊(N − 400) / 160⌋ frames of 80 bins (snip_edges)', () => {
    for (const n of [0, 399, 400, 559, 560, 16_000, 16_123]) {
      const expected = n < 400 ? 0 : 1 + Math.floor((n - 400) / 160);
      expect(frameCount(n)).toBe(expected);
      const frames = computeFbank(new Float32Array(n));
      expect(frames).toHaveLength(expected);
      for (const row of frames) expect(row).toHaveLength(MEL_BINS);
    }
    expect(frameCount(16_000)).toBe(98);
  });

  it('puts a pure tone into one of the two mel filters whose triangles contain its frequency', () => {
    const delta = (hzToMel(8000) - hzToMel(20)) / (MEL_BINS + 1);
    for (const hz of [150, 440, 1000, 3000, 7000]) {
      const position = (hzToMel(hz) - hzToMel(20)) / delta - 1;
      const frames = computeFbank(tone(hz, 0.5));
      for (const row of [frames[0]!, frames[20]!, frames.at(-1)!]) {
        expect([Math.floor(position), Math.ceil(position)]).toContain(argmax(row));
      }
    }
  });

  it('gives the log floor for silence and for a constant (DC) signal', () => {
    for (const signal of [new Float32Array(4000), new Float32Array(4000).fill(0.3)]) {
      for (const row of computeFbank(signal))
        for (const value of row) expect(value).toBeCloseTo(LOG_FLOOR, 5);
    }
  });

  it('adds ln(g²) to every bin when the signal is scaled by g', () => {
    const random = seededRandom(11);
    const noise = Float32Array.from({ length: 8000 }, () => 0.2 * (random() - 0.5));
    const quiet = computeFbank(noise);
    const loud = computeFbank(noise.map((x) => 4 * x));
    quiet.forEach((row, t) =>
      row.forEach((value, b) => expect(loud[t]![b]! - value).toBeCloseTo(Math.log(16), 3)),
    );
  });

  it('subtractFrameMean leaves every bin with zero mean over frames', () => {
    const normalised = subtractFrameMean(computeFbank(tone(523, 0.3)));
    for (let b = 0; b < MEL_BINS; b++) {
      const mean = normalised.reduce((sum, row) => sum + row[b]!, 0) / normalised.length;
      expect(Math.abs(mean)).toBeLessThan(1e-4);
    }
    expect(subtractFrameMean([])).toEqual([]);
  });
});
