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
// - Hotword files: one "<phrase> <weight>" per line, the last field being the weight, so phrases may contain spaces
//   (FunASR's ExtractHws trims a line, splits it on spaces and joins all but the last field with one space). Blank
//   lines are ignored, and lines starting with "#" are comments (our addition; the server's own file format has no
//   comments). Where the server silently skips a line (no weight, a weight that is not a number), we name the line.
import type { HotwordImport, HotwordLineReason } from '../../src-shared/hotword-text.js';
import type { Hotword } from '../../src-shared/types.js';
import type { ErrorParamsFor } from '../../src-shared/error-codes.js';
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

/** Where an entry came from: in words a user understands ("Hotword 3", "Line 7") and as its number (3, 7). */
interface Place {
  where: string;
  item: number;
}

/** One entry to check, with its place. */
interface Candidate extends Place {
  phrase: unknown;
  weight: unknown;
}

/** A broken rule: why (for the renderer's words), the message naming the entry and the rule's parameters. */
class HotwordProblem extends FunscribeError<'HOTWORDS_INVALID'> {
  constructor(
    readonly reason: HotwordLineReason,
    message: string,
    params: ErrorParamsFor<'HOTWORDS_INVALID'>,
  ) {
    super('HOTWORDS_INVALID', message, { params });
  }
}

/** The limits a rule's message names, by reason. */
const LIMITS: Partial<Record<HotwordLineReason, Record<string, number>>> = {
  'weight-out-of-range': { min: MIN_WEIGHT, max: MAX_WEIGHT },
  'too-many-units': { max: MAX_PHRASE_UNITS },
  'too-many-characters': { max: MAX_PHRASE_CHARS },
};

/** A problem naming the entry and, when known, its phrase. */
function invalid(
  reason: Exclude<HotwordLineReason, 'too-many-hotwords'>,
  { where, item }: Place,
  phrase: string | null,
  problem: string,
): HotwordProblem {
  const label = phrase === null ? where : `${where} ("${phrase}")`;
  const params = { reason, item, ...LIMITS[reason] } as ErrorParamsFor<'HOTWORDS_INVALID'>;
  return new HotwordProblem(reason, `${label}: ${problem}`, params);
}

/** Counts a phrase the way FunASR cuts hotwords: CJK characters and other words. */
export function countPhraseUnits(phrase: string): number {
  return phrase.match(PHRASE_UNIT)?.length ?? 0;
}

/** Checks and normalises one phrase. */
function checkPhrase(raw: unknown, where: Place): string {
  if (typeof raw !== 'string') throw invalid('empty', where, null, 'the phrase must be text.');
  if (/[\r\n\u2028\u2029]/.test(raw)) {
    throw invalid('control-characters', where, null, 'a phrase must fit on one line.');
  }
  const phrase = raw.trim().replace(/[ \t]+/g, ' ');
  if (!phrase) throw invalid('empty', where, null, 'the phrase is empty.');
  if (/\p{Cc}/u.test(phrase)) {
    throw invalid('control-characters', where, phrase, 'the phrase contains control characters.');
  }
  if (phrase.startsWith('#')) {
    throw invalid(
      'starts-with-hash',
      where,
      phrase,
      'a phrase may not start with "#" (that marks a comment in hotword files).',
    );
  }
  const units = countPhraseUnits(phrase);
  if (units > MAX_PHRASE_UNITS) {
    throw invalid(
      'too-many-units',
      where,
      phrase,
      `the phrase is ${units} characters/words long; FunASR uses at most ${MAX_PHRASE_UNITS} (each Chinese character and each English word counts as one).`,
    );
  }
  if ([...phrase].length > MAX_PHRASE_CHARS) {
    throw invalid(
      'too-many-characters',
      where,
      phrase,
      `the phrase is longer than ${MAX_PHRASE_CHARS} characters.`,
    );
  }
  return phrase;
}

/** Checks one weight. */
function checkWeight(raw: unknown, where: Place, phrase: string): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    throw invalid(
      'weight-not-number',
      where,
      phrase,
      `the weight must be a number from ${MIN_WEIGHT} to ${MAX_WEIGHT}.`,
    );
  }
  if (!Number.isInteger(raw) || raw < MIN_WEIGHT || raw > MAX_WEIGHT) {
    throw invalid(
      'weight-out-of-range',
      where,
      phrase,
      `the weight ${raw} must be a whole number from ${MIN_WEIGHT} to ${MAX_WEIGHT}.`,
    );
  }
  return raw;
}

/** The error for a list longer than FunASR works well with. */
function tooMany(count: number): HotwordProblem {
  return new HotwordProblem(
    'too-many-hotwords',
    `There are ${count} hotwords; FunASR works well with at most ${MAX_HOTWORDS}. Remove some.`,
    { reason: 'too-many-hotwords', count, max: MAX_HOTWORDS },
  );
}

