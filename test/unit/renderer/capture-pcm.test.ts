// The pure parts of capture: float samples become s16 clipped at full scale, and the chunker numbers nothing itself
// but cuts exact chunks. (Resampling is Chromium's, checked end to end in test/e2e/recording-resampling.test.ts.)
import { describe, expect, it } from 'vitest';
import { CHUNK_FRAMES, PcmChunker, toS16 } from '../../../src-renderer/lib/recording/pcm-chunks.js';

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
