// A failed job keeps its error's parameters in the library (migration 7), so the page can word the error in the
// interface language after a restart; what cannot cross IPC is not stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/database.js';
import { JobRepository } from '../../../src-main/store/jobs-repo.js';
import { FunscribeError, toErrorInfo } from '../../../src-main/util/errors.js';
import { tempLibrary, type TempLibrary } from './temp-library.js';

let lib: TempLibrary;
beforeEach(() => {
  lib = tempLibrary();
});
afterEach(() => lib.cleanup());

describe('job error parameters', () => {
  it('stores the params of a thrown error beside its code and message, and reads them back', () => {
    const jobs = new JobRepository(lib.db);
    jobs.insert({ id: 'job-1', file: '/in/周会.m4a', settings: {} });
    const thrown = new FunscribeError('EMPTY_FILE', 'The file "/in/周会.m4a" is empty (0 bytes).', {
      params: { reason: 'empty', file: '周会.m4a' },
    });
    jobs.update('job-1', { status: 'failed', error: toErrorInfo(thrown) });
    const expected = {
      code: 'EMPTY_FILE',
      message: 'The file "/in/周会.m4a" is empty (0 bytes).',
      params: { reason: 'empty', file: '周会.m4a' },
    };
    expect(jobs.get('job-1')?.error).toEqual(expected);
    lib.db.close();
    const reopened = openDatabase(lib.file);
    try {
      expect(new JobRepository(reopened).get('job-1')?.error).toEqual(expected);
    } finally {
      reopened.close();
    }
  });

  it('keeps only a flat record of text and numbers, and no params for an error without them', () => {
    const jobs = new JobRepository(lib.db);
    jobs.insert({ id: 'job-2', file: '/in/a.wav', settings: {} });
    const odd = { reason: 'empty', file: 'a.wav', nested: { deep: true }, list: [1, 2], count: Number.NaN };
    jobs.update('job-2', {
      status: 'failed',
      error: { code: 'EMPTY_FILE', message: 'Empty.', params: odd as never },
    });
    expect(jobs.get('job-2')?.error).toEqual({
      code: 'EMPTY_FILE',
      message: 'Empty.',
      params: { reason: 'empty', file: 'a.wav' },
    });
    jobs.update('job-2', { error: { code: 'CANCELLED', message: 'Cancelled.' } });
    expect(jobs.get('job-2')?.error).toStrictEqual({ code: 'CANCELLED', message: 'Cancelled.' });
  });
});
