// Turns whatever a user typed into search terms, and terms into an FTS5 query in which every token is quoted,
// so no input can be read as FTS5 syntax (operators, columns, parentheses) or fail to parse.
import { CJK_CHAR, CJK_RUN, WORD_CHAR, bigrams, cjkChars, indexGrams, normalizeText } from './search-text.js';

/** One piece of a term: a run of CJK characters or one non-CJK word. */
export interface QueryPiece {
  kind: 'cjk' | 'word';
  text: string;
}

/** A term: pieces that must occur in this order, next to each other. `prefix`: the last word may be the start of a word. */
export interface QueryTerm {
  pieces: QueryPiece[];
  prefix: boolean;
}

/** Characters of a query looked at; the rest is ignored (no real sentence is longer). */
export const MAX_QUERY_CHARS = 500;

/** Terms looked at; all of them must match. */
export const MAX_TERMS = 16;

const QUOTES = /["“”]/u;
const PIECE = new RegExp(`(${CJK_RUN.source})|${WORD_CHAR}+`, 'gu');
const IS_CJK = new RegExp(CJK_CHAR, 'u');
const WHITESPACE = /\s+/u;

/** The CJK runs and words of a piece of text, in order; everything else separates them. */
function piecesOf(text: string): QueryPiece[] {
  return Array.from(text.matchAll(PIECE), (m) => ({
    kind: IS_CJK.test(m[0]) ? ('cjk' as const) : ('word' as const),
    text: m[0],
  }));
}

/**
 * Parses a query: text in double quotes (", “ or ”) is one phrase, an unclosed quote runs to the end;
 * outside quotes each whitespace-separated chunk is one term. Words typed last in a chunk or an unclosed
 * phrase match as prefixes. Never throws.
 */
export function parseQuery(query: unknown): QueryTerm[] {
  if (typeof query !== 'string') return [];
  const text = Array.from(normalizeText(query)).slice(0, MAX_QUERY_CHARS).join('');
  const parts = text.split(QUOTES);
  const terms: QueryTerm[] = [];
  parts.forEach((part, i) => {
    const quoted = i % 2 === 1;
    if (quoted) {
      const closed = i < parts.length - 1;
      terms.push({ pieces: piecesOf(part), prefix: !closed });
    } else {
      for (const chunk of part.split(WHITESPACE)) terms.push({ pieces: piecesOf(chunk), prefix: true });
    }
  });
  return terms.filter((t) => t.pieces.length > 0).slice(0, MAX_TERMS);
}

/** The FTS5 tokens of one term, and whether the last one is a prefix. */
function termTokens(term: QueryTerm): { tokens: string[]; star: boolean } {
  const tokens: string[] = [];
  let star = false;
  term.pieces.forEach((piece, i) => {
    const last = i === term.pieces.length - 1;
    if (piece.kind === 'word') {
      tokens.push(piece.text);
      if (last) star = term.prefix;
      return;
    }
    // Inside the term a CJK run ends where the next piece starts, so its last character was indexed on its own;
    // at the end of the term it may continue in the text, so only its bigrams (or one character as a prefix) count.
    const chars = cjkChars(piece.text);
    tokens.push(...(last ? bigrams(chars) : indexGrams(chars)));
    if (last) star = chars.length === 1;
  });
  return { tokens, star };
}

/** One quoted FTS5 string: the tokens as a phrase, double quotes doubled, `*` for a prefix. */
function ftsString(tokens: readonly string[], star: boolean): string {
  return `"${tokens.join(' ').replaceAll('"', '""')}"${star ? '*' : ''}`;
}

/** The FTS5 MATCH expression for the terms (all ANDed), or null when there is nothing to search for. */
export function buildFtsQuery(terms: readonly QueryTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms
    .map((term) => {
      const { tokens, star } = termTokens(term);
      return ftsString(tokens, star);
    })
    .join(' AND ');
}
