// The player's speaker strip: columns owned by whoever talks most in them, runs of one speaker merged into one bar;
// and each speaker's share of the talk, for the strip's description.
import { describe, expect, it } from 'vitest';
import { talkShares, timelineBars } from '../../../src-renderer/features/player/speaker-timeline.js';

const turn = (speakerId: number | null, startMs: number, endMs: number) => ({ speakerId, startMs, endMs });

describe('timelineBars', () => {
  it('merges sentences of one speaker into one bar and leaves silence empty', () => {
    const bars = timelineBars(
      [turn(1, 0, 2_000), turn(1, 2_000, 4_000), turn(2, 6_000, 8_000), turn(1, 8_000, 10_000)],
      10_000,
      10,
    );
    expect(bars).toEqual([
      { speakerId: 1, startMs: 0, endMs: 4_000 },
      { speakerId: 2, startMs: 6_000, endMs: 8_000 },
      { speakerId: 1, startMs: 8_000, endMs: 10_000 },
    ]);
  });

  it('gives a shared column to the speaker who talks most in it, and skips unknown speakers', () => {
    const bars = timelineBars([turn(1, 0, 1_300), turn(2, 1_300, 2_000), turn(null, 2_000, 3_000)], 3_000, 3);
    expect(bars).toEqual([
      { speakerId: 1, startMs: 0, endMs: 1_000 },
      { speakerId: 2, startMs: 1_000, endMs: 2_000 },
    ]);
  });

  it('draws at most one bar per column however many sentences there are', () => {
    const sentences = Array.from({ length: 5_000 }, (_, index) =>
      turn(index % 3, index * 2_000, index * 2_000 + 1_900),
    );
    const bars = timelineBars(sentences, 10_000_000, 400);
    expect(bars.length).toBeLessThanOrEqual(400);
    expect(bars.length).toBeGreaterThan(1);
    expect(bars.at(-1)!.endMs).toBeLessThanOrEqual(10_000_000);
    expect(timelineBars(sentences, 0)).toEqual([]);
  });
});

describe('talkShares', () => {
  it('gives each known speaker their part of the time spoken, largest first', () => {
    expect(talkShares([turn(1, 0, 1_000), turn(2, 1_000, 4_000), turn(null, 4_000, 9_000)])).toEqual([
      { speakerId: 2, share: 0.75 },
      { speakerId: 1, share: 0.25 },
    ]);
    expect(talkShares([turn(null, 0, 1_000)])).toEqual([]);
  });
});
