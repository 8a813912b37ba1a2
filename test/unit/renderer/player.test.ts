// The player's pure helpers: the waveform decoded from the contract's base64, the L-again speeds and the clock.
import { describe, expect, it } from 'vitest';
import { formatClock } from '../../../src-renderer/features/player/clock.js';
import { drawablePeaks } from '../../../src-renderer/features/player/peaks.js';
import { fasterRate } from '../../../src-renderer/features/player/shortcuts.js';

describe('drawablePeaks', () => {
  it('gives the highs on top and the lows below, signed and scaled to -1..1', () => {
    const pairs = Int8Array.from([-127, 127, 0, 0, -64, 32]);
    const minMax = Buffer.from(pairs.buffer).toString('base64');
    const { channels, durationS } = drawablePeaks({ bucketsPerSecond: 50, durationMs: 60, minMax });
    const [highs, lows] = channels;
    expect(durationS).toBe(0.06);
    expect([...highs].map((v) => +v.toFixed(3))).toEqual([1, 0, +(32 / 127).toFixed(3)]);
    expect([...lows].map((v) => +v.toFixed(3))).toEqual([-1, 0, +(-64 / 127).toFixed(3)]);
  });
});

describe('fasterRate', () => {
  it('steps up to 1.5× and 2× and stays at 2×', () => {
    expect(fasterRate(1)).toBe(1.5);
    expect(fasterRate(0.75)).toBe(1);
    expect(fasterRate(1.5)).toBe(2);
    expect(fasterRate(2)).toBe(2);
  });
});

describe('formatClock', () => {
  it('shows minutes unpadded under an hour and hours when there are any, cutting partial seconds', () => {
    expect(formatClock(0, 'en')).toBe('0:00');
    expect(formatClock(42_999, 'en')).toBe('0:42');
    expect(formatClock(725_000, 'zh-CN')).toBe('12:05');
    expect(formatClock(3_723_000, 'en')).toBe('1:02:03');
    expect(formatClock(-5, 'en')).toBe('0:00');
  });
});
