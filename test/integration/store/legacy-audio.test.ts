// Meetings from before audio copies, over a real SQLite library with real PCM files and the real ffmpeg: their raw PCM
// becomes an Opus copy (or no audio when copies are off), and nothing else changes.
import { existsSync, mkdirSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { locateFfmpeg } from '../../../src-main/audio/ffmpeg-locate.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { upgradeLegacyAudio } from '../../../src-main/store/legacy-audio.js';
import { probeCopy } from '../../helpers/audio-copy-checks.js';
import { sampleMeeting } from './sample-meetings.js';
import { tempLibrary, type TempLibrary } from './temp-library.js';

let lib: TempLibrary;
let meetings: MeetingRepository;
let audioDir: string;

/** Three seconds of a 16 kHz mono s16le tone. */
function tonePcm(): Buffer {
  const samples = new Int16Array(3 * 16_000);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 300 * i) / 16_000));
  return Buffer.from(samples.buffer);
}

/** A meeting whose audio path is `name` in the audio folder, the file written when `content` is given. */
async function meetingWith(name: string, content?: Buffer): Promise<number> {
  const path = join(audioDir, name);
  if (content) await writeFile(path, content);
  return meetings.create({ ...sampleMeeting(), audioPath: path }).id;
}

/** Runs the upgrade with copies kept or not. */
function upgrade(keepAudioCopies: boolean, signal = new AbortController().signal): Promise<number> {
  return upgradeLegacyAudio({
    meetings,
    audioDir,
    ffmpeg: () => locateFfmpeg(),
    keepAudioCopies: () => keepAudioCopies,
    signal,
  });
}

beforeEach(() => {
  lib = tempLibrary();
  meetings = new MeetingRepository(lib.db);
  audioDir = join(lib.dir, 'audio');
  mkdirSync(audioDir);
});
afterEach(() => lib.cleanup());

describe('upgradeLegacyAudio', () => {
  it('turns a meeting’s raw PCM into a mono Opus copy, drops a PCM that is gone, and leaves copies alone', async () => {
    const legacy = await meetingWith('job-a.pcm', tonePcm());
    const missing = await meetingWith('job-b.pcm');
    const current = await meetingWith('job-c.webm', Buffer.from('an Opus copy'));

    expect(await upgrade(true)).toBe(2);
    const copy = meetings.get(legacy)!.audioPath!;
    expect(copy).toBe(join(audioDir, 'job-a.webm'));
    const probed = await probeCopy(copy);
    expect(probed).toMatchObject({ codec: 'opus', channels: 1 });
    expect(Math.abs(probed.ms - 3000)).toBeLessThan(60);
    expect(meetings.get(missing)!.audioPath).toBeNull();
    expect(meetings.get(current)!.audioPath).toBe(join(audioDir, 'job-c.webm'));
    expect((await readdir(audioDir)).sort()).toEqual(['job-a.webm', 'job-c.webm']);
    expect(await upgrade(true)).toBe(0);
  });

  it('removes the PCM and keeps no audio when copies are off', async () => {
    const legacy = await meetingWith('job-a.pcm', tonePcm());
    expect(await upgrade(false)).toBe(1);
    expect(meetings.get(legacy)!.audioPath).toBeNull();
    expect(await readdir(audioDir)).toEqual([]);
  });

  it('changes nothing once stopped, and stops quietly when the library is closed', async () => {
    const legacy = await meetingWith('job-a.pcm', tonePcm());
    const stopped = new AbortController();
    stopped.abort();
    expect(await upgrade(true, stopped.signal)).toBe(0);
    expect(meetings.get(legacy)!.audioPath).toBe(join(audioDir, 'job-a.pcm'));
    lib.db.close();
    expect(await upgrade(true)).toBe(0);
    expect(existsSync(join(audioDir, 'job-a.pcm'))).toBe(true);
  });
});
