// The meeting the centre shows, as its view loaded it (sentences without tokens), for the parts beside the view that
// draw from it (the player's speaker strip), so that they do not fetch the meeting again.
import { writable, type Readable } from 'svelte/store';
import type { SlimMeeting } from '../../../src-shared/types.js';

const state = writable<SlimMeeting | null>(null);

/** The meeting the view shows now, or null while none is loaded. */
export const shownMeeting: Readable<SlimMeeting | null> = { subscribe: state.subscribe };

/** Called by the meeting view with each version of the meeting it shows (null when it closes). */
export function setShownMeeting(meeting: SlimMeeting | null): void {
  state.set(meeting);
}
