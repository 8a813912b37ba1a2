import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobPatch } from '../../../src-main/store/jobs-repo.js';
import { JobRepository } from '../../../src-main/store/jobs-repo.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { SettingsRepository } from '../../../src-main/store/settings-repo.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { sampleMeeting } from './sample-meetings.js';
import { tempLibrary, type TempLibrary } from './temp-library.js';

let lib: TempLibrary;
beforeEach(() => {
  lib = tempLibrary();
});
afterEach(() => lib.cleanup());

const SETTINGS = { serverUrl: 'ws://127.0.0.1:10095', hotwords: [{ phrase: '预算', weight: 20 }], itn: true };

describe('JobRepository', () => {
  it('inserts a queued job and round-trips updates, settings and errors', () => {
    const jobs = new JobRepository(lib.db);
    const meeting = new MeetingRepository(lib.db).create(sampleMeeting());
    const job = jobs.insert({ id: 'job-1', file: '/in/周会.m4a', settings: SETTINGS });
    expect(job).toMatchObject({
      id: 'job-1',
      file: '/in/周会.m4a',
      status: 'queued',
      stage: null,
      progress: 0,
      attempts: 0,
      meetingId: null,
      error: null,
    });
    expect(job.createdAt).toBe(job.updatedAt);
    expect(jobs.settingsOf('job-1')).toEqual(SETTINGS);

    const running = jobs.update('job-1', {
      status: 'running',
      stage: 'transcribe',
      progress: 0.4,
      attempts: 1,
    });
    expect(running).toMatchObject({ status: 'running', stage: 'transcribe', progress: 0.4, attempts: 1 });
    expect(running.updatedAt).toBeGreaterThanOrEqual(job.updatedAt);
    const failed = jobs.update('job-1', {
      status: 'failed',
      error: { code: 'ASR_TIMEOUT', message: 'No reply.' },
    });
    expect(failed.error).toEqual({ code: 'ASR_TIMEOUT', message: 'No reply.' });
    expect(failed.stage).toBe('transcribe');
    const done = jobs.update('job-1', { status: 'done', error: null, meetingId: meeting.id, progress: 7 });
    expect(done).toMatchObject({ status: 'done', error: null, meetingId: meeting.id, progress: 1 });
    expect(jobs.get('job-1')).toEqual(done);
  });

  it('survives reopening the database', () => {
    const jobs = new JobRepository(lib.db);
    jobs.insert({ id: 'a', file: 'a.wav', settings: SETTINGS });
    jobs.update('a', { status: 'running', stage: 'decode', progress: 0.5 });
    lib.db.close();
    const db = openDatabase(lib.file);
    const again = new JobRepository(db);
    expect(again.get('a')).toMatchObject({ status: 'running', stage: 'decode', progress: 0.5 });
    expect(again.settingsOf('a')).toEqual(SETTINGS);
    db.close();
  });

  it('lists oldest first and filters by status; removes', () => {
    const jobs = new JobRepository(lib.db);
    for (const id of ['j1', 'j2', 'j3']) jobs.insert({ id, file: `${id}.wav`, settings: null });
    jobs.update('j2', { status: 'done' });
    expect(jobs.list().map((j) => j.id)).toEqual(['j1', 'j2', 'j3']);
    expect(jobs.list({ statuses: ['queued', 'running'] }).map((j) => j.id)).toEqual(['j1', 'j3']);
    expect(jobs.remove('j1')).toBe(true);
    expect(jobs.remove('j1')).toBe(false);
    expect(jobs.list().map((j) => j.id)).toEqual(['j2', 'j3']);
  });

  it('clears the meeting link when the meeting is deleted', () => {
    const jobs = new JobRepository(lib.db);
    const meetings = new MeetingRepository(lib.db);
    const { id } = meetings.create(sampleMeeting());
    jobs.insert({ id: 'j', file: 'x.wav', settings: null });
    jobs.update('j', { meetingId: id, status: 'done' });
    meetings.delete(id);
    expect(jobs.get('j')!.meetingId).toBeNull();
  });

  it('answers mistakes with NOT_FOUND / INVALID_ARGUMENT, never a raw SQLite error', () => {
    const jobs = new JobRepository(lib.db);
    jobs.insert({ id: 'j', file: 'x.wav', settings: null });
    expect(jobs.get('nope')).toBeNull();
    expect(jobs.get(42 as unknown as string)).toBeNull();
    expect(() => jobs.update('nope', { status: 'done' })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(() => jobs.settingsOf('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => jobs.insert({ id: 'j', file: 'y.wav', settings: null })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const bad: JobPatch[] = [
      { status: 'exploded' as never },
      { stage: 'mixing' as never },
      { progress: Number.NaN },
      { attempts: -1 },
      { meetingId: 99_999 },
      { error: { code: 5, message: 'x' } as never },
    ];
    for (const patch of bad) {
      const expected = patch.meetingId ? 'NOT_FOUND' : 'INVALID_ARGUMENT';
      expect(() => jobs.update('j', patch), JSON.stringify(patch)).toThrow(
        expect.objectContaining({ code: expected }),
      );
    }
    expect(() => jobs.insert({ id: 'k', file: 'z.wav', settings: { big: 1n } })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(jobs.get('j')).toMatchObject({ status: 'queued', attempts: 0, meetingId: null });
  });
});

describe('SettingsRepository', () => {
  it('round-trips JSON values and falls back for missing keys', () => {
    const settings = new SettingsRepository(lib.db);
    expect(settings.get('theme', 'light')).toBe('light');
    settings.set('theme', 'dark');
    settings.set('hotwords', [{ phrase: '预算', weight: 30 }]);
    settings.set('engine', { port: 10095, gpu: false, name: null });
    expect(settings.get('theme', 'light')).toBe('dark');
    expect(settings.get('hotwords', [])).toEqual([{ phrase: '预算', weight: 30 }]);
    expect(settings.get('engine', {})).toEqual({ port: 10095, gpu: false, name: null });
    settings.set('theme', 'system');
    expect(settings.get('theme', 'light')).toBe('system');
    settings.set('theme', undefined);
    expect(settings.get('theme', 'light')).toBe('light');
  });

  it('rejects values JSON cannot hold and keeps the old value', () => {
    const settings = new SettingsRepository(lib.db);
    settings.set('n', 1);
    expect(() => settings.set('n', 5n)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => settings.set('n', () => 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => settings.set(7 as unknown as string, 1)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(settings.get('n', 0)).toBe(1);
  });
});
