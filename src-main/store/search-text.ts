// Text preparation shared by the search index and the query builder: Unicode normalisation, what counts as a
// CJK character, and the transform that lets FTS5's unicode61 tokenizer find Chinese words inside a sentence.

/** Characters written without spaces between words: Han, kana and Hangul. */
export const CJK_CHAR = '[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}]';

/** A run of CJK characters; whitespace between two CJK characters does not end the run. */
export const CJK_RUN = new RegExp(`${CJK_CHAR}(?:\\s*${CJK_CHAR})*`, 'gu');

/** One character of a non-CJK word, the same classes as the FTS5 tokenizer's `categories 'L* N* Co M*'`. */
export const WORD_CHAR = `(?:(?!${CJK_CHAR})[\\p{L}\\p{N}\\p{M}\\p{Co}])`;

/** The unicode61 options of the search index: ASCII and Latin case folding, diacritics removed, marks kept in words. */
export const FTS_TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'";

const WHITESPACE = /\s+/gu;

/** NFKC: folds full-width Latin letters and digits (ＡＢＣ１２３) to ASCII and compatibility forms to their base. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC');
}

/** The characters of a CJK run without the whitespace that may separate them. */
export function cjkChars(run: string): string[] {
  return Array.from(run.replace(WHITESPACE, ''));
}

/** Overlapping two-character grams of a CJK run: 项目预算 → 项目 目预 预算. A single character is its own gram. */
export function bigrams(chars: readonly string[]): string[] {
  if (chars.length < 2) return [...chars];
  const grams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(chars[i]! + chars[i + 1]!);
  return grams;
}

/** The grams indexed for one CJK run: its bigrams plus its last character, so 项目预算 → 项目 目预 预算 算. */
export function indexGrams(chars: readonly string[]): string[] {
  return chars.length < 2 ? [...chars] : [...bigrams(chars), chars[chars.length - 1]!];
}

/**
 * The text stored in the search index for one segment: normalised, each CJK run replaced by its grams,
 * everything else left for the tokenizer (which splits Latin words and folds case).
 */
export function toIndexText(text: string): string {
  return normalizeText(text).replace(CJK_RUN, (run) => ` ${indexGrams(cjkChars(run)).join(' ')} `);
}
