import { describe, expect, it } from 'vitest';
import { splitHighlights } from '../../../src-renderer/lib/highlight.js';

const marked = (parts: ReturnType<typeof splitHighlights>): string[] =>
  parts.filter((p) => p.marked).map((p) => p.text);

describe('splitHighlights', () => {
  it('cuts the text at the ranges and gives it back whole when joined', () => {
    const text = '今天我们讨论了项目预算和时间安排';
    const parts = splitHighlights(text, [{ start: 9, end: 11 }]);
    expect(parts).toEqual([
      { text: '今天我们讨论了项目', marked: false },
      { text: '预算', marked: true },
      { text: '和时间安排', marked: false },
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(text);
  });

  it('sorts and merges overlapping or touching ranges', () => {
    const text = 'budget and budgets';
    expect(
      marked(
        splitHighlights(text, [
          { start: 11, end: 17 },
          { start: 0, end: 3 },
          { start: 2, end: 6 },
        ]),
      ),
    ).toEqual(['budget', 'budget']);
    expect(
      marked(
        splitHighlights('abcdef', [
          { start: 0, end: 2 },
          { start: 2, end: 4 },
        ]),
      ),
    ).toEqual(['abcd']);
  });

  it('ignores empty, reversed and out-of-range parts', () => {
    expect(
      splitHighlights('abc', [
        { start: 2, end: 2 },
        { start: 3, end: 1 },
        { start: 10, end: 20 },
      ]),
    ).toEqual([{ text: 'abc', marked: false }]);
    expect(
      marked(
        splitHighlights('abc', [
          { start: -5, end: 1 },
          { start: 2, end: 99 },
        ]),
      ),
    ).toEqual(['a', 'c']);
    expect(splitHighlights('', [{ start: 0, end: 1 }])).toEqual([]);
  });

  it('keeps markup as plain text (rendering escapes it, nothing is parsed)', () => {
    const text = '<img src=x onerror=alert(1)> budget';
    expect(marked(splitHighlights(text, [{ start: 29, end: 35 }]))).toEqual(['budget']);
    expect(splitHighlights(text, [{ start: 29, end: 35 }])[0]?.text).toBe('<img src=x onerror=alert(1)> ');
  });
});
