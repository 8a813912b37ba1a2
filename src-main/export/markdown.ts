// Markdown (.md) export.
import type { Meeting } from '../../src-shared/types.js';
import { speakerNameMap } from '../../src-shared/speaker-name.js';
import { formatClock } from '../../src-shared/time.js';
import { meetingFacts, type ExportOptions } from './header.js';
import { foldWhitespace } from './text.js';

/** Characters that start Markdown (CommonMark and GitHub) formatting anywhere in a line. */
const INLINE_SPECIAL = /[\\`*_[\]<>#|~$&]/gu;
/** A line start that would make a bullet list item or a setext heading underline. */
const BULLET_START = /^([-+=])/u;
/** A line start that would make an ordered list item (`1.` or `1)`). */
const ORDERED_START = /^(\d+)([.)])/u;

/** Backslash-escapes Markdown syntax in one line of plain text so it renders literally. */
export function escapeMarkdown(text: string): string {
  return text.replace(INLINE_SPECIAL, '\\$&').replace(BULLET_START, '\\$1').replace(ORDERED_START, '$1\\$2');
}

/**
 * The meeting as Markdown: `# Title`, a list with date, duration and speakers, then one paragraph per segment — a
 * `**Name** [hh:mm:ss]` line (just `[hh:mm:ss]` without a speaker) followed by the segment's escaped text. As in the
 * TXT export, segments are not grouped by speaker so each keeps its time. LF line endings.
 */
export function toMarkdown(meeting: Meeting, options: ExportOptions = {}): string {
  const facts = meetingFacts(meeting, options);
  const names = speakerNameMap(meeting);
  const speakers = facts.speakers.length > 0 ? facts.speakers.map(escapeMarkdown).join(', ') : '—';
  const blocks = [
    `# ${escapeMarkdown(facts.title)}`,
    [`- Date: ${facts.date}`, `- Duration: ${facts.duration}`, `- Speakers: ${speakers}`].join('\n'),
  ];
  for (const segment of meeting.segments) {
    const text = foldWhitespace(segment.text);
    if (!text) continue;
    const speaker = segment.speakerId === null ? undefined : names.get(segment.speakerId);
    const who = speaker === undefined ? '' : `**${escapeMarkdown(foldWhitespace(speaker))}** `;
    blocks.push(`${who}[${formatClock(segment.startMs)}]\n${escapeMarkdown(text)}`);
  }
  return `${blocks.join('\n\n')}\n`;
}
