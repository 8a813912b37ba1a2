// A meeting as the exports and the command line show it: no control characters a terminal or a player would act on.
import type { Meeting } from '../../src-shared/types.js';
import { singleLineText, withoutControlChars } from '../util/control-chars.js';

/** The meeting with control characters dropped from its title, source, speaker labels and names, and text. */
export function printableMeeting(meeting: Meeting): Meeting {
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
