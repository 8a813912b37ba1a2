// The playback copy with the real ffmpeg: Opus in WebM, mono or stereo as decoded, complete or not there at all.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAudioCopy } from '../../../src-main/audio/audio-copy.js';
import { decodeToPcm } from '../../../src-main/audio/decode.js';
import { locateFfmpeg, type FfmpegTools } from '../../../src-main/audio/ffmpeg-locate.js';
import { extractChannel } from '../../../src-main/audio/pcm.js';
import { ffmpegWithoutOpus, probeCopy } from '../../helpers/audio-copy-checks.js';
import { ffmpeg, makeLeftToneWav, rejection, rms, tempDir } from './media.js';

const run = promisify(execFile);

let tools: FfmpegTools;
let dir: string;

/** Decodes a copy back to 16 kHz PCM with `channels` channels. */
async function decodeBack(path: string, channels: 1 | 2): Promise<Buffer> {
  const out = `${path}.back.pcm`;
  await ffmpeg(['-i', path, '-ac', String(channels), '-ar', '16000', '-f', 's16le', out]);
  return readFile(out);
}

beforeAll(async () => {
  tools = await locateFfmpeg();
  dir = await tempDir();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeAudioCopy', () => {
  it('keeps the two channels of a stereo decode apart, in Opus in WebM, under the final name only', async () => {
    const input = join(dir, 'left tone.wav');
    await makeLeftToneWav(input);
    const decoded = await decodeToPcm(tools, input, join(dir, 'stereo'));
    const out = join(dir, 'stereo.webm');
    const fractions: number[] = [];
    await writeAudioCopy(tools, { pcmPath: decoded.stereoPcmPath!, channels: 2 }, out, {
      onProgress: (fraction) => fractions.push(fraction),
    });

    const copy = await probeCopy(out);
    expect(copy).toMatchObject({ codec: 'opus', channels: 2, format: 'matroska,webm' });
    expect(Math.abs(copy.ms - decoded.durationMs)).toBeLessThan(60);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(existsSync(`${out}.partial`)).toBe(false);

    const back = await decodeBack(out, 2);
    await writeFile(join(dir, 'back.stereo.pcm'), back);
    await extractChannel(join(dir, 'back.stereo.pcm'), 0, join(dir, 'back.left.pcm'));
    await extractChannel(join(dir, 'back.stereo.pcm'), 1, join(dir, 'back.right.pcm'));
    expect(rms(await readFile(join(dir, 'back.left.pcm')))).toBeGreaterThan(5000);
    expect(rms(await readFile(join(dir, 'back.right.pcm')))).toBeLessThan(100);
  });

  it('writes mono as mono, about 32 kbit/s at most', async () => {
    const input = join(dir, 'tone.wav');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=16000:duration=10', input]);
    const decoded = await decodeToPcm(tools, input, join(dir, 'mono'));
    const out = join(dir, 'mono.webm');
    await writeAudioCopy(tools, { pcmPath: decoded.pcmPath, channels: 1 }, out);
    const copy = await probeCopy(out);
    expect(copy).toMatchObject({ codec: 'opus', channels: 1 });
    expect(Math.abs(copy.ms - 10_000)).toBeLessThan(60);
    const bytes = (await stat(out)).size;
    // 32 kbit/s of Opus plus the container's few bytes a second: about an eighth of the 256 kbit/s PCM.
    expect(bytes).toBeLessThan((10 * 34_000) / 8);
    expect(bytes).toBeLessThan((await stat(decoded.pcmPath)).size / 7);
    expect(rms(await decodeBack(out, 1))).toBeGreaterThan(0.5 * rms(await readFile(decoded.pcmPath)));
  });

  it('ends with CANCELLED and leaves nothing when cancelled while encoding', async () => {
    const pcm = join(dir, 'long.pcm');
    await ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=r=16000:d=600', '-ac', '1', '-f', 's16le', pcm]);
    const folder = join(dir, 'cancelled');
    await mkdir(folder);
    const controller = new AbortController();
    const error = await rejection(
      writeAudioCopy(tools, { pcmPath: pcm, channels: 1 }, join(folder, 'long.webm'), {
        signal: controller.signal,
        onProgress: (fraction) => fraction > 0.05 && controller.abort(),
      }),
    );
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(await readdir(folder)).toEqual([]);
  });

  it('says AUDIO_COPY_FAILED with ffmpeg’s reason, and leaves nothing, when this ffmpeg has no Opus encoder', async () => {
    const fake = await ffmpegWithoutOpus(dir);
    const folder = join(dir, 'no-opus');
    await mkdir(folder);
    const pcm = join(dir, 'short.pcm');
    await writeFile(pcm, Buffer.alloc(32_000 * 3));
    const error = await rejection(
      writeAudioCopy({ ...tools, ffmpeg: fake }, { pcmPath: pcm, channels: 1 }, join(folder, 'short.webm')),
    );
    expect(error).toMatchObject({ code: 'AUDIO_COPY_FAILED' });
    expect((error as Error).message).toContain("Unknown encoder 'libopus'");
    expect(await readdir(folder)).toEqual([]);
  });
});

describe('writeAudioCopy on a full disk', () => {
  const mount = join('/tmp', `funscribe-copy-tmpfs-${process.pid}`);

  beforeAll(async () => {
    await mkdir(mount, { recursive: true });
    await run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
  });

  afterAll(async () => {
    await run('umount', [mount]).catch(() => undefined);
    await rm(mount, { recursive: true, force: true });
  });

  it('says DISK_FULL and leaves no partial file', async () => {
    const pcm = join(dir, 'minute.pcm');
    await ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=r=16000:d=60', '-ac', '1', '-f', 's16le', pcm]);
    const error = await rejection(
      writeAudioCopy(tools, { pcmPath: pcm, channels: 1 }, join(mount, 'minute.webm')),
    );
    expect(error).toMatchObject({ code: 'DISK_FULL' });
    expect(await readdir(mount)).toEqual([]);
  });
});
