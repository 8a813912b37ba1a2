// Where the terms of a query occur in a segment's original text, and a short snippet around the first match.
// The index holds transformed text, so this runs in JS on the text the user sees.
import type { TextRange } from '../../src-shared/types.js';
import type { QueryTerm } from './search-query.js';
import { CJK_CHAR, WORD_CHAR, cjkChars } from './search-text.js';

/** Characters of context a snippet shows in all. */
export const SNIPPET_CHARS = 72;

const CONTEXT_BEFORE = 24;
const IS_CJK = new RegExp(CJK_CHAR, 'u');
const MARKS = /\p{M}/gu;
const NON_TOKEN = '[^\\p{L}\\p{N}\\p{M}\\p{Co}]';
const WORD_START = `(?<!${WORD_CHAR})`;
const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

/** A string folded for matching, with each folded code unit's source range in the original. */
interface Folded {
  text: string;
  starts: number[];
  ends: number[];
}

/** Folds one character: NFKC, lower case, and for non-CJK letters the diacritics removed. */
function foldChar(ch: string): string {
  const lower = ch.normalize('NFKC').toLowerCase();
  return IS_CJK.test(ch) ? lower : lower.normalize('NFD').replace(MARKS, '');
}

/** Folds a whole string, remembering where each folded unit came from. */
function fold(text: string): Folded {
  const folded: Folded = { text: '', starts: [], ends: [] };
  let offset = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    folded.text += f;
    for (let i = 0; i < f.length; i++) {
      folded.starts.push(offset);
      folded.ends.push(offset + ch.length);
    }
    offset += ch.length;
  }
  return folded;
}

/** Folds a query piece the same way as the text. */
function foldPiece(text: string): string {
  return Array.from(text, foldChar).join('');
}

function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

/** A regular expression source matching one term in folded text, as the index would have matched it. */
function termPattern(term: QueryTerm): string {
  const parts: string[] = [];
  term.pieces.forEach((piece, i) => {
    const last = i === term.pieces.length - 1;
    const previous = term.pieces[i - 1];
    if (previous) parts.push(`${NON_TOKEN}${previous.kind === 'word' && piece.kind === 'word' ? '+' : '*'}`);
    if (piece.kind === 'cjk') {
      parts.push(cjkChars(foldPiece(piece.text)).map(escapeRegex).join('\\s*'));
      return;
    }
    if (i === 0) parts.push(WORD_START);
    parts.push(escapeRegex(foldPiece(piece.text)));
    if (last) parts.push(term.prefix ? `${WORD_CHAR}*` : `(?!${WORD_CHAR})`);
  });
  return parts.join('');
}

/** Sorts ranges and merges those that overlap or touch. */
function mergeRanges(ranges: TextRange[]): TextRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: TextRange[] = [];
  for (const range of sorted) {
    const top = merged[merged.length - 1];
    if (top && range.start <= top.end) top.end = Math.max(top.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** A function giving, for each term, the places in a text where it occurs (case-insensitive). */
function termRanges(terms: readonly QueryTerm[]): (text: string) => TextRange[][] {
  const patterns = terms.map((term) => new RegExp(termPattern(term), 'gu'));
  return (text) => {
    const folded = fold(text);
    return patterns.map((pattern) =>
      Array.from(folded.text.matchAll(pattern))
        .filter((m) => m[0].length > 0)
        .map((m) => ({ start: folded.starts[m.index]!, end: folded.ends[m.index + m[0].length - 1]! })),
    );
  };
}

/** A function giving every place in a text where one of the terms occurs (case-insensitive), as sorted, merged ranges. */
export function highlighter(terms: readonly QueryTerm[]): (text: string) => TextRange[] {
  const rangesOf = termRanges(terms);
  return (text) => mergeRanges(rangesOf(text).flat());
}

/**
 * A function giving the highlights of a text in which every term occurs, or null when one does not (how a title or a
 * speaker's name is matched: the same rule as the index applies to sentences, checked on the text itself).
 */
export function allTermsMatcher(terms: readonly QueryTerm[]): (text: string) => TextRange[] | null {
  const rangesOf = termRanges(terms);
  return (text) => {
    const perTerm = rangesOf(text);
    return perTerm.length > 0 && perTerm.every((ranges) => ranges.length > 0)
      ? mergeRanges(perTerm.flat())
      : null;
  };
}

function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The window of `text` a snippet shows: about SNIPPET_CHARS around the first highlight, never splitting a character. */
function snippetWindow(text: string, first: TextRange | undefined): TextRange {
  let start = first ? Math.max(0, first.start - CONTEXT_BEFORE) : 0;
  let end = Math.min(text.length, Math.max(start + SNIPPET_CHARS, first?.end ?? 0));
  if (end === text.length) start = Math.max(0, Math.min(start, end - SNIPPET_CHARS));
  if (start > 0 && isLowSurrogate(text, start)) start--;
  if (end < text.length && isLowSurrogate(text, end)) end++;
  return { start, end };
}

/** A short excerpt around the first highlight with matches marked `[` `]` and `…` where text was cut. */
export function makeSnippet(text: string, highlights: readonly TextRange[]): string {
  const window = snippetWindow(text, highlights[0]);
  let out = window.start > 0 ? '…' : '';
  let pos = window.start;
  for (const range of highlights) {
    const start = Math.max(range.start, window.start);
    const end = Math.min(range.end, window.end);
    if (start >= end) continue;
    out += `${text.slice(pos, start)}[${text.slice(start, end)}]`;
    pos = end;
  }
  out += text.slice(pos, window.end);
  return window.end < text.length ? `${out}…` : out;
}
