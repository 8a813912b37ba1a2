// Plain-text (.txt) export.
import type { Meeting } from '../../src-shared/types.js';
import { speakerNameMap } from '../../src-shared/speaker-name.js';
import { formatClock } from '../../src-shared/time.js';
import { meetingFacts, type ExportOptions } from './header.js';
import { foldWhitespace } from './text.js';

/**
 * The meeting as plain text: title, `Date:` and `Duration:` lines, then (after a blank line) one line per segment,
 * `[hh:mm:ss] Name: text` (no `Name: ` when the segment has no speaker). Segments are deliberately not grouped by
 * speaker: every line carries its own time so any sentence can be found and replayed. Whitespace inside a segment
 * (newlines included) is folded to single spaces; empty segments are left out. LF line endings.
 */
export function toTxt(meeting: Meeting, options: ExportOptions = {}): string {
  const facts = meetingFacts(meeting, options);
  const names = speakerNameMap(meeting);
  const lines: string[] = [];
  for (const segment of meeting.segments) {
    const text = foldWhitespace(segment.text);
    if (!text) continue;
    const speaker = segment.speakerId === null ? undefined : names.get(segment.speakerId);
    const who = speaker === undefined ? '' : `${foldWhitespace(speaker)}: `;
    lines.push(`[${formatClock(segment.startMs)}] ${who}${text}`);
  }
  const header = [facts.title, `Date: ${facts.date}`, `Duration: ${facts.duration}`];
  return `${[...header, ...(lines.length > 0 ? ['', ...lines] : [])].join('\n')}\n`;
}
