import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  extractChannel,
  msToPcmBytes,
  PCM_SAMPLE_RATE,
  pcmBytesToMs,
  readPcmFrames,
  wavHeader,
} from '../../../src-main/audio/pcm.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'funscribe-pcm-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(frames: AsyncGenerator<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const frame of frames) out.push(frame);
  return out;
}

describe('PCM size and time', () => {
  it('converts between bytes and ms of 16 kHz mono s16le', () => {
    expect(PCM_SAMPLE_RATE).toBe(16000);
    expect(pcmBytesToMs(32000)).toBe(1000);
    expect(pcmBytesToMs(345_600_000)).toBe(3 * 3600 * 1000);
    expect(msToPcmBytes(1000)).toBe(32000);
    expect(pcmBytesToMs(msToPcmBytes(123_456))).toBe(123_456);
  });

  it('aligns byte offsets to whole samples and never goes negative', () => {
    expect(msToPcmBytes(1.53)).toBe(48);
    expect(msToPcmBytes(0.01)).toBe(0);
    expect(msToPcmBytes(-5)).toBe(0);
    for (const ms of [0.3, 7.77, 1234.5678]) expect(msToPcmBytes(ms) % 2).toBe(0);
  });
});

describe('readPcmFrames', () => {
  const bytes = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 7) % 256));

  it('yields frames of exactly frameBytes and a shorter last one, covering the whole file', async () => {
    const path = join(dir, 'frames.pcm');
    await writeFile(path, bytes);
    const frames = await collect(readPcmFrames(path, 3200));
    expect(frames.map((f) => f.length)).toEqual([3200, 3200, 3200, 400]);
    expect(Buffer.concat(frames).equals(bytes)).toBe(true);
  });

  it('yields no empty frame when the size is a multiple of frameBytes, and nothing for an empty file', async () => {
    const path = join(dir, 'even.pcm');
    await writeFile(path, bytes.subarray(0, 8000));
    expect((await collect(readPcmFrames(path, 2000))).map((f) => f.length)).toEqual([2000, 2000, 2000, 2000]);
    const empty = join(dir, 'empty.pcm');
    await writeFile(empty, '');
    expect(await collect(readPcmFrames(empty, 2000))).toEqual([]);
  });

  it('stops with CANCELLED when the signal aborts', async () => {
    const path = join(dir, 'cancel.pcm');
    await writeFile(path, bytes);
    const controller = new AbortController();
    const seen: number[] = [];
    const run = (async () => {
      for await (const frame of readPcmFrames(path, 1000, controller.signal)) {
        seen.push(frame.length);
        if (seen.length === 2) controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toHaveLength(2);
  });

  it('rejects a frame size that is not a positive integer', async () => {
    await expect(collect(readPcmFrames(join(dir, 'frames.pcm'), 0))).rejects.toThrow(RangeError);
  });
});

describe('extractChannel', () => {
  it('keeps one channel of interleaved stereo, across stream chunks, and drops a trailing partial frame', async () => {
    const frames = 50_000;
    const stereo = Buffer.alloc(frames * 4 + 3);
    for (let i = 0; i < frames; i++) {
      stereo.writeInt16LE((i % 30000) - 15000, i * 4);
      stereo.writeInt16LE(-((i * 3) % 20000), i * 4 + 2);
    }
    const stereoPath = join(dir, 'both.stereo.pcm');
    await writeFile(stereoPath, stereo);
    for (const channel of [0, 1] as const) {
      const out = join(dir, `channel-${channel}.pcm`);
      await extractChannel(stereoPath, channel, out);
      const mono = await readFile(out);
      expect(mono.length).toBe(frames * 2);
      for (const i of [0, 1, 16383, 16384, 16385, 32768, frames - 1]) {
        expect(mono.readInt16LE(i * 2)).toBe(stereo.readInt16LE(i * 4 + channel * 2));
      }
    }
  });
});

describe('wavHeader', () => {
  it('writes a 44-byte canonical PCM header', () => {
    const header = wavHeader(64_000, 16000, 2);
    expect(header.length).toBe(44);
    expect(header.toString('ascii', 0, 4)).toBe('RIFF');
    expect(header.readUInt32LE(4)).toBe(36 + 64_000);
    expect(header.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect(header.readUInt16LE(20)).toBe(1);
    expect(header.readUInt16LE(22)).toBe(2);
    expect(header.readUInt32LE(24)).toBe(16000);
    expect(header.readUInt32LE(28)).toBe(64_000);
    expect(header.readUInt16LE(32)).toBe(4);
    expect(header.readUInt16LE(34)).toBe(16);
    expect(header.toString('ascii', 36, 40)).toBe('data');
    expect(header.readUInt32LE(40)).toBe(64_000);
  });
});
