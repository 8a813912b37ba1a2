// Finding a meeting by its id: a number a front already checked, or the text a person typed on the command line.
import type { MeetingRepository } from '../store/meetings-repo.js';
import type { StoredMeeting, StoredMeetingSummary } from '../store/stored-meeting.js';
import { FunscribeError } from '../util/errors.js';

/** NOT_FOUND for an id typed by a person, which names the text as typed and where the ids are listed. */
function typedIdNotFound(text: string): FunscribeError {
  return new FunscribeError(
    'NOT_FOUND',
    `There is no meeting with id ${text}. Run "funscribe list" to see the ids.`,
    { params: { reason: 'meeting', id: text } },
  );
}

/** The meeting id in the text a person typed (its digits), or NOT_FOUND naming the text. */
export function typedMeetingId(text: string): number {
  if (/^\d+$/.test(text.trim())) return Number(text);
  throw typedIdNotFound(text);
}

/**
 * The list row of the meeting with this id (nothing else is read: for a check that it exists, its files or its
 * title), or NOT_FOUND as requireMeeting says it.
 */
export function requireMeetingSummary(
  meetings: Pick<MeetingRepository, 'summary'>,
  id: number | string,
): StoredMeetingSummary {
  return requireMeeting({ get: (found) => meetings.summary(found) }, id);
}

/**
 * The meeting with this id, or NOT_FOUND. A number is an id a front already checked (the meeting may have been
 * deleted since); a string is an id as a person typed it.
 */
export function requireMeeting<M = StoredMeeting>(
  meetings: { get(id: number): M | null },
  id: number | string,
): M {
  const meeting = meetings.get(typeof id === 'number' ? id : typedMeetingId(id));
  if (meeting) return meeting;
  if (typeof id === 'string') throw typedIdNotFound(id);
  throw new FunscribeError('NOT_FOUND', `There is no meeting with id ${id}; it may have been deleted.`, {
    params: { reason: 'meeting', id },
  });
}
