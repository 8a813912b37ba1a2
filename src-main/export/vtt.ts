// WebVTT (.vtt) export.
import type { Meeting } from '../../src-shared/types.js';
import { formatVttTime } from '../../src-shared/time.js';
import { buildCues, type Cue } from './cues.js';
import { defuseArrows, foldWhitespace } from './text.js';

/** Escapes the three characters WebVTT cue text reserves; this also rules out `-->` inside a cue. */
function escapeVtt(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

/** One cue block: timing line, then the lines, wrapped in a `<v Name>` voice span when the speaker is known. */
function cueBlock(cue: Cue): string {
  const text = cue.lines.map(escapeVtt).join('\n');
  const body = cue.speaker === null ? text : `<v ${escapeVtt(foldWhitespace(cue.speaker))}>${text}</v>`;
  return `${formatVttTime(cue.startMs)} --> ${formatVttTime(cue.endMs)}\n${body}\n`;
}

/**
 * The meeting as WebVTT: the `WEBVTT` signature, a `NOTE` comment naming the meeting, then cues
 * `hh:mm:ss.mmm --> hh:mm:ss.mmm` (same cutting and wrapping as SRT) whose text is escaped and wrapped in a voice
 * span `<v Name>…</v>` on every cue that has a speaker. LF line endings; no cue identifiers.
 */
export function toVtt(meeting: Meeting): string {
  const title = defuseArrows(foldWhitespace(meeting.title));
  const header = title ? `WEBVTT\n\nNOTE ${title}\n` : 'WEBVTT\n';
  return [header, ...buildCues(meeting, { speakerPrefix: false }).map(cueBlock)].join('\n');
}
