// The pure parts of capture: the resampler keeps what is below 7 kHz and removes what would fold back past 8 kHz,
// float samples become s16 clipped at full scale, and the chunker numbers nothing itself but cuts exact chunks.
import { describe, expect, it } from 'vitest';
import { CHUNK_FRAMES, PcmChunker, toS16 } from '../../../src-renderer/lib/recording/pcm-chunks.js';
import { Resampler } from '../../../src-renderer/lib/recording/resampler.js';

/** A sine of `hz` at `rate` with amplitude `amplitude`, `seconds` long. */
function sine(hz: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate),
  );
}

/** Resamples in render-quantum blocks of 128, as the worklet does, then flushes. */
function resampleInBlocks(input: Float32Array, from: number, to: number): Float32Array {
  const resampler = new Resampler(from, to);
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += 128) parts.push(resampler.push(input.subarray(i, i + 128)));
  parts.push(resampler.flush());
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Amplitude and phase of `hz` in `x` (sampled at `rate`), by correlation with a sine and a cosine. */
function tone(x: Float32Array, hz: number, rate: number): { amplitude: number } {
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i]! * Math.sin((2 * Math.PI * hz * i) / rate);
    c += x[i]! * Math.cos((2 * Math.PI * hz * i) / rate);
  }
  return { amplitude: (2 * Math.hypot(s, c)) / x.length };
}

/** RMS of the middle of a signal (away from the start and end transients). */
function middleRms(x: Float32Array): number {
  const part = x.subarray(Math.floor(x.length / 4), Math.floor((3 * x.length) / 4));
  return Math.sqrt(part.reduce((sum, v) => sum + v * v, 0) / part.length);
}

describe('the capture resampler', () => {
  it.each([48_000, 44_100])(
    'keeps a 1 kHz sine at %i Hz as a 1 kHz sine of the same amplitude at 16 kHz',
    (rate) => {
      const out = resampleInBlocks(sine(1000, rate, 1), rate, 16_000);
      expect(out.length).toBe(16_000);
      const middle = out.subarray(4000, 12_000);
      expect(tone(middle, 1000, 16_000).amplitude).toBeCloseTo(0.5, 3);
      // Nothing else: the residue after removing the 1 kHz tone is tiny.
      expect(tone(middle, 1000, 16_000).amplitude / middleRms(middle)).toBeCloseTo(Math.SQRT2, 2);
      // The same timeline: the output's sample n is the input's time n / 16000 (no delay added).
      for (const n of [4000, 4001, 8123])
        expect(out[n]!).toBeCloseTo(0.5 * Math.sin((2 * Math.PI * 1000 * n) / 16_000), 3);
    },
  );

  it('attenuates a 7.9 kHz tone and removes a 12 kHz tone that would fold back to 4 kHz', () => {
    const near = resampleInBlocks(sine(7900, 48_000, 1), 48_000, 16_000);
    expect(middleRms(near) / (0.5 / Math.SQRT2)).toBeLessThan(0.1); // over 20 dB down
    const above = resampleInBlocks(sine(12_000, 48_000, 1), 48_000, 16_000);
    expect(middleRms(above) / (0.5 / Math.SQRT2)).toBeLessThan(1e-3); // over 60 dB down
    const passband = resampleInBlocks(sine(6000, 44_100, 1), 44_100, 16_000);
    expect(middleRms(passband) / (0.5 / Math.SQRT2)).toBeGreaterThan(0.99);
  });

  it('gives the same samples whatever the block sizes, and refuses a rate that is not a positive integer', () => {
    const input = sine(440, 44_100, 0.3);
    const whole = new Resampler(44_100, 16_000);
    const once = Float32Array.from([...whole.push(input), ...whole.flush()]);
    expect([...resampleInBlocks(input, 44_100, 16_000)]).toEqual([...once]);
    expect(once.length).toBe(Math.floor((input.length * 16_000) / 44_100));
    expect(() => new Resampler(44_100.5, 16_000)).toThrow(RangeError);
  });
});

describe('s16 conversion and the chunker', () => {
  it('clips beyond full scale instead of wrapping, and rounds', () => {
    expect([1.5, 1, 0.5, 0, -0.5, -1, -7, Number.NaN].map(toS16)).toEqual([
      32767, 32767, 16384, 0, -16383, -32767, -32767, 0,
    ]);
  });

  it('interleaves two channels into chunks of exactly 100 ms with each channel peak, and flushes the rest', () => {
    const chunker = new PcmChunker(2);
    const left = Float32Array.from({ length: 2500 }, (_, i) => (i === 100 ? 0.75 : 0.25));
    const right = Float32Array.from({ length: 2500 }, () => -0.5);
    const chunks = chunker.push([left, right]);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.pcm.byteLength).toBe(CHUNK_FRAMES * 2 * 2);
    expect(chunks[0]!.peaks[0]).toBeCloseTo(0.75, 4);
    expect(chunks[0]!.peaks[1]).toBeCloseTo(0.5, 4);
    const samples = new Int16Array(chunks[0]!.pcm.buffer);
    expect([...samples.subarray(0, 4)]).toEqual([8192, -16383, 8192, -16383]);
    const rest = chunker.flush();
    expect(rest!.pcm.byteLength).toBe(900 * 4);
    expect(rest!.peaks[0]).toBeCloseTo(0.25, 4);
    expect(chunker.flush()).toBeNull();
    expect(() => chunker.push([left])).toThrow(RangeError);
  });
});
