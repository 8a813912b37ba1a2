// Where each timed token (a Chinese character or an English word) stands in a sentence's text, so a click on a
// character seeks to its time and the token being played can be marked. Text edited since recognition may no longer
// spell its tokens: tokens that cannot be found are left out, and a click there seeks to the sentence.
import type { Token } from '../../src-shared/types.js';

/** A token's time and its characters [start, end) in the sentence's text. */
export interface TokenPosition {
  start: number;
  end: number;
  startMs: number;
  endMs: number;
}

/** How far ahead of the previous token a token's text is looked for (skips punctuation and spaces, not words). */
const LOOKAHEAD_CHARS = 8;

/** The tokens found in `text`, in order; each is looked for just after the previous one, ignoring case. */
export function tokenPositions(text: string, tokens: readonly Token[]): TokenPosition[] {
  const lower = text.toLowerCase();
  const positions: TokenPosition[] = [];
  let cursor = 0;
  for (const token of tokens) {
    const needle = token.text.toLowerCase();
    if (needle === '') continue;
    const at = lower.indexOf(needle, cursor);
    if (at < 0 || at - cursor > LOOKAHEAD_CHARS) continue;
    positions.push({ start: at, end: at + needle.length, startMs: token.startMs, endMs: token.endMs });
    cursor = at + needle.length;
  }
  return positions;
}

/** The start time of the token at character `offset`, or of the nearest token before it; null before the first. */
export function timeAtOffset(positions: readonly TokenPosition[], offset: number): number | null {
  let found: number | null = null;
  for (const position of positions) {
    if (position.start > offset) break;
    found = position.startMs;
  }
  return found;
}

/** The token being played at `ms` (the last one started), or null when none of them has started. */
export function tokenAtTime(positions: readonly TokenPosition[], ms: number): TokenPosition | null {
  let found: TokenPosition | null = null;
  for (const position of positions) {
    if (position.startMs > ms) break;
    found = position;
  }
  return found;
}
