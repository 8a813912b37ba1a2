// What the human-readable exports (TXT, Markdown) say about a meeting before its transcript.
import type { Meeting } from '../../src-shared/types.js';
import { speakerDisplayName } from '../../src-shared/speaker-name.js';
import { formatDateTime, formatDuration } from '../../src-shared/time.js';
import { foldWhitespace } from './text.js';

/** Options shared by every export format. */
export interface ExportOptions {
  /** IANA time zone for the meeting date (e.g. `Asia/Shanghai`); the machine's zone when absent. */
  timeZone?: string;
}

/** A meeting's title, date, duration and speaker names as display strings. */
export interface MeetingFacts {
  title: string;
  date: string;
  duration: string;
  speakers: string[];
}

/** Title shown when a meeting has none. */
export const UNTITLED = 'Untitled meeting';

/** The display strings describing a meeting. */
export function meetingFacts(meeting: Meeting, options: ExportOptions = {}): MeetingFacts {
  return {
    title: foldWhitespace(meeting.title) || UNTITLED,
    date: formatDateTime(meeting.createdAt, options.timeZone),
    duration: formatDuration(meeting.durationMs),
    speakers: meeting.speakers.map((speaker) => foldWhitespace(speakerDisplayName(speaker))),
  };
}
