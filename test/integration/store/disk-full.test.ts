// A full disk (a small tmpfs, filled with one file): saving a meeting and decoding audio fail with a plain DISK_FULL
// and leave the library as it was, and `funscribe list` keeps working because opening the library writes nothing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { locateFfmpeg } from '../../../src-main/audio/ffmpeg-locate.js';
import { decodeToPcm } from '../../../src-main/audio/decode.js';
import { DATABASE_FILE } from '../../../src-main/application/library-maintenance.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { runCli, runCliJson } from '../../helpers/run-cli.js';
import { sampleMeeting } from './sample-meetings.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'funscribe-full-'));
const filler = join(mountPoint, 'filler');

beforeAll(() => {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint]);
});
afterAll(() => {
  execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});
afterEach(() => {
  for (const name of ['filler', 'data']) rmSync(join(mountPoint, name), { recursive: true, force: true });
});

/** Writes one file until the file system has no space left. */
function fillDisk(): void {
  expect(() => writeFileSync(filler, Buffer.alloc(64 * 1024 * 1024))).toThrow(/ENOSPC/);
}

/** A meeting with `count` long sentences. */
function bigMeeting(title: string, count: number) {
  return sampleMeeting({
    title,
    segments: Array.from({ length: count }, (_, i) => ({
      startMs: i * 1000,
      endMs: i * 1000 + 900,
      text: `Sentence ${i}: 这是一段很长的会议记录 with a lot of words to fill the pages of the library file.`,
      speakerIndex: 0,
      tokens: [],
    })),
  });
}

/** A data folder on the small file system with one stored meeting. */
function dataDirWithMeeting(): string {
  const dataDir = join(mountPoint, 'data');
  mkdirSync(join(dataDir, 'audio'), { recursive: true });
  const db = openDatabase(join(dataDir, DATABASE_FILE));
  new MeetingRepository(db).create(sampleMeeting({ title: 'before the disk filled' }));
  db.close();
  return dataDir;
}

describe('a full disk', () => {
  it('saving a meeting fails with DISK_FULL and the library is unchanged', () => {
    const dataDir = dataDirWithMeeting();
    const db = openDatabase(join(dataDir, DATABASE_FILE));
    try {
      const meetings = new MeetingRepository(db);
      fillDisk();
      expect(() => meetings.create(bigMeeting('too big', 5000))).toThrow(
        expect.objectContaining({
          code: 'DISK_FULL',
          message: expect.stringMatching(/disk .* is full.*Free some space/),
        }),
      );
      rmSync(filler);
      expect(meetings.list().map((m) => m.title)).toEqual(['before the disk filled']);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // Once there is space again, saving works.
      meetings.create(bigMeeting('after', 100));
      expect(meetings.count()).toBe(2);
    } finally {
      db.close();
    }
  });

  it('funscribe list keeps working and transcribe says DISK_FULL', { timeout: 120_000 }, async () => {
    const dataDir = dataDirWithMeeting();
    fillDisk();
    const list = await runCliJson<{ meetings: { title: string }[] }>(dataDir, ['list']);
    expect(list.code).toBe(0);
    expect(list.json.meetings.map((m) => m.title)).toEqual(['before the disk filled']);
    const show = await runCli(dataDir, ['show', '1']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('The project budget is approved.');
    const wav = join(tmpdir(), `funscribe-full-${process.pid}.wav`);
    execFileSync((await locateFfmpeg()).ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=d=2', wav]);
    try {
      const transcribe = await runCli(dataDir, ['transcribe', wav, '--server', 'ws://127.0.0.1:9']);
      expect(transcribe.code).not.toBe(0);
      expect(transcribe.stdout + transcribe.stderr).toMatch(/DISK_FULL/);
    } finally {
      rmSync(wav, { force: true });
    }
    rmSync(filler);
    expect((await runCliJson<{ state: string }>(dataDir, ['library', 'check'])).json.state).toBe('ok');
  });

  it('decoding into a full audio folder fails with DISK_FULL and leaves no partial file', async () => {
    const tools = await locateFfmpeg();
    const wav = join(tmpdir(), `funscribe-decode-full-${process.pid}.wav`);
    execFileSync(tools.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=d=30', wav]);
    const audioDir = join(mountPoint, 'data', 'audio');
    mkdirSync(audioDir, { recursive: true });
    fillDisk();
    try {
      await expect(decodeToPcm(tools, wav, join(audioDir, 'meeting'))).rejects.toMatchObject({
        code: 'DISK_FULL',
        message: expect.stringMatching(/disk is full.*decoded audio/),
      });
      expect(execFileSync('ls', ['-A', audioDir], { encoding: 'utf8' })).toBe('');
    } finally {
      rmSync(wav, { force: true });
    }
  });
});
