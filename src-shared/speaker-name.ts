// The name a speaker is shown under: the user's chosen name, else the automatic label ("Speaker 1").
import type { Meeting, Speaker } from './types.js';

/** The automatic label of the n-th speaker (0-based) as users see it. */
export function speakerLabel(index: number): string {
  return `Speaker ${index + 1}`;
}

/** The user's name for a speaker when set (non-blank), else its label; null when there is no speaker. */
export function speakerDisplayName(speaker: Speaker): string;
/** The user's name for a speaker when set (non-blank), else its label; null when there is no speaker. */
export function speakerDisplayName(speaker: Speaker | undefined | null): string | null;
export function speakerDisplayName(speaker: Speaker | undefined | null): string | null {
  if (!speaker) return null;
  const name = speaker.name?.trim();
  return name ? name : speaker.label;
}

/** Speaker id → display name for every speaker of a meeting. */
export function speakerNameMap(meeting: Pick<Meeting, 'speakers'>): Map<number, string> {
  return new Map(meeting.speakers.map((speaker) => [speaker.id, speakerDisplayName(speaker)]));
}
