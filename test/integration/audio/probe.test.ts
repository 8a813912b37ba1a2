import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaProbe } from '../../../src-shared/types.js';
import { locateFfmpeg, type FfmpegTools } from '../../../src-main/audio/ffmpeg-locate.js';
import { probeMedia } from '../../../src-main/audio/probe.js';
import { corpusCase, makeLeftToneWav, makeMp3WithCover, rejection, tempDir } from './media.js';

let withFfprobe: FfmpegTools;
let dir: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  withFfprobe = await locateFfmpeg();
  expect(withFfprobe.ffprobe).not.toBeNull();
  dir = await tempDir();
  files.stereo = join(dir, 'left tone.wav');
  files.cover = join(dir, 'with-cover.mp3');
  files.dir = join(dir, 'folder.mp3');
  files.empty = join(dir, 'empty.wav');
  await Promise.all([
    makeLeftToneWav(files.stereo),
    makeMp3WithCover(files.cover),
    mkdir(files.dir),
    writeFile(files.empty, ''),
  ]);
  for (const name of [
    '6-channel wav',
    'name with spaces and Chinese characters',
    'mp4 with audio',
    'webm opus',
  ]) {
    files[name] = (await corpusCase(name)).path;
  }
  for (const name of [
    'text file renamed .mp3',
    'corrupt wav header',
    'video without audio',
    'missing file',
  ]) {
    files[name] = (await corpusCase(name)).path;
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modes = [
  { mode: 'ffprobe', tools: () => withFfprobe },
  { mode: 'ffmpeg fallback', tools: () => ({ ...withFfprobe, ffprobe: null }) },
];

describe.each(modes)('probeMedia with $mode', ({ tools }) => {
  const probe = (key: string) => probeMedia(tools(), files[key]!);

  it('describes a stereo wav', async () => {
    expect(await probe('stereo')).toEqual<MediaProbe>({
      path: files.stereo!,
      format: 'wav',
      durationMs: 1000,
      hasAudio: true,
      hasVideo: false,
      codec: 'pcm_s16le',
      channels: 2,
      sampleRate: 44100,
    });
  });

  it('counts the channels of a 5.1 wav', async () => {
    expect((await probe('6-channel wav')).channels).toBe(6);
  });

  it('reads an m4a whose name has spaces and Chinese characters', async () => {
    const result = await probe('name with spaces and Chinese characters');
    expect(result).toMatchObject({ codec: 'aac', channels: 1, sampleRate: 44100, hasVideo: false });
    expect(result.format).toContain('mp4');
    expect(Math.abs(result.durationMs - 1000)).toBeLessThanOrEqual(30);
  });

  it('sees the video and the audio of an mp4', async () => {
    expect(await probe('mp4 with audio')).toMatchObject({
      hasVideo: true,
      hasAudio: true,
      codec: 'aac',
      sampleRate: 48000,
    });
  });

  it('does not count mp3 cover art as video', async () => {
    expect(await probe('cover')).toMatchObject({ hasVideo: false, codec: 'mp3', format: 'mp3' });
  });

  it.each([
    ['missing file', 'FILE_NOT_FOUND'],
    ['dir', 'NOT_A_FILE'],
    ['empty', 'EMPTY_FILE'],
    ['text file renamed .mp3', 'UNREADABLE_MEDIA'],
    ['corrupt wav header', 'UNREADABLE_MEDIA'],
    ['video without audio', 'NO_AUDIO_STREAM'],
  ])('rejects %s with %s', async (key, code) => {
    await expect(probe(key)).rejects.toMatchObject({ code });
  });

  it('explains unreadable media in words a user understands, without ffmpeg URL noise', async () => {
    const error = await rejection(probe('text file renamed .mp3'));
    expect(error.message).toMatch(/^"notes-renamed\.mp3" is not an audio or video file ffmpeg can read/);
    expect(error.message).not.toContain('file:');
  });

  it('stops with CANCELLED when the signal is already aborted', async () => {
    await expect(probeMedia(tools(), files.stereo!, AbortSignal.abort())).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });
});

describe('the two probe paths', () => {
  it('agree on every readable file', async () => {
    for (const key of [
      'stereo',
      'cover',
      '6-channel wav',
      'name with spaces and Chinese characters',
      'mp4 with audio',
      'webm opus',
    ]) {
      const a = await probeMedia(withFfprobe, files[key]!);
      const b = await probeMedia({ ...withFfprobe, ffprobe: null }, files[key]!);
      expect({ ...b, durationMs: 0 }).toEqual({ ...a, durationMs: 0 });
      expect(Math.abs(a.durationMs - b.durationMs)).toBeLessThanOrEqual(10);
    }
  });
});
