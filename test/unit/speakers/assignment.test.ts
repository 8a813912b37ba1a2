import { describe, expect, it } from 'vitest';
import {
  assignSpeakers,
  slidingWindows,
  windowsToTurns,
} from '../../../src-main/speakers/labelling/assignment.js';

describe('slidingWindows', () => {
  it('steps 1.5 s windows by 0.75 s and right-aligns the last one', () => {
    const windows = slidingWindows([{ startMs: 10_000, endMs: 14_000 }]);
    expect(windows.map((w) => [w.startMs - 10_000, w.endMs - 10_000])).toEqual([
      [0, 1500],
      [750, 2250],
      [1500, 3000],
      [2250, 3750],
      [2500, 4000],
    ]);
    expect(windows.every((w) => w.spanIndex === 0 && w.endMs - w.startMs === 1500)).toBe(true);
  });

  it('gives one window for a span of at most 1.5 s, and none for an empty span', () => {
    const windows = slidingWindows([
      { startMs: 0, endMs: 900 },
      { startMs: 1000, endMs: 2500 },
      { startMs: 3000, endMs: 3000 },
      { startMs: 4000, endMs: 6250 },
    ]);
    expect(windows).toEqual([
      { startMs: 0, endMs: 900, spanIndex: 0 },
      { startMs: 1000, endMs: 2500, spanIndex: 1 },
      { startMs: 4000, endMs: 5500, spanIndex: 3 },
      { startMs: 4750, endMs: 6250, spanIndex: 3 },
    ]);
  });

  it('makes ⌈(L − 1.5 s) / 0.75 s⌉ + 1 windows for a span of length L > 1.5 s', () => {
    for (const length of [1501, 2250, 2251, 3000, 60_000, 61_234]) {
      const expected = Math.ceil((length - 1500) / 750) + 1;
      const windows = slidingWindows([{ startMs: 0, endMs: length }]);
      expect(windows).toHaveLength(expected);
      expect(windows.at(-1)).toEqual({ startMs: length - 1500, endMs: length, spanIndex: 0 });
    }
  });
});

describe('windowsToTurns', () => {
  it('absorbs a 0.3 s blip into the surrounding speaker', () => {
    const turns = windowsToTurns(
      [
        { startMs: 0, endMs: 2000 },
        { startMs: 2000, endMs: 2300 },
        { startMs: 2300, endMs: 4000 },
      ],
      [0, 1, 0],
    );
    expect(turns).toEqual([{ startMs: 0, endMs: 4000, speaker: 0 }]);
  });

  it('merges overlapping windows, splits different speakers at the midpoint and gives a short edge turn its neighbour', () => {
    const windows = slidingWindows([{ startMs: 0, endMs: 6000 }]);
    expect(windows).toHaveLength(7);
    const turns = windowsToTurns(windows, [0, 0, 0, 1, 1, 1, 1]);
    expect(turns).toEqual([
      { startMs: 0, endMs: 2630, speaker: 0 },
      { startMs: 2630, endMs: 6000, speaker: 1 },
    ]);
    const tail = windowsToTurns(
      [
        { startMs: 0, endMs: 3000 },
        { startMs: 3000, endMs: 3400 },
      ],
      [2, 5],
    );
    expect(tail).toEqual([{ startMs: 0, endMs: 3400, speaker: 2 }]);
  });

  it('gives a blip between two speakers the label of the nearer one', () => {
    const turns = windowsToTurns(
      [
        { startMs: 0, endMs: 2000 },
        { startMs: 2500, endMs: 2800 },
        { startMs: 2900, endMs: 5000 },
      ],
      [0, 2, 1],
    );
    expect(turns).toEqual([
      { startMs: 0, endMs: 2000, speaker: 0 },
      { startMs: 2500, endMs: 2800, speaker: 1 },
      { startMs: 2900, endMs: 5000, speaker: 1 },
    ]);
  });
});

describe('assignSpeakers', () => {
  const turns = [
    { startMs: 0, endMs: 1000, speaker: 0 },
    { startMs: 1000, endMs: 3000, speaker: 1 },
    { startMs: 3000, endMs: 3800, speaker: 0 },
    { startMs: 3800, endMs: 4600, speaker: 2 },
    { startMs: 4600, endMs: 5500, speaker: 0 },
    { startMs: 9000, endMs: 9500, speaker: 2 },
  ];

  it('gives each sentence the speaker with the most overlapping time, summed over turns', () => {
    const sentences = [
      { startMs: 0, endMs: 2500 },
      { startMs: 2900, endMs: 5500 },
      { startMs: 200, endMs: 800 },
    ];
    expect(assignSpeakers(sentences, turns)).toEqual([1, 0, 0]);
  });

  it('falls back to the nearest turn when nothing overlaps, and to speaker 0 without turns', () => {
    expect(assignSpeakers([{ startMs: 8000, endMs: 8800 }], turns)).toEqual([2]);
    expect(assignSpeakers([{ startMs: 6000, endMs: 6500 }], turns)).toEqual([0]);
    expect(assignSpeakers([{ startMs: 0, endMs: 100 }], [])).toEqual([0]);
  });
});
