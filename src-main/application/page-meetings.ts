// What the page receives of a meeting: everything but the paths of its files (the source is named by its file name).
import type { MeetingSummary } from '../../src-shared/types.js';
import type { MeetingFiles, StoredMeeting, StoredMeetingSummary } from '../store/stored-meeting.js';

/** A meeting list row without its file paths. */
export function pageMeetingSummary(stored: StoredMeetingSummary): MeetingSummary {
  const { source: _source, audioPath: _audioPath, ...summary } = stored;
  return summary;
}

/** A whole meeting (or a slim one, see MeetingRepository.getSlim) without its file paths. */
export function pageMeeting<M extends MeetingFiles = StoredMeeting>(stored: M): Omit<M, keyof MeetingFiles> {
  const { source: _source, audioPath: _audioPath, ...meeting } = stored;
  return meeting;
}
