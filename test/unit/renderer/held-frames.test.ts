// How much audio a starved capture still holds at its finish: what the context's clock fell behind the page's since
// the start, beyond one block of jitter, and never more than MAX_HELD_SECONDS.
import { describe, expect, it } from 'vitest';
import { heldFrames, MAX_HELD_SECONDS } from '../../../src-renderer/lib/recording/held-frames.js';

describe('heldFrames', () => {
  it('counts the time the context clock skipped since the start, less one block of jitter', () => {
    expect(heldFrames(12.5, 13.1, 0.032, 16_000)).toBe(Math.round((0.6 - 0.032) * 16_000));
  });

  it('holds nothing for a clock that kept time, jittered within a block, or ran ahead', () => {
    expect(heldFrames(12.5, 12.5, 0.032, 16_000)).toBe(0);
    expect(heldFrames(12.5, 12.53, 0.032, 16_000)).toBe(0);
    expect(heldFrames(12.5, 12.4, 0.032, 16_000)).toBe(0);
  });

  it(`waits for at most ${MAX_HELD_SECONDS} s of audio`, () => {
    expect(heldFrames(0, 60, 0.032, 16_000)).toBe(MAX_HELD_SECONDS * 16_000);
  });
});
