// Times inside one segment: where in the text the speaker was at which millisecond.
import type { Segment } from '../../src-shared/types.js';
import { clampMs } from '../../src-shared/time.js';

/** Maps a UTF-16 offset into a segment's folded text to a time in ms within the segment. */
export type Timeline = (offset: number) => number;

/** How far (in UTF-16 units) past the previous match a token may be found; farther means ITN rewrote it. */
const MAX_TOKEN_SKIP = 12;

interface Anchor {
  offset: number;
  ms: number;
}

/** FunASR marks English sub-word pieces with `@@`; the rest of a token is its text. */
function tokenText(text: string): string {
  return text.replace(/@@/gu, '').trim();
}

/**
 * Builds the timeline of a segment from its token timestamps: each token found in the text (in order,
 * case-insensitively) pins its start and end offsets to its times; offsets between pins are interpolated linearly.
 * Without usable tokens time runs proportionally to the character offset across the segment.
 */
export function segmentTimeline(
  text: string,
  segment: Pick<Segment, 'startMs' | 'endMs' | 'tokens'>,
): Timeline {
  const startMs = clampMs(segment.startMs);
  const endMs = Math.max(startMs, clampMs(segment.endMs));
  const lower = text.toLowerCase();
  const haystack = lower.length === text.length ? lower : text;
  const anchors: Anchor[] = [{ offset: 0, ms: startMs }];
  const pin = (offset: number, ms: number): void => {
    const previous = anchors[anchors.length - 1]?.ms ?? startMs;
    anchors.push({ offset, ms: Math.min(endMs, Math.max(previous, clampMs(ms))) });
  };
  let cursor = 0;
  for (const token of segment.tokens) {
    const needle = haystack === lower ? tokenText(token.text).toLowerCase() : tokenText(token.text);
    if (!needle) continue;
    const found = haystack.indexOf(needle, cursor);
    if (found < 0 || found - cursor > MAX_TOKEN_SKIP) continue;
    pin(found, token.startMs);
    pin(found + needle.length, token.endMs);
    cursor = found + needle.length;
  }
  pin(text.length, endMs);
  return (offset) => timeAt(anchors, offset);
}

/** The time at an offset: the latest anchor at or before it, interpolated towards the first anchor after it. */
function timeAt(anchors: readonly Anchor[], offset: number): number {
  let before: Anchor | undefined;
  let after: Anchor | undefined;
  for (const anchor of anchors) {
    if (anchor.offset <= offset) before = anchor;
    else {
      after = anchor;
      break;
    }
  }
  if (!before) return anchors[0]?.ms ?? 0;
  if (!after) return before.ms;
  const fraction = (offset - before.offset) / (after.offset - before.offset);
  return Math.round(before.ms + fraction * (after.ms - before.ms));
}
