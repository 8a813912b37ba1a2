// Greedy chunking of text units into subtitle lines, preferring breaks after punctuation.
import { displayWidth, hasWideChar } from './text.js';
import { joinUnits, measureUnits, type Extent, type TextUnit } from './units.js';

/** Most columns on a subtitle line without CJK characters. */
export const MAX_LINE_COLUMNS = 42;
/** Most columns on a subtitle line holding CJK characters: 16 full-width characters. */
export const MAX_WIDE_LINE_COLUMNS = 32;

/** A half-open range [from, to) of unit indices. */
export type UnitRange = readonly [from: number, to: number];

/** Whether a line of this extent is narrow enough for a subtitle. */
function extentFits({ width, wide }: Extent): boolean {
  return width <= (wide ? MAX_WIDE_LINE_COLUMNS : MAX_LINE_COLUMNS);
}

/** Whether one line of text is narrow enough for a subtitle. */
export function lineFits(line: string): boolean {
  return extentFits({ width: displayWidth(line), wide: hasWideChar(line) });
}

/**
 * Cuts units[from, to) into consecutive ranges, each the longest that `fits` accepts (at least one unit, so a single
 * over-long word stays whole). When a range must end before `to`, it ends instead after the last punctuated unit in its
 * last two thirds, so lines and cues tend to end at a comma or full stop rather than mid-phrase.
 */
export function chunkUnits(
  units: readonly TextUnit[],
  from: number,
  to: number,
  fits: (from: number, to: number) => boolean,
): UnitRange[] {
  const ranges: UnitRange[] = [];
  let start = from;
  while (start < to) {
    let end = start + 1;
    while (end < to && fits(start, end + 1)) end++;
    if (end < to) end = punctuationBreak(units, start, end);
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/** The end of the last punctuated unit in the last two thirds of units[start, end), or `end` when there is none. */
function punctuationBreak(units: readonly TextUnit[], start: number, end: number): number {
  const minWidth = measureUnits(units, start, end).width / 3;
  for (let k = end; k > start + 1; k--) {
    if (measureUnits(units, start, k).width < minWidth) break;
    if (units[k - 1]?.punctuated) return k;
  }
  return end;
}

/**
 * Wraps units[from, to) into subtitle lines; `prefix` (such as `Alice: `) starts the first line and counts towards it.
 * Text that fits one line stays on one; text that fits two is split where the lines are most even, a break after
 * punctuation counting as a third of the width more even; longer text is filled greedily.
 */
export function wrapLines(units: readonly TextUnit[], from: number, to: number, prefix = ''): string[] {
  const prefixWidth = displayWidth(prefix);
  const prefixWide = hasWideChar(prefix);
  const extent = (a: number, b: number): Extent => {
    const { width, wide } = measureUnits(units, a, b);
    return a === from ? { width: width + prefixWidth, wide: wide || prefixWide } : { width, wide };
  };
  const lineText = (a: number, b: number): string => (a === from ? prefix : '') + joinUnits(units, a, b);
  const whole = extent(from, to);
  if (extentFits(whole)) return [lineText(from, to)];
  const bonus = whole.width / 3;
  let best: { score: number; split: number } | undefined;
  for (let k = from + 1; k < to; k++) {
    const first = extent(from, k);
    const second = extent(k, to);
    if (!extentFits(first) || !extentFits(second)) continue;
    const score = Math.abs(first.width - second.width) - (units[k - 1]?.punctuated ? bonus : 0);
    if (!best || score < best.score) best = { score, split: k };
  }
  if (best) return [lineText(from, best.split), lineText(best.split, to)];
  return chunkUnits(units, from, to, (a, b) => extentFits(extent(a, b))).map(([a, b]) => lineText(a, b));
}
