// Text from a server or the library made safe to print: no control characters that a terminal would act on.

/** Unicode's control characters (C0 U+0000–U+001F, DEL U+007F, C1 U+0080–U+009F) other than tab and newline. */
const CONTROL_CHARS = /(?![\t\n])\p{Cc}/gu;

/** Runs of tab and newline, which a single-line field shows as one space. */
const LINE_BREAKS = /[\t\n]+/gu;

/** The text without C0/C1 control characters; tab and newline stay. */
export function withoutControlChars(text: string): string {
  return text.replace(CONTROL_CHARS, '');
}

/** The text as one line: control characters dropped, each run of tabs and newlines turned into one space. */
export function singleLineText(text: string): string {
  return withoutControlChars(text).replace(LINE_BREAKS, ' ');
}
