// User hotwords: validation, our hotword file format, and the form FunASR reads in a request (the message value).
// FunScribe sends hotwords with every request and gives its managed server no server-wide file: the server reads that
// file once, at start, so words removed later would stay active until a restart.
//
// Rules (FunASR's docs recommend short phrases, weights 1–100 and about 1,000 hotwords at most):
// - A phrase is trimmed and runs of spaces or tabs become one space. Line breaks and other control characters are
//   refused. It may not start with "#", which marks a comment line in our hotword files.
// - Length is counted the way FunASR cuts hotwords (after 10 tokens): each Chinese/Japanese character is one, and each
//   run of other non-space characters (an English word, a number, "GPT-4") is one. At most 10, and at most 50 characters.
// - A weight is a whole number from 1 to 100. Fractions are refused rather than rounded: FunASR would silently cut
//   them off, so "20.5" is most likely a typo the user wants to hear about.
// - At most 1,000 hotwords. The same phrase twice (ignoring upper/lower case) is refused, naming both places.
// - Hotword files: one "<phrase> <weight>" per line, the last field being the weight, so phrases may contain spaces.
//   Blank lines are ignored, and lines starting with "#" are comments (our addition; the server's own file format has
//   no comments).
import type { Hotword } from '../../src-shared/types.js';
import { FunscribeError } from '../util/errors.js';

/** Most hotwords accepted in one list. */
export const MAX_HOTWORDS = 1000;
/** Most units (CJK characters or words) in one phrase. */
export const MAX_PHRASE_UNITS = 10;
/** Most characters (code points) in one phrase. */
export const MAX_PHRASE_CHARS = 50;
/** Smallest weight. */
export const MIN_WEIGHT = 1;
/** Largest weight. */
export const MAX_WEIGHT = 100;

const PHRASE_UNIT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;
const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** One entry to check, with where it came from in words a user understands ("Hotword 3", "Line 7"). */
interface Candidate {
  phrase: unknown;
  weight: unknown;
  where: string;
}

/** An error naming the entry and, when known, its phrase. */
function invalid(where: string, phrase: string | null, problem: string): FunscribeError {
  const label = phrase === null ? where : `${where} ("${phrase}")`;
  return new FunscribeError('HOTWORDS_INVALID', `${label}: ${problem}`);
}

/** Counts a phrase the way FunASR cuts hotwords: CJK characters and other words. */
export function countPhraseUnits(phrase: string): number {
  return phrase.match(PHRASE_UNIT)?.length ?? 0;
}

/** Checks and normalises one phrase. */
function checkPhrase(raw: unknown, where: string): string {
  if (typeof raw !== 'string') throw invalid(where, null, 'the phrase must be text.');
  if (/[\r\n\u2028\u2029]/.test(raw)) throw invalid(where, null, 'a phrase must fit on one line.');
  const phrase = raw.trim().replace(/[ \t]+/g, ' ');
  if (!phrase) throw invalid(where, null, 'the phrase is empty.');
  if (/\p{Cc}/u.test(phrase)) throw invalid(where, phrase, 'the phrase contains control characters.');
  if (phrase.startsWith('#')) {
    throw invalid(where, phrase, 'a phrase may not start with "#" (that marks a comment in hotword files).');
  }
  const units = countPhraseUnits(phrase);
  if (units > MAX_PHRASE_UNITS) {
    throw invalid(
      where,
      phrase,
      `the phrase is ${units} characters/words long; FunASR uses at most ${MAX_PHRASE_UNITS} (each Chinese character and each English word counts as one).`,
    );
  }
  if ([...phrase].length > MAX_PHRASE_CHARS) {
    throw invalid(where, phrase, `the phrase is longer than ${MAX_PHRASE_CHARS} characters.`);
  }
  return phrase;
}

/** Checks one weight. */
function checkWeight(raw: unknown, where: string, phrase: string): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    throw invalid(where, phrase, `the weight must be a number from ${MIN_WEIGHT} to ${MAX_WEIGHT}.`);
  }
  if (!Number.isInteger(raw) || raw < MIN_WEIGHT || raw > MAX_WEIGHT) {
    throw invalid(
      where,
      phrase,
      `the weight ${raw} must be a whole number from ${MIN_WEIGHT} to ${MAX_WEIGHT}.`,
    );
  }
  return raw;
}

/** Checks every entry, the count and duplicates. */
function checkCandidates(candidates: readonly Candidate[]): Hotword[] {
  if (candidates.length > MAX_HOTWORDS) {
    throw new FunscribeError(
      'HOTWORDS_INVALID',
      `There are ${candidates.length} hotwords; FunASR works well with at most ${MAX_HOTWORDS}. Remove some.`,
    );
  }
  const seen = new Map<string, string>();
  return candidates.map(({ phrase: rawPhrase, weight: rawWeight, where }) => {
    const phrase = checkPhrase(rawPhrase, where);
    const weight = checkWeight(rawWeight, where, phrase);
    const key = phrase.normalize('NFC').toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw invalid(
        where,
        phrase,
        `the same hotword is already in ${first.toLowerCase()}; list each hotword once.`,
      );
    }
    seen.set(key, where);
    return { phrase, weight };
  });
}

/** Validates a hotword list from settings or the UI; returns normalised copies or throws HOTWORDS_INVALID. */
export function validateHotwords(list: unknown): Hotword[] {
  if (!Array.isArray(list)) {
    throw new FunscribeError('HOTWORDS_INVALID', 'Hotwords must be a list of phrases with weights.');
  }
  return checkCandidates(
    list.map((entry: unknown, index) => {
      const where = `Hotword ${index + 1}`;
      if (typeof entry !== 'object' || entry === null) {
        throw invalid(where, null, 'each hotword needs a phrase and a weight.');
      }
      const { phrase, weight } = entry as Record<string, unknown>;
      return { phrase, weight, where };
    }),
  );
}

/** Parses a hotword file ("<phrase> <weight>" per line, blank and "#" lines ignored); errors name the line. */
export function parseHotwordFile(text: string): Hotword[] {
  const candidates: Candidate[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((line, index) => {
      const trimmed = line.trim();
      if (!trimmed || trimmed.startsWith('#')) return;
      const where = `Line ${index + 1}`;
      const fields = trimmed.split(/\s+/);
      const weightText = fields.pop() ?? '';
      if (fields.length === 0) {
        throw invalid(
          where,
          trimmed,
          `there is no weight. Write the phrase, a space and a weight, e.g. "阿里巴巴 20".`,
        );
      }
      const phrase = fields.join(' ');
      if (!NUMBER_TEXT.test(weightText)) {
        throw invalid(
          where,
          phrase,
          `the weight "${weightText}" is not a number. Write e.g. "${phrase} 20".`,
        );
      }
      candidates.push({ phrase, weight: Number(weightText), where });
    });
  return checkCandidates(candidates);
}

/** The `hotwords` field of the first message: a JSON string holding {phrase: weight} with number weights, or "". */
export function hotwordsToMessageValue(list: readonly Hotword[]): string {
  const hotwords = validateHotwords(list);
  if (hotwords.length === 0) return '';
  return JSON.stringify(Object.fromEntries(hotwords.map((hotword) => [hotword.phrase, hotword.weight])));
}
