// Text from a server or the library made safe to print: no control characters that a terminal would act on.

/** True for C0 controls except tab and newline, DEL (U+007F) and the C1 controls (U+0080–U+009F). */
function isControlChar(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code === 0x09 || code === 0x0a) return false;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** Runs of tab and newline, which a single-line field shows as one space. */
const LINE_BREAKS = /[\t\n]+/gu;

/** The text without C0/C1 control characters; tab and newline stay. */
export function withoutControlChars(text: string): string {
  let kept = '';
  for (const char of text) if (!isControlChar(char)) kept += char;
  return kept;
}

/** The text as one line: control characters dropped, each run of tabs and newlines turned into one space. */
export function singleLineText(text: string): string {
  return withoutControlChars(text).replace(LINE_BREAKS, ' ');
}
