// The one meeting lookup of the application service, on a real library: ids a front checked and ids a person typed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireMeeting, typedMeetingId } from '../../../src-main/application/meeting-lookup.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { sampleMeeting } from '../../integration/store/sample-meetings.js';
import { tempLibrary, type TempLibrary } from '../../integration/store/temp-library.js';

/** The NOT_FOUND a lookup throws (fails the test when it finds a meeting). */
function notFound(lookup: () => unknown): { code: string; message: string } {
  try {
    lookup();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected NOT_FOUND');
}

describe('requireMeeting', () => {
  let lib: TempLibrary;
  let meetings: MeetingRepository;
  let id: number;

  beforeEach(() => {
    lib = tempLibrary();
    meetings = new MeetingRepository(lib.db);
    id = meetings.create(sampleMeeting()).id;
  });
  afterEach(() => lib.cleanup());

  it('finds a meeting by its id, checked or typed (digits, spaces around them allowed)', () => {
    expect(requireMeeting(meetings, id).id).toBe(id);
    expect(requireMeeting(meetings, String(id)).id).toBe(id);
    expect(requireMeeting(meetings, ` ${id} `).id).toBe(id);
    expect(typedMeetingId(` ${id}`)).toBe(id);
  });

  it('says a checked id may have been deleted', () => {
    meetings.delete(id);
    expect(notFound(() => requireMeeting(meetings, id))).toMatchObject({
      code: 'NOT_FOUND',
      message: `There is no meeting with id ${id}; it may have been deleted.`,
    });
  });

  it('names a typed id as typed and says where the ids are listed; only digits are an id', () => {
    for (const typed of ['999', 'abc', '0', '-1', '', `${id}.0`, `0x${id.toString(16)}`, `${id}e0`]) {
      expect(
        notFound(() => requireMeeting(meetings, typed)),
        typed,
      ).toMatchObject({
        code: 'NOT_FOUND',
        message: `There is no meeting with id ${typed}. Run "funscribe list" to see the ids.`,
      });
    }
    expect(notFound(() => typedMeetingId('abc')).code).toBe('NOT_FOUND');
  });
});
