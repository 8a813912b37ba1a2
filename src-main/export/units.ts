// Cuts transcript text into units that subtitle wrapping never splits: Latin words and Chinese/Japanese words.
import { displayWidth, hasWideChar } from './text.js';

/** A piece of folded text kept whole on one line: `start`/`end` are UTF-16 offsets into that text. */
export interface TextUnit {
  text: string;
  start: number;
  end: number;
  /** Whether a space separates this unit from the previous one (else they join with nothing, as in Chinese). */
  spaceBefore: boolean;
  /** Columns on screen (CJK characters count 2). */
  width: number;
  /** Whether the unit holds a wide (CJK) character. */
  wide: boolean;
  /** Whether the unit ends with punctuation (a good place to end a line or a cue). */
  punctuated: boolean;
}

/** The screen extent of some units joined as written. */
export interface Extent {
  width: number;
  wide: boolean;
}

/** Characters of scripts written without spaces, where lines break between words that ICU finds. */
const CJK = /^[\p{Script_Extensions=Han}\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}]$/u;
/** Opening brackets and quotes: they stay with what follows. */
const OPENING = /^[\p{Ps}\p{Pi}]$/u;
/** Closing brackets, quotes and other punctuation: they stay with what precedes, so they never start a line. */
const CLOSING = /^[\p{Pe}\p{Pf}\p{Po}]$/u;

type CharClass = 'cjk' | 'word' | 'open';

/** ICU's dictionary-based word breaker, which finds word boundaries in text written without spaces. */
const WORD_BREAKER = new Intl.Segmenter('zh', { granularity: 'word' });

/** UTF-16 offsets where ICU starts a word (or punctuation or space) segment. */
function wordStarts(text: string): Set<number> {
  return new Set(Array.from(WORD_BREAKER.segment(text), (segment) => segment.index));
}

/**
 * Splits whitespace-folded text into units. A unit is a run of non-CJK characters between spaces (a Latin word with
 * its punctuation), or a Chinese/Japanese word as ICU's dictionary segments it; punctuation glues to the unit before
 * it and opening brackets to the one after, so neither ever sits alone at the edge of a line.
 */
export function splitUnits(text: string): TextUnit[] {
  const starts = wordStarts(text);
  const units: TextUnit[] = [];
  let current: TextUnit | null = null;
  let currentClass: CharClass = 'word';
  let spacePending = false;
  let offset = 0;
  for (const char of text) {
    const start = offset;
    offset += char.length;
    if (char === ' ') {
      spacePending = true;
      continue;
    }
    const cls: CharClass = OPENING.test(char) ? 'open' : CJK.test(char) ? 'cjk' : 'word';
    const sameWord = cls === currentClass && (cls === 'word' || !starts.has(start));
    const joins = !spacePending && (currentClass === 'open' || CLOSING.test(char) || sameWord);
    if (current && joins) {
      current.text += char;
      current.end = offset;
      if (!CLOSING.test(char)) currentClass = cls;
    } else {
      current = {
        text: char,
        start,
        end: offset,
        spaceBefore: spacePending && units.length > 0,
        width: 0,
        wide: false,
        punctuated: false,
      };
      units.push(current);
      currentClass = cls;
    }
    spacePending = false;
  }
  for (const unit of units) {
    unit.width = displayWidth(unit.text);
    unit.wide = hasWideChar(unit.text);
    unit.punctuated = CLOSING.test(Array.from(unit.text).pop() ?? '');
  }
  return units;
}

/** The text of units[from, to) joined as it was written. */
export function joinUnits(units: readonly TextUnit[], from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) {
    const unit = units[i];
    if (!unit) break;
    text += i > from && unit.spaceBefore ? ` ${unit.text}` : unit.text;
  }
  return text;
}

/** Columns units[from, to) take joined as written, and whether they hold a wide character. */
export function measureUnits(units: readonly TextUnit[], from: number, to: number): Extent {
  let width = 0;
  let wide = false;
  for (let i = from; i < to; i++) {
    const unit = units[i];
    if (!unit) break;
    width += unit.width + (i > from && unit.spaceBefore ? 1 : 0);
    wide ||= unit.wide;
  }
  return { width, wide };
}
