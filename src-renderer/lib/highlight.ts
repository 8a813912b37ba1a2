// Splits a text into plain and marked parts from match ranges, so matches render as <mark> without {@html}.
import type { TextRange } from '../../src-shared/types.js';

/** A run of text, marked when it is part of a match. */
export interface TextPart {
  text: string;
  marked: boolean;
}

/** Ranges clipped to the text, sorted, with overlapping or touching ranges merged and empty ones dropped. */
function normalise(length: number, ranges: readonly TextRange[]): TextRange[] {
  const clipped = ranges
    .map(({ start, end }) => ({
      start: Math.max(0, Math.floor(start)),
      end: Math.min(length, Math.floor(end)),
    }))
    .filter(({ start, end }) => start < end)
    .sort((a, b) => a.start - b.start);
  const merged: TextRange[] = [];
  for (const range of clipped) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** The text cut into parts at the range borders; joining all parts gives the text back. */
export function splitHighlights(text: string, ranges: readonly TextRange[]): TextPart[] {
  const parts: TextPart[] = [];
  let cursor = 0;
  for (const { start, end } of normalise(text.length, ranges)) {
    if (start > cursor) parts.push({ text: text.slice(cursor, start), marked: false });
    parts.push({ text: text.slice(start, end), marked: true });
    cursor = end;
  }
  if (cursor < text.length) parts.push({ text: text.slice(cursor), marked: false });
  return parts;
}

/** Characters of context a search result shows before its first match. */
const SNIPPET_BEFORE = 24;

/**
 * The parts of a short excerpt of `text` (about `chars` long) around its first highlight, with "…" where it was cut;
 * for long sentences in a result list.
 */
export function snippetParts(text: string, ranges: readonly TextRange[], chars = 80): TextPart[] {
  const first = normalise(text.length, ranges)[0];
  const start = first ? Math.max(0, Math.min(first.start - SNIPPET_BEFORE, text.length - chars)) : 0;
  const end = Math.min(text.length, Math.max(start + chars, first?.end ?? 0));
  const shifted = ranges.map((range) => ({ start: range.start - start, end: range.end - start }));
  const parts = splitHighlights(text.slice(start, end), shifted);
  if (start > 0) parts.unshift({ text: '…', marked: false });
  if (end < text.length) parts.push({ text: '…', marked: false });
  return parts;
}
