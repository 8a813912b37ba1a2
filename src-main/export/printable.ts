// A meeting as the exports and the command line show it: no control characters a terminal or a player would act on.
import { singleLineText, withoutControlChars } from '../util/control-chars.js';
import type { ExportableMeeting } from './exportable-meeting.js';

/** The meeting with control characters dropped from its title, source, speaker labels and names, and text. */
export function printableMeeting(meeting: ExportableMeeting): ExportableMeeting {
  return {
    ...meeting,
    title: singleLineText(meeting.title),
    source: singleLineText(meeting.source),
    speakers: meeting.speakers.map((speaker) => ({
      ...speaker,
      label: singleLineText(speaker.label),
      name: speaker.name === null ? null : singleLineText(speaker.name),
    })),
    segments: meeting.segments.map((segment) => ({
      ...segment,
      text: withoutControlChars(segment.text),
      tokens: segment.tokens.map((token) => ({ ...token, text: withoutControlChars(token.text) })),
    })),
  };
}
