// A meeting as the exports and the command line show it: no control characters a terminal or a player would act on.
import { singleLineText, withoutControlChars } from '../util/control-chars.js';
import type { Meeting } from '../../src-shared/types.js';

/** The meeting with control characters dropped from its title, source name, speaker labels and names, and texts. */
export function printableMeeting(meeting: Meeting): Meeting {
  return {
    ...meeting,
    title: singleLineText(meeting.title),
    sourceName: singleLineText(meeting.sourceName),
    speakers: meeting.speakers.map((speaker) => ({
      ...speaker,
      label: singleLineText(speaker.label),
      name: speaker.name === null ? null : singleLineText(speaker.name),
    })),
    segments: meeting.segments.map((segment) => ({
      ...segment,
      text: withoutControlChars(segment.text),
      ...(segment.originalText === undefined
        ? {}
        : { originalText: withoutControlChars(segment.originalText) }),
      tokens: segment.tokens.map((token) => ({ ...token, text: withoutControlChars(token.text) })),
    })),
  };
}
