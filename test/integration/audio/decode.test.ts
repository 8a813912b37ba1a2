import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeToPcm } from '../../../src-main/audio/decode.js';
import { locateFfmpeg, type FfmpegTools } from '../../../src-main/audio/ffmpeg-locate.js';
import { extractChannel } from '../../../src-main/audio/pcm.js';
import { probeMedia } from '../../../src-main/audio/probe.js';
import { corpusCase, ffmpeg, makeLeftToneWav, rejection, rms, tempDir } from './media.js';

let tools: FfmpegTools;
let dir: string;

beforeAll(async () => {
  tools = await locateFfmpeg();
  dir = await tempDir();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('decodeToPcm', () => {
  it.each([
    'mp3 with noise',
    'name with spaces and Chinese characters',
    'flac',
    'ogg vorbis',
    'ogg opus',
    'webm opus',
    '8-bit wav',
    '24-bit wav',
    'float wav',
    '96 kHz wav',
    'mkv with audio',
    'mov with audio',
  ])('decodes %s to 16 kHz mono whose length matches its 1 s duration', async (name) => {
    const input = await corpusCase(name);
    const out = join(dir, 'formats', name);
    const decoded = await decodeToPcm(tools, input.path, out);
    const bytes = (await stat(decoded.pcmPath)).size;
    expect(decoded.pcmPath).toBe(`${out}.pcm`);
    expect(bytes % 2).toBe(0);
    expect(Math.abs(bytes - decoded.durationMs * 32)).toBeLessThanOrEqual(16);
    expect(Math.abs(decoded.durationMs - 1000)).toBeLessThanOrEqual(25);
    expect(decoded.stereoPcmPath).toBeNull();
    expect(rms(await readFile(decoded.pcmPath))).toBeGreaterThan(1000);
  });

  it('writes left and right of two-channel input to a stereo file and mixes them down at half amplitude', async () => {
    const input = join(dir, 'left tone.wav');
    await makeLeftToneWav(input);
    const out = join(dir, '立体声 stereo');
    const decoded = await decodeToPcm(tools, input, out);
    expect(decoded.stereoPcmPath).toBe(`${out}.stereo.pcm`);
    expect(decoded.durationMs).toBe(1000);
    expect((await stat(decoded.stereoPcmPath!)).size).toBe(2 * (await stat(decoded.pcmPath)).size);

    const left = join(dir, 'left.pcm');
    const right = join(dir, 'right.pcm');
    await extractChannel(decoded.stereoPcmPath!, 0, left);
    await extractChannel(decoded.stereoPcmPath!, 1, right);
    const leftRms = rms(await readFile(left));
    const monoRms = rms(await readFile(decoded.pcmPath));
    expect(leftRms / (0.5 * 32767 * Math.SQRT1_2)).toBeCloseTo(1, 1);
    expect(rms(await readFile(right))).toBeLessThan(5);
    expect(monoRms / leftRms).toBeCloseTo(0.5, 1);
  });

  it('mixes every channel of 5.1 input into the mono file', async () => {
    const input = join(dir, 'back-right only.wav');
    const source = 'aevalsrc=0|0|0|0|0|0.5*sin(2*PI*300*t):s=48000:d=1:channel_layout=5.1';
    await ffmpeg(['-f', 'lavfi', '-i', source, '-c:a', 'pcm_s16le', input]);
    const decoded = await decodeToPcm(tools, input, join(dir, 'surround'));
    expect(decoded.probe.channels).toBe(6);
    expect(decoded.stereoPcmPath).toBeNull();
    expect(rms(await readFile(decoded.pcmPath))).toBeGreaterThan(500);
  });

  it('decodes what there is of a truncated mp3', async () => {
    const input = await corpusCase('truncated mp3');
    const decoded = await decodeToPcm(tools, input.path, join(dir, 'truncated'));
    expect(decoded.probe.durationMs).toBeGreaterThan(3500);
    expect(decoded.durationMs).toBeGreaterThan(1500);
    expect(decoded.durationMs).toBeLessThan(2600);
  });

  it('reports rising progress that ends at 1', async () => {
    const input = await corpusCase('flac');
    const seen: number[] = [];
    await decodeToPcm(tools, input.path, join(dir, 'progress'), { onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]!))).toBe(true);
  });

  it('on cancel kills ffmpeg, removes partial files and never shows a complete-looking file', async () => {
    const input = await corpusCase('three hours of silence');
    const outDir = join(dir, 'cancelled');
    const out = join(outDir, 'long');
    const controller = new AbortController();
    let partialSeen = false;
    const run = decodeToPcm(tools, input.path, out, {
      signal: controller.signal,
      onProgress: (fraction) => {
        if (fraction <= 0 || controller.signal.aborted) return;
        partialSeen = existsSync(`${out}.pcm.partial`);
        expect(existsSync(`${out}.pcm`)).toBe(false);
        controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(partialSeen).toBe(true);
    expect(await readdir(outDir)).toEqual([]);
  });

  it('does not start when the signal is already aborted', async () => {
    const input = await corpusCase('flac');
    const outDir = join(dir, 'pre-aborted');
    await expect(
      decodeToPcm(tools, input.path, join(outDir, 'x'), { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(existsSync(outDir)).toBe(false);
  });

  it('fails with DECODE_FAILED quoting ffmpeg when ffmpeg cannot produce the output', async () => {
    const input = await corpusCase('video without audio');
    const staleProbe = { ...(await probeMedia(tools, (await corpusCase('flac')).path)), path: input.path };
    const outDir = join(dir, 'failed');
    const error = await rejection(decodeToPcm(tools, input.path, join(outDir, 'x'), { probe: staleProbe }));
    expect(error).toMatchObject({ code: 'DECODE_FAILED' });
    expect(error.message).toMatch(/^Could not decode "video-no-audio\.mp4": .*matches no streams/);
    expect(await readdir(outDir)).toEqual([]);
  });

  it('fails with the probe error before running ffmpeg on unusable input', async () => {
    const input = await corpusCase('text file renamed .mp3');
    await expect(decodeToPcm(tools, input.path, join(dir, 'text'))).rejects.toMatchObject({
      code: 'UNREADABLE_MEDIA',
    });
  });
});
