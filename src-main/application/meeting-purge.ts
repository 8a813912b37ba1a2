// Deleting meetings with undo: a delete hides the meeting at once; once the undo window has passed it is purged for
// good with its audio files. Deletes left by an earlier run (closed within the window) are purged at start.
import type { MeetingRepository } from '../store/meetings-repo.js';
import { purgeMeetingAndFiles } from '../store/meeting-removal.js';

/** How long a deleted meeting can be restored (the Undo of the page's toast). */
export const MEETING_UNDO_WINDOW_MS = 10_000;

/** What the purger works on and whom it tells. */
export interface MeetingPurgerOptions {
  meetings: MeetingRepository;
  dataDir: string;
  /** The undo window; MEETING_UNDO_WINDOW_MS unless a test sets a shorter one. */
  windowMs: number;
  /** Told once a meeting and its files are gone for good. */
  onPurged(meetingId: number): void;
}

/** Purges deleted meetings once their undo window has passed. */
export interface MeetingPurger {
  /** Schedules the purge of a meeting deleted at `deletedAt` (default now). */
  schedule(meetingId: number, deletedAt?: number): void;
  /** Forgets the scheduled purge of a restored meeting. */
  cancel(meetingId: number): void;
}

/**
 * Starts a purger and schedules the deletes an earlier run left (purged at once when their window has passed). Timers
 * do not keep the process alive: a delete whose purge did not run is purged at the next start.
 */
export function startMeetingPurger(options: MeetingPurgerOptions): MeetingPurger {
  const { meetings, dataDir, windowMs, onPurged } = options;
  const timers = new Map<number, NodeJS.Timeout>();
  const purge = async (meetingId: number): Promise<void> => {
    timers.delete(meetingId);
    try {
      if (await purgeMeetingAndFiles(meetings, dataDir, meetingId)) onPurged(meetingId);
    } catch {
      // The library was closed or is busy: the next start purges it.
    }
  };
  const purger: MeetingPurger = {
    schedule(meetingId, deletedAt = Date.now()) {
      purger.cancel(meetingId);
      const timer = setTimeout(() => void purge(meetingId), Math.max(0, deletedAt + windowMs - Date.now()));
      timer.unref();
      timers.set(meetingId, timer);
    },
    cancel(meetingId) {
      clearTimeout(timers.get(meetingId));
      timers.delete(meetingId);
    },
  };
  try {
    for (const { id, deletedAt } of meetings.deletedMeetings()) purger.schedule(id, deletedAt);
  } catch {
    // A library that cannot be read now is purged at a later start.
  }
  return purger;
}