/** Checks entries one by one against each other: `accept` gets each valid one, `reject` each problem. */
function checkEach(
  candidates: readonly Candidate[],
  accept: (hotword: Hotword, index: number) => void,
  reject: (problem: HotwordProblem, index: number) => void,
): void {
  const seen = new Map<string, string>();
  candidates.forEach(({ phrase: rawPhrase, weight: rawWeight, where, item }, index) => {
    try {
      const phrase = checkPhrase(rawPhrase, { where, item });
      const weight = checkWeight(rawWeight, { where, item }, phrase);
      const key = phrase.normalize('NFC').toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        throw invalid(
          'duplicate',
          { where, item },
          phrase,
          `the same hotword is already in ${first.toLowerCase()}; list each hotword once.`,
        );
      }
      seen.set(key, where);
      accept({ phrase, weight }, index);
    } catch (error) {
      if (!(error instanceof HotwordProblem)) throw error;
      reject(error, index);
    }
  });
}

/** Checks every entry, the count and duplicates; throws the first problem. */
function checkCandidates(candidates: readonly Candidate[]): Hotword[] {
  if (candidates.length > MAX_HOTWORDS) throw tooMany(candidates.length);
  const hotwords: Hotword[] = [];
  checkEach(
    candidates,
    (hotword) => hotwords.push(hotword),
    (problem) => {
      throw problem;
    },
  );
  return hotwords;
}

/** Validates a hotword list from settings or the UI; returns normalised copies or throws HOTWORDS_INVALID. */
export function validateHotwords(list: unknown): Hotword[] {
  if (!Array.isArray(list)) {
    throw new FunscribeError('HOTWORDS_INVALID', 'Hotwords must be a list of phrases with weights.');
  }
  return checkCandidates(
    list.map((entry: unknown, index) => {
      const place = { where: `Hotword ${index + 1}`, item: index + 1 };
      if (typeof entry !== 'object' || entry === null) {
        throw invalid('empty', place, null, 'each hotword needs a phrase and a weight.');
      }
      const { phrase, weight } = entry as Record<string, unknown>;
      return { phrase, weight, ...place };
    }),
  );
}

/** A line of a hotword text with its number: a candidate, or the problem that keeps it from being one. */
type ReadLine = { line: number; candidate: Candidate } | { line: number; problem: HotwordProblem };

/** Reads "<phrase> <weight>" lines (blank and "#" lines skipped) into candidates or problems, numbered from 1. */
function readLines(text: string): ReadLine[] {
  const read: ReadLine[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((raw, index) => {
      const trimmed = raw.trim();
      if (!trimmed || trimmed.startsWith('#')) return;
      const line = index + 1;
      const where = { where: `Line ${line}`, item: line };
      const fields = trimmed.split(/\s+/);
      const weightText = fields.pop() ?? '';
      const phrase = fields.join(' ');
      if (fields.length === 0) {
        const problem = invalid(
          'no-weight',
          where,
          trimmed,
          `there is no weight. Write the phrase, a space and a weight, e.g. "阿里巴巴 20".`,
        );
        read.push({ line, problem });
      } else if (!NUMBER_TEXT.test(weightText)) {
        const problem = invalid(
          'weight-not-number',
          where,
          phrase,
          `the weight "${weightText}" is not a number. Write e.g. "${phrase} 20".`,
        );
        read.push({ line, problem });
      } else {
        read.push({ line, candidate: { phrase, weight: Number(weightText), ...where } });
      }
    });
  return read;
}

/** Parses a hotword file ("<phrase> <weight>" per line, blank and "#" lines ignored); errors name the line. */
export function parseHotwordFile(text: string): Hotword[] {
  const read = readLines(text);
  const broken = read.find((entry) => 'problem' in entry);
  if (broken && 'problem' in broken) throw broken.problem;
  return checkCandidates(read.flatMap((entry) => ('candidate' in entry ? [entry.candidate] : [])));
}

/**
 * Reads a hotword text for the settings' import: every valid line is kept (up to FunASR's limit of hotwords) and
 * every other line is reported with its number, instead of stopping at the first.
 */
export function importHotwords(text: string): HotwordImport {
  const result: HotwordImport = { hotwords: [], errors: [] };
  const read = readLines(text);
  const candidates = read.flatMap((entry) => ('candidate' in entry ? [entry] : []));
  const report = (line: number, problem: HotwordProblem): void => {
    result.errors.push({ line, reason: problem.reason, message: problem.message });
  };
  for (const entry of read) if ('problem' in entry) report(entry.line, entry.problem);
  checkEach(
    candidates.map((entry) => entry.candidate),
    (hotword, index) => {
      const { line } = candidates[index] as { line: number };
      if (result.hotwords.length < MAX_HOTWORDS) result.hotwords.push(hotword);
      else report(line, tooMany(result.hotwords.length + 1));
    },
    (problem, index) => report((candidates[index] as { line: number }).line, problem),
  );
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}

/** The `hotwords` field of the first message: a JSON string holding {phrase: weight} with number weights, or "". */
export function hotwordsToMessageValue(list: readonly Hotword[]): string {
  const hotwords = validateHotwords(list);
  if (hotwords.length === 0) return '';
  return JSON.stringify(Object.fromEntries(hotwords.map((hotword) => [hotword.phrase, hotword.weight])));
}
