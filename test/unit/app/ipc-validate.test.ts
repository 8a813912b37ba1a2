import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { API_METHODS } from '../../../src-shared/contract.js';
import { validateArgs } from '../../../src-main/app/ipc-validate.js';
import { IPC_LIMITS } from '../../../src-shared/schemas/limits.js';
import { FunscribeError } from '../../../src-main/util/errors.js';

/** The error code validateArgs throws for these arguments (fails the test when it does not throw). */
function rejection(method: Parameters<typeof validateArgs>[0], args: unknown[]): string {
  try {
    validateArgs(method, args);
  } catch (error) {
    expect(error).toBeInstanceOf(FunscribeError);
    return (error as FunscribeError).code;
  }
  throw new Error(`${method}(${JSON.stringify(args)}) was accepted`);
}

const ABSOLUTE = resolve('/recordings/meeting one.m4a');

describe('validateArgs', () => {
  it('accepts well-formed calls of every method and returns the arguments typed', () => {
    expect(validateArgs('listMeetings', [])).toEqual([]);
    expect(validateArgs('listMeetings', [{ limit: 20, offset: 40 }])).toEqual([{ limit: 20, offset: 40 }]);
    expect(validateArgs('listMeetings', [{ orderBy: 'length', limit: 5 }])).toEqual([
      { orderBy: 'length', limit: 5 },
    ]);
    expect(validateArgs('getMeeting', [7])).toEqual([7]);
    expect(validateArgs('renameMeeting', [7, '周会 Weekly'])).toEqual([7, '周会 Weekly']);
    expect(validateArgs('deleteMeeting', [7])).toEqual([7]);
    expect(validateArgs('search', [{ query: '预算', order: 'newest', meetingId: 3, limit: 10 }])).toEqual([
      { query: '预算', order: 'newest', meetingId: 3, limit: 10 },
    ]);
    expect(validateArgs('exportMeeting', [7, 'srt'])).toEqual([7, 'srt']);
    expect(validateArgs('addFiles', [[ABSOLUTE]])).toEqual([[ABSOLUTE]]);
    expect(validateArgs('listJobs', [])).toEqual([]);
    expect(validateArgs('cancelJob', ['job-1'])).toEqual(['job-1']);
    expect(validateArgs('retryJob', ['job-1'])).toEqual(['job-1']);
    expect(validateArgs('getSettings', [])).toEqual([]);
    expect(validateArgs('setSettings', [{ itn: false, concurrency: 3 }])).toEqual([
      { itn: false, concurrency: 3 },
    ]);
    expect(validateArgs('engineStatus', [])).toEqual([]);
    expect(validateArgs('startEngine', [])).toEqual([]);
    expect(validateArgs('stopEngine', [])).toEqual([]);
    expect(validateArgs('engineLogs', [200])).toEqual([200]);
    expect(validateArgs('checkEngines', [])).toEqual([]);
    expect(validateArgs('listSpeakers', [7])).toEqual([7]);
    expect(validateArgs('relabelSpeakers', [7, 3])).toEqual([7, 3]);
    expect(validateArgs('relabelSpeakers', [7, null])).toEqual([7, null]);
    expect(validateArgs('renameSpeaker', [7, 2, '王芳', true])).toEqual([7, 2, '王芳', true]);
    expect(validateArgs('renameSpeaker', [7, 2, '', false])).toEqual([7, 2, '', false]);
    expect(validateArgs('mergeSpeakers', [7, 3, 2])).toEqual([7, 3, 2]);
    expect(validateArgs('moveSegment', [7, 40, 'new'])).toEqual([7, 40, 'new']);
    expect(validateArgs('moveSegment', [7, 40, 2])).toEqual([7, 40, 2]);
    expect(validateArgs('listVoiceprints', [])).toEqual([]);
    expect(validateArgs('forgetVoiceprint', [4])).toEqual([4]);
  });

  it('rejects speaker edits with a bad count, name, flag or target', () => {
    for (const count of [0, 51, 2.5, '3', undefined]) {
      expect(rejection('relabelSpeakers', [7, count])).toBe('INVALID_ARGUMENT');
    }
    const tooLong = 'x'.repeat(IPC_LIMITS.maxSpeakerNameLength + 1);
    for (const name of [tooLong, '   ', 'a\0b', 5, null]) {
      expect(rejection('renameSpeaker', [7, 2, name, false])).toBe('INVALID_ARGUMENT');
    }
    expect(rejection('renameSpeaker', [7, 2, 'Alice', 'yes'])).toBe('INVALID_ARGUMENT');
    expect(rejection('moveSegment', [7, 40, 'old'])).toBe('INVALID_ARGUMENT');
    expect(rejection('mergeSpeakers', [7, 0, 2])).toBe('INVALID_ARGUMENT');
  });

  it('drops absent optional fields instead of passing undefined keys on', () => {
    const [request] = validateArgs('search', [{ query: 'budget' }]);
    expect(Object.keys(request)).toEqual(['query']);
  });

  it('rejects a wrong number of arguments for every method', () => {
    for (const method of API_METHODS) {
      expect(rejection(method, [1, 2, 3, 4, 5])).toBe('INVALID_ARGUMENT');
    }
    expect(rejection('getMeeting', [])).toBe('INVALID_ARGUMENT');
    expect(rejection('listJobs', ['extra'])).toBe('INVALID_ARGUMENT');
  });

  it('rejects ids that are not positive whole numbers', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity, '7', null, 2 ** 53]) {
      expect(rejection('getMeeting', [bad])).toBe('INVALID_ARGUMENT');
    }
  });

  it('checks paging bounds and refuses unknown fields', () => {
    expect(rejection('listMeetings', [{ limit: 0 }])).toBe('INVALID_ARGUMENT');
    expect(rejection('listMeetings', [{ limit: IPC_LIMITS.maxPageSize + 1 }])).toBe('INVALID_ARGUMENT');
    expect(rejection('listMeetings', [{ offset: -1 }])).toBe('INVALID_ARGUMENT');
    expect(rejection('listMeetings', [{ limit: 5, sql: 'DROP TABLE meetings' }])).toBe('INVALID_ARGUMENT');
    expect(rejection('listMeetings', [[5]])).toBe('INVALID_ARGUMENT');
    expect(rejection('listMeetings', [{ orderBy: 'm.title; DROP TABLE meetings' }])).toBe('INVALID_ARGUMENT');
  });

  it('checks titles: text, not blank, not too long', () => {
    expect(rejection('renameMeeting', [1, ''])).toBe('INVALID_ARGUMENT');
    expect(rejection('renameMeeting', [1, '   '])).toBe('INVALID_ARGUMENT');
    expect(rejection('renameMeeting', [1, 42])).toBe('INVALID_ARGUMENT');
    expect(rejection('renameMeeting', [1, 'a'.repeat(IPC_LIMITS.maxTitleLength + 1)])).toBe(
      'INVALID_ARGUMENT',
    );
    expect(rejection('renameMeeting', [1, 'a\0b'])).toBe('INVALID_ARGUMENT');
    expect(validateArgs('renameMeeting', [1, '会'.repeat(IPC_LIMITS.maxTitleLength)])[1]).toHaveLength(
      IPC_LIMITS.maxTitleLength,
    );
  });

  it('checks search requests', () => {
    expect(rejection('search', ['budget'])).toBe('INVALID_ARGUMENT');
    expect(rejection('search', [{ query: '' }])).toBe('INVALID_ARGUMENT');
    expect(rejection('search', [{ query: 'x'.repeat(IPC_LIMITS.maxQueryLength + 1) }])).toBe(
      'INVALID_ARGUMENT',
    );
    expect(rejection('search', [{ query: 'a', order: 'oldest' }])).toBe('INVALID_ARGUMENT');
    expect(rejection('search', [{ query: 'a', limit: IPC_LIMITS.maxSearchLimit + 1 }])).toBe(
      'INVALID_ARGUMENT',
    );
    expect(rejection('search', [{ query: 'a', meetingId: -3 }])).toBe('INVALID_ARGUMENT');
    expect(
      validateArgs('search', [{ query: 'a', from: 0, to: 1_700_000_000_000, speaker: '王经理' }]),
    ).toEqual([{ query: 'a', from: 0, to: 1_700_000_000_000, speaker: '王经理' }]);
    expect(rejection('search', [{ query: 'a', from: -1 }])).toBe('INVALID_ARGUMENT');
    expect(rejection('search', [{ query: 'a', to: 1.5 }])).toBe('INVALID_ARGUMENT');
    expect(
      rejection('search', [{ query: 'a', speaker: 'x'.repeat(IPC_LIMITS.maxSpeakerNameLength + 1) }]),
    ).toBe('INVALID_ARGUMENT');
  });

  it('accepts batch options for addFiles and refuses unknown or malformed ones', () => {
    const options = {
      allowDuplicates: true,
      serverUrl: 'ws://10.0.0.2:10095',
      hotwordList: '产品',
      speakers: 3,
    };
    expect(validateArgs('addFiles', [[ABSOLUTE], options])).toEqual([[ABSOLUTE], options]);
    expect(validateArgs('addFiles', [[ABSOLUTE], { hotwordList: null, serverUrl: null }])).toEqual([
      [ABSOLUTE],
      { hotwordList: null, serverUrl: null },
    ]);
    expect(rejection('addFiles', [[ABSOLUTE], { force: true }])).toBe('INVALID_ARGUMENT');
    expect(rejection('addFiles', [[ABSOLUTE], { allowDuplicates: 'yes' }])).toBe('INVALID_ARGUMENT');
    expect(rejection('addFiles', [[ABSOLUTE], { serverUrl: 'http://10.0.0.2' }])).toBe('INVALID_ARGUMENT');
    expect(rejection('addFiles', [[ABSOLUTE], { speakers: 0 }])).toBe('INVALID_ARGUMENT');
    expect(rejection('addFiles', [[ABSOLUTE], {}, 3])).toBe('INVALID_ARGUMENT');
    expect(validateArgs('clearFinishedJobs', [])).toEqual([]);
  });

  it('accepts only the known export formats', () => {
    expect(rejection('exportMeeting', [1, 'docx'])).toBe('INVALID_ARGUMENT');
    expect(rejection('exportMeeting', [1, 'SRT'])).toBe('INVALID_ARGUMENT');
  });

  it('accepts only non-empty lists of absolute paths for addFiles', () => {
    expect(rejection('addFiles', [[]])).toBe('INVALID_ARGUMENT');
    expect(rejection('addFiles', [ABSOLUTE])).toBe('INVALID_ARGUMENT');
    expect(rejection('addFiles', [['relative/meeting.m4a']])).toBe('INVALID_ARGUMENT');
    expect(rejection('addFiles', [[ABSOLUTE, 12]])).toBe('INVALID_ARGUMENT');
    expect(rejection('addFiles', [[`${ABSOLUTE}\0.txt`]])).toBe('INVALID_ARGUMENT');
    expect(rejection('addFiles', [Array(IPC_LIMITS.maxFilesPerCall + 1).fill(ABSOLUTE)])).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('checks job ids', () => {
    expect(rejection('cancelJob', [5])).toBe('INVALID_ARGUMENT');
    expect(rejection('retryJob', ['j'.repeat(IPC_LIMITS.maxJobIdLength + 1)])).toBe('INVALID_ARGUMENT');
  });

  it('checks the number of engine log lines: a whole number from 1 to 2000', () => {
    expect(validateArgs('engineLogs', [1])).toEqual([1]);
    expect(validateArgs('engineLogs', [IPC_LIMITS.maxLogLines])).toEqual([2000]);
    for (const bad of [0, -5, 2001, 5000, 10.5, '10', null, Number.NaN]) {
      expect(rejection('engineLogs', [bad])).toBe('INVALID_ARGUMENT');
    }
    expect(rejection('engineLogs', [])).toBe('INVALID_ARGUMENT');
    expect(rejection('startEngine', [{ image: 'evil/image' }])).toBe('INVALID_ARGUMENT');
    expect(rejection('stopEngine', ['now'])).toBe('INVALID_ARGUMENT');
  });

  it('checks settings with the settings rules', () => {
    expect(
      rejection('setSettings', [{ remoteEngines: [{ url: 'http://127.0.0.1:10095', concurrency: 1 }] }]),
    ).toBe('INVALID_ARGUMENT');
    expect(rejection('setSettings', [{ itn: 'yes' }])).toBe('INVALID_ARGUMENT');
    expect(rejection('setSettings', [{ theme: 'blue' }])).toBe('INVALID_ARGUMENT');
    expect(rejection('setSettings', [{ colour: 'dark' }])).toBe('INVALID_ARGUMENT');
    expect(rejection('setSettings', [null])).toBe('INVALID_ARGUMENT');
    expect(rejection('setSettings', [{ hotwords: [{ phrase: '预算', weight: 0 }] }])).toBe(
      'HOTWORDS_INVALID',
    );
  });

  it('says what is wrong in words a user understands', () => {
    expect(() => validateArgs('exportMeeting', [1, 'docx'])).toThrow(
      /format must be one of txt, md, srt, vtt, json/,
    );
    expect(() => validateArgs('addFiles', [['meeting.m4a']])).toThrow(/file 1 must be an absolute path/);
  });
});
