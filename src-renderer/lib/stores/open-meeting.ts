// Which meeting is open, which sentence to bring into view and which search term to highlight in it.
import { writable, type Readable } from 'svelte/store';
import type { MeetingSummary } from '../../../src-shared/types.js';
import { showView } from './layout.js';

/** The open meeting and what to show in it. */
export interface OpenMeeting {
  /** The open meeting's id, or null when none is open. */
  meetingId: number | null;
  /** A sentence to scroll to and focus, or null. */
  segmentId: number | null;
  /** The search term to highlight in the transcript, or null. */
  highlight: string | null;
  /** The meeting as a list showed it when it was opened from there (the library's copy is fresher), or null. */
  summary: MeetingSummary | null;
  /**
   * Counts every openMeeting call, so that asking again for the sentence already shown (the next search hit in
   * the same meeting, or the same one twice) is still a change a component reacts to.
   */
  request: number;
}

const state = writable<OpenMeeting>({
  meetingId: null,
  segmentId: null,
  highlight: null,
  summary: null,
  request: 0,
});

/** The open meeting; MeetingView follows it and scrolls to `segmentId` whenever `request` changes. */
export const openMeetingState: Readable<OpenMeeting> = { subscribe: state.subscribe };

/** Opens a meeting (or the one already open) in the centre, optionally at one sentence with a term highlighted. */
export function openMeeting(
  meetingId: number,
  target: { segmentId?: number | null; highlight?: string | null; summary?: MeetingSummary | null } = {},
): void {
  showView('meeting');
  state.update(({ request }) => ({
    meetingId,
    segmentId: target.segmentId ?? null,
    highlight: target.highlight ?? null,
    summary: target.summary ?? null,
    request: request + 1,
  }));
}

/** Closes the open meeting (after it was deleted, for instance). */
export function closeMeeting(): void {
  state.update(({ request }) => ({
    meetingId: null,
    segmentId: null,
    highlight: null,
    summary: null,
    request: request + 1,
  }));
}
