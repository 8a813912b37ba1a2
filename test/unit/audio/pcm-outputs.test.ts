// The decoded files FunScribe writes from ffmpeg's stdout: stereo frames split anywhere between chunks arrive whole,
// and the mono file is their mix.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixStereoToMono, writePcmOutputs } from '../../../src-main/audio/pcm-outputs.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** Interleaved s16le stereo from [left, right] pairs. */
function stereo(frames: [number, number][]): Buffer {
  const buffer = Buffer.alloc(frames.length * 4);
  frames.forEach(([left, right], i) => {
    buffer.writeInt16LE(left, i * 4);
    buffer.writeInt16LE(right, i * 4 + 2);
  });
  return buffer;
}

/** The samples of an s16le buffer. */
function samples(buffer: Buffer): number[] {
  return Array.from({ length: buffer.length / 2 }, (_, i) => buffer.readInt16LE(i * 2));
}

describe('decoded PCM outputs', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeAll(async () => {
    temp = await makeTempDir('pcm-outputs');
  });
  afterAll(() => temp.remove());

  it('mixes left and right to their mean', () => {
    const mix = mixStereoToMono(
      stereo([
        [1000, -1000],
        [32767, 32767],
        [-32768, -32768],
        [3, 4],
        [-7, 0],
      ]),
    );
    expect(samples(mix)).toEqual([0, 32767, -32768, 4, -3]);
  });

  it('writes the stereo stream whole and its mix, whatever the chunk boundaries, dropping a half frame at the end', async () => {
    const frames = Array.from({ length: 1000 }, (_, i): [number, number] => [i * 31 - 15000, 20000 - i * 17]);
    const whole = stereo(frames);
    const chunks: Buffer[] = [];
    for (let at = 0, size = 1; at < whole.length; at += size, size = ((size * 7) % 13) + 1)
      chunks.push(whole.subarray(at, at + size));
    chunks.push(Buffer.from([1, 2]));
    const files = { monoPath: join(temp.path, 'a.pcm'), stereoPath: join(temp.path, 'a.stereo.pcm') };
    const seen: number[] = [];
    const monoBytes = await writePcmOutputs(Readable.from(chunks), files, (bytes) => seen.push(bytes));
    expect(await readFile(files.stereoPath)).toEqual(whole);
    expect(await readFile(files.monoPath)).toEqual(mixStereoToMono(whole));
    expect(monoBytes).toBe(frames.length * 2);
    expect(seen.at(-1)).toBe(whole.length + 2);
  });

  it('writes a mono stream as it comes', async () => {
    const mono = Buffer.from(Array.from({ length: 999 }, (_, i) => i % 256));
    const files = { monoPath: join(temp.path, 'b.pcm'), stereoPath: null };
    const written = await writePcmOutputs(
      Readable.from([mono.subarray(0, 501), mono.subarray(501)]),
      files,
      () => {},
    );
    expect(written).toBe(999);
    expect(await readFile(files.monoPath)).toEqual(mono);
  });
});
