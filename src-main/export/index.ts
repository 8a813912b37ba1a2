// Transcript export: one entry point over the per-format modules.
import { EXPORT_FORMATS } from '../../src-shared/schemas/limits.js';
import type { ExportFormat, Meeting } from '../../src-shared/types.js';
import { FunscribeError } from '../util/errors.js';
import type { ExportOptions } from './header.js';
import { toJson } from './json.js';
import { toMarkdown } from './markdown.js';
import { toSrt } from './srt.js';
import { toTxt } from './txt.js';
import { printableMeeting } from './printable.js';
import { foldWhitespace } from './text.js';
import { toVtt } from './vtt.js';

export type { ExportOptions } from './header.js';

/** Every export format, in the order menus list them. */
export { EXPORT_FORMATS };

/** Writers by format. */
const WRITERS: Record<ExportFormat, (meeting: Meeting, options: ExportOptions) => string> = {
  txt: toTxt,
  md: toMarkdown,
  srt: toSrt,
  vtt: toVtt,
  json: toJson,
};

/** True when `value` names an export format. */
export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** The file name extension of a format, without the dot (`srt`). */
export function fileExtension(format: ExportFormat): string {
  return format;
}

/** Characters that are not allowed (or troublesome) in file names on Windows, macOS or Linux. */
const UNSAFE_FILE_CHARS = /[\\/:*?"<>|\p{Cc}]/gu;
/** Device names Windows refuses as file names. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/iu;
/** Dots and spaces at either end of a name (hidden files on Unix, dropped by Windows). */
const EDGE_DOTS_AND_SPACES = /^[.\s]+|[.\s]+$/gu;
/** The longest file name that Linux, macOS (APFS) and Windows all accept, in UTF-8 bytes. */
export const MAX_FILE_NAME_BYTES = 255;

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The longest start of `text` within `maxBytes` UTF-8 bytes that does not split a character (grapheme cluster). */
function cutToBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let cut = '';
  let bytes = 0;
  for (const { segment } of GRAPHEMES.segment(text)) {
    bytes += Buffer.byteLength(segment);
    if (bytes > maxBytes) break;
    cut += segment;
  }
  return cut;
}

/**
 * A safe file name for the export of a meeting: its title (or `meeting`) with unsafe characters replaced, then
 * ` (copy)` from copy 2 on, plus the extension; cut so that the whole name fits in 255 UTF-8 bytes.
 */
export function exportFileName(meeting: Pick<Meeting, 'title'>, format: ExportFormat, copy = 1): string {
  const ending = `${copy > 1 ? ` (${copy})` : ''}.${fileExtension(format)}`;
  const cleaned = foldWhitespace(meeting.title)
    .replace(UNSAFE_FILE_CHARS, '_')
    .replace(EDGE_DOTS_AND_SPACES, '');
  const base = cutToBytes(cleaned, MAX_FILE_NAME_BYTES - Buffer.byteLength(ending)).replace(
    EDGE_DOTS_AND_SPACES,
    '',
  );
  return `${WINDOWS_RESERVED.test(base) ? `_${base}` : base || 'meeting'}${ending}`;
}

/** Checks a time zone name; an unknown one is a user error, not a crash deep inside formatting. */
function checkTimeZone(timeZone: string | undefined): void {
  if (timeZone === undefined) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch (cause) {
    throw new FunscribeError('INVALID_ARGUMENT', `Unknown time zone "${timeZone}".`, {
      cause,
      params: { reason: 'timeZone', zone: timeZone },
    });
  }
}

/** Renders a meeting in one export format, without control characters; throws INVALID_ARGUMENT for an unknown format or time zone. */
export function exportMeeting(meeting: Meeting, format: ExportFormat, options: ExportOptions = {}): string {
  if (!isExportFormat(format)) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      `Unknown export format "${String(format)}". Choose one of: ${EXPORT_FORMATS.join(', ')}.`,
      { params: { reason: 'exportFormat', format: String(format) } },
    );
  }
  checkTimeZone(options.timeZone);
  return WRITERS[format](printableMeeting(meeting), options);
}
