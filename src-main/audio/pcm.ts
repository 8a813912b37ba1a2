// The 16 kHz s16le PCM files every later stage reads: size/time arithmetic, framed reading, channel extraction, WAV headers.
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { throwIfAborted } from '../util/errors.js';

/** The sample rate of every decoded PCM file. */
export const PCM_SAMPLE_RATE = 16000;

/** Bytes per sample of s16le. */
export const PCM_BYTES_PER_SAMPLE = 2;

const BYTES_PER_MS = (PCM_SAMPLE_RATE * PCM_BYTES_PER_SAMPLE) / 1000;

/** Duration in ms (rounded) of `bytes` of 16 kHz mono s16le. */
export function pcmBytesToMs(bytes: number): number {
  return Math.round(bytes / BYTES_PER_MS);
}

/** Byte offset of `ms` into 16 kHz mono s16le, rounded to a whole sample; never negative. */
export function msToPcmBytes(ms: number): number {
  return Math.max(0, Math.round((ms * PCM_SAMPLE_RATE) / 1000)) * PCM_BYTES_PER_SAMPLE;
}

/** The s16le samples of `pcm` as an Int16Array over the same bytes, copied only when they are not 2-byte aligned. */
export function pcmSamples(pcm: Uint8Array): Int16Array {
  const aligned = pcm.byteOffset % PCM_BYTES_PER_SAMPLE === 0 ? pcm : pcm.slice();
  return new Int16Array(
    aligned.buffer,
    aligned.byteOffset,
    Math.floor(aligned.byteLength / PCM_BYTES_PER_SAMPLE),
  );
}

/** Streams a PCM file as frames of exactly `frameBytes` bytes (the last one may be shorter); each frame is a new Buffer. */
export async function* readPcmFrames(
  path: string,
  frameBytes: number,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  if (!Number.isInteger(frameBytes) || frameBytes <= 0)
    throw new RangeError(`frameBytes must be a positive integer`);
  const file = await open(path, 'r');
  try {
    for (;;) {
      throwIfAborted(signal);
      const frame = Buffer.allocUnsafe(frameBytes);
      let filled = 0;
      while (filled < frameBytes) {
        const { bytesRead } = await file.read(frame, filled, frameBytes - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled > 0) yield filled === frameBytes ? frame : frame.subarray(0, filled);
      if (filled < frameBytes) return;
    }
  } finally {
    await file.close();
  }
}

/** Keeps one channel of interleaved 2-channel s16le, carrying partial frames across chunk boundaries. */
class ChannelPicker extends Transform {
  private carry = Buffer.alloc(0);

  constructor(private readonly channel: 0 | 1) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const frames = Math.floor(data.length / 4);
    const out = Buffer.allocUnsafe(frames * 2);
    for (let i = 0, from = this.channel * 2; i < frames; i++, from += 4) {
      out[i * 2] = data[from] ?? 0;
      out[i * 2 + 1] = data[from + 1] ?? 0;
    }
    this.carry = Buffer.from(data.subarray(frames * 4));
    callback(null, out);
  }
}

/** Writes channel 0 (left) or 1 (right) of an interleaved 16 kHz stereo s16le file as a mono s16le file, streaming. */
export async function extractChannel(stereoPcmPath: string, channel: 0 | 1, outPath: string): Promise<void> {
  await pipeline(createReadStream(stereoPcmPath), new ChannelPicker(channel), createWriteStream(outPath));
}

/** A 44-byte canonical WAV header for `dataBytes` of 16-bit PCM with the given rate and channel count. */
export function wavHeader(dataBytes: number, sampleRate: number, channels: number): Buffer {
  const header = Buffer.alloc(44);
  const blockAlign = channels * PCM_BYTES_PER_SAMPLE;
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(PCM_BYTES_PER_SAMPLE * 8, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}
