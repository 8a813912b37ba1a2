import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../src-shared/types.js';
import { baseName, canRetry, isActive, isFinished, upsertJob } from '../../../src-renderer/lib/jobs.js';

function job(id: string, createdAt: number, patch: Partial<JobInfo> = {}): JobInfo {
  return {
    id,
    file: `/recordings/${id}.m4a`,
    status: 'queued',
    stage: null,
    progress: 0,
    overallProgress: 0,
    remainingMs: null,
    attempts: 0,
    meetingId: null,
    error: null,
    retryable: false,
    createdAt,
    updatedAt: createdAt,
    ...patch,
  };
}

describe('upsertJob', () => {
  it('adds new jobs newest first and replaces updated ones in place', () => {
    let jobs = upsertJob([], job('a', 1));
    jobs = upsertJob(jobs, job('b', 2));
    jobs = upsertJob(jobs, job('a', 1, { status: 'running', stage: 'decode', progress: 0.5, updatedAt: 5 }));
    expect(jobs.map((j) => [j.id, j.status, j.progress])).toEqual([
      ['b', 'queued', 0],
      ['a', 'running', 0.5],
    ]);
  });

  it('ignores an update older than the copy it already has', () => {
    const done = job('a', 1, { status: 'done', progress: 1, updatedAt: 9 });
    const stale = job('a', 1, { status: 'running', progress: 0.2, updatedAt: 4 });
    expect(upsertJob([done], stale)).toEqual([done]);
  });

  it('does not change the list it was given', () => {
    const jobs = [job('a', 1)];
    upsertJob(jobs, job('b', 2));
    expect(jobs).toHaveLength(1);
  });
});

describe('job helpers', () => {
  it('knows which jobs can be cancelled or retried', () => {
    expect(['queued', 'running'].every((s) => isActive(s as JobInfo['status']))).toBe(true);
    expect(isActive('done')).toBe(false);
    expect(isFinished('done') && isFinished('failed') && isFinished('cancelled')).toBe(true);
    expect(isFinished('running')).toBe(false);
    // The main process decides whether a retry can help; a job that ended well is never retried.
    expect(canRetry({ status: 'failed', retryable: true })).toBe(true);
    expect(canRetry({ status: 'cancelled', retryable: true })).toBe(true);
    expect(canRetry({ status: 'failed', retryable: false })).toBe(false);
    expect(canRetry({ status: 'done', retryable: true })).toBe(false);
  });

  it('shows the file name of POSIX and Windows paths', () => {
    expect(baseName('/home/me/会议 录音.m4a')).toBe('会议 录音.m4a');
    expect(baseName('C:\\Users\\me\\weekly.mp4')).toBe('weekly.mp4');
  });
});
