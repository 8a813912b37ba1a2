// A meeting as the main process keeps it: what the page sees plus where its files are. The paths never leave the
// main process; the page gets the file name only (see application/page-meetings.ts).
import type { Meeting, MeetingSummary } from '../../src-shared/types.js';

/** Where a meeting's files are: the file it was transcribed from and its audio copy for playback. */
export interface MeetingFiles {
  /** The absolute path of the file the meeting was transcribed from (it may have moved since). */
  source: string;
  /**
   * The meeting's audio copy for playback (Opus in WebM, stereo when the source was), or null when none is kept.
   * A meeting from before audio copies points at its raw 16 kHz mono PCM until the desktop app replaces that by a copy.
   */
  audioPath: string | null;
}

/** A meeting list row with its file paths. */
export type StoredMeetingSummary = MeetingSummary & MeetingFiles;

/** A whole meeting with its file paths. */
export type StoredMeeting = Meeting & MeetingFiles;
