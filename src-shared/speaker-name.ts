// The name a speaker is shown under outside the page (exports, the command line): the user's chosen name, else the
// automatic English label from the speaker's number ("Speaker 1"). The page renders the label from its catalogs.
import type { Meeting, Speaker } from './types.js';

/** The automatic label of the n-th speaker (0-based) as users see it. */
export function speakerLabel(index: number): string {
  return `Speaker ${index + 1}`;
}

/** The user's name for a speaker when set (non-blank), else its numbered label; null when there is no speaker. */
export function speakerDisplayName(speaker: Speaker): string;
/** The user's name for a speaker when set (non-blank), else its numbered label; null when there is no speaker. */
export function speakerDisplayName(speaker: Speaker | undefined | null): string | null;
export function speakerDisplayName(speaker: Speaker | undefined | null): string | null {
  if (!speaker) return null;
  const name = speaker.name?.trim();
  return name ? name : speakerLabel(speaker.number - 1);
}

/** Speaker id → display name for every speaker of a meeting. */
export function speakerNameMap(meeting: Pick<Meeting, 'speakers'>): Map<number, string> {
  return new Map(meeting.speakers.map((speaker) => [speaker.id, speakerDisplayName(speaker)]));
}
