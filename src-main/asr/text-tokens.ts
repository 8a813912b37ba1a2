// Text helpers for recognised text: FunASR-style token splitting, joining tokens back into prose, sentence spans.
import type { TextRange } from '../../src-shared/types.js';

/** How a piece of recognised text counts: one CJK character, one digit, one word, or one punctuation mark. */
export type TextUnitKind = 'cjk' | 'digit' | 'word' | 'punct';

/** One piece of text with its UTF-16 offsets in the source string. */
export interface TextUnit {
  text: string;
  kind: TextUnitKind;
  start: number;
  end: number;
}

const CJK_SCRIPT = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}`;
/** CJK characters, CJK symbols and punctuation, and full-width forms: nothing around them takes a space. */
const CJK_CHAR = new RegExp(String.raw`[${CJK_SCRIPT}\u3000-\u303F\uFF00-\uFFEF]`, 'u');
/** Group 1: a CJK character; 2: a digit; 3: a word (letters, & ' ’ -); 4: any other visible character. */
const UNIT = new RegExp(
  String.raw`([${CJK_SCRIPT}])|(\p{Nd})|((?:(?![${CJK_SCRIPT}])[\p{L}\p{M}&'’-])+)|(\S)`,
  'gu',
);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const DIGIT = /\p{Nd}/u;
/** Before a digit these continue a number ("3.5", "10:30") rather than end a clause. */
const NUMBER_CONTINUES = /\p{Nd}[.:]?$/u;
/** After these a following word is separated by a space ("Hello, world"). */
const SPACE_AFTER = /[,.;:!?)\]}%]/;
/** Marks that end a sentence; a full stop only counts before white space, CJK text or the end. */
const SENTENCE_END = new RegExp(String.raw`[。？！?!]+|\.+(?=\s|$|[${CJK_SCRIPT}])`, 'gu');
/** Marks that end a clause (FunASR cuts its sentence pieces at these); a comma or full stop only counts before
 *  white space, CJK text or the end, so "1,000" and "3.5" stay whole. */
const CLAUSE_END = new RegExp(String.raw`[，。？！、；?!;]+|[.,]+(?=\s|$|[${CJK_SCRIPT}])`, 'gu');
/** SenseVoice's inline tags such as <|zh|><|NEUTRAL|><|Speech|><|woitn|>. */
const SENSEVOICE_TAG = /<\|[^|<>]*\|>/g;

/** True when the character is CJK (Han, kana, CJK punctuation or a full-width form). */
export function isCjkChar(char: string): boolean {
  return CJK_CHAR.test(char);
}

/**
 * Splits text the way FunASR's timestamp code counts it: each CJK character, each digit and each punctuation mark
 * is one unit, and a run of other letters (with & ' -) is one word. White space separates and is dropped.
 */
export function splitTextUnits(text: string): TextUnit[] {
  const units: TextUnit[] = [];
  for (const match of text.matchAll(UNIT)) {
    const kind: TextUnitKind = match[1] ? 'cjk' : match[2] ? 'digit' : match[3] ? 'word' : 'punct';
    units.push({ text: match[0], kind, start: match.index, end: match.index + match[0].length });
  }
  return units;
}

/** Whether a space belongs between text ending in `before` and the token `next`. */
function needsSpace(before: string, next: string): boolean {
  const first = next.charAt(0);
  const last = before.charAt(before.length - 1);
  if (!LETTER_OR_DIGIT.test(first) || isCjkChar(first) || isCjkChar(last)) return false;
  if (DIGIT.test(first) && NUMBER_CONTINUES.test(before)) return false;
  return LETTER_OR_DIGIT.test(last) || SPACE_AFTER.test(last);
}

/**
 * Joins recognition tokens into readable text. No space touches CJK text ("我们 用 Electron 做" → "我们用Electron做",
 * as FunASR writes mixed text); words get one space between them; digits join into numbers ("2 0 2 4" → "2024",
 * "3 . 5" → "3.5"); punctuation sticks to the token before it, and a word after ASCII punctuation gets a space.
 */
export function joinTokens(tokens: readonly string[]): string {
  const parts: string[] = [];
  // The last two characters so far: all that needsSpace reads (reading the growing string itself is quadratic).
  let tail = '';
  for (const raw of tokens) {
    const token = raw.trim();
    if (!token) continue;
    if (parts.length > 0 && needsSpace(tail, token)) parts.push(' ');
    parts.push(token);
    tail = (tail + token.slice(-2)).slice(-2);
  }
  return parts.join('');
}

/** Removes SenseVoice tags and surrounding white space from recognised text. */
export function cleanRecognisedText(text: string): string {
  return text.replace(SENSEVOICE_TAG, '').trim();
}

/** Offsets of the pieces of `text` that end at a match of `ends` (or at the end), white space trimmed away. */
function spansEndingAt(text: string, ends: RegExp): TextRange[] {
  const spans: TextRange[] = [];
  const push = (start: number, end: number): void => {
    const piece = text.slice(start, end);
    const trimmedStart = start + (piece.length - piece.trimStart().length);
    const trimmedEnd = end - (piece.length - piece.trimEnd().length);
    if (trimmedEnd > trimmedStart) spans.push({ start: trimmedStart, end: trimmedEnd });
  };
  let start = 0;
  for (const match of text.matchAll(ends)) {
    const end = match.index + match[0].length;
    push(start, end);
    start = end;
  }
  push(start, text.length);
  return spans;
}

/** Offsets of the sentences of `text`: each ends after its sentence punctuation; white space is trimmed away. */
export function sentenceSpans(text: string): TextRange[] {
  return spansEndingAt(text, SENTENCE_END);
}

/** Offsets of the clauses of `text`, cut after every punctuation mark as FunASR cuts its sentence pieces. */
export function clauseSpans(text: string): TextRange[] {
  return spansEndingAt(text, CLAUSE_END);
}

/** True when the text ends with sentence punctuation (。？！.?!). */
export function endsSentence(text: string): boolean {
  return /[。？！.?!]$/.test(text);
}
