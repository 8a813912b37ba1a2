// Plain-text helpers shared by the export formats: whitespace folding and terminal-style display width.

/** Folds every run of whitespace (newlines included) into one space and trims both ends. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** [first, last] code points of the East Asian Wide and Fullwidth blocks (CJK, kana, Hangul, fullwidth forms, emoji). */
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

/** Columns one character takes on screen: 2 for wide (CJK) characters, 0 for combining and format marks, else 1. */
export function charWidth(char: string): number {
  const cp = char.codePointAt(0) ?? 0;
  if (cp < 0x300) return 1;
  if (ZERO_WIDTH.test(char)) return 0;
  return WIDE_RANGES.some(([first, last]) => cp >= first && cp <= last) ? 2 : 1;
}

/** Columns a string takes on screen, counting wide (CJK) characters as 2. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** True when the string holds at least one wide (CJK) character. */
export function hasWideChar(text: string): boolean {
  for (const char of text) if (charWidth(char) === 2) return true;
  return false;
}

/** Rewrites every `-->` (and longer `--->` arrows) to `->`, which subtitle parsers would take for a timing line. */
export function defuseArrows(text: string): string {
  return text.replace(/-{2,}>/gu, '->');
}
