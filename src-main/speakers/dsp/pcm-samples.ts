// Reading parts of the stored 16 kHz mono s16le PCM as floats, and its cepstra chunk by chunk (memory stays bounded).
import { open, type FileHandle } from 'node:fs/promises';
import { throwIfAborted } from '../../util/errors.js';
import { computeFbank, frameCount, FRAME_LENGTH, FRAME_SHIFT } from './fbank.js';
import { CEPSTRA, cepstraFromFbank } from './mfcc-stats.js';

/** Frames computed per read (60 s of audio). */
const CHUNK_FRAMES = 6000;

/** `count` samples from sample `start` as floats in [-1, 1]; past the end of the file they are 0. */
export async function readSamples(file: FileHandle, start: number, count: number): Promise<Float32Array> {
  const bytes = Buffer.alloc(count * 2);
  const { bytesRead } = await file.read(bytes, 0, bytes.length, start * 2);
  const samples = new Float32Array(count);
  for (let i = 0; i < bytesRead >> 1; i++) samples[i] = bytes.readInt16LE(i * 2) / 32768;
  return samples;
}

/** Flat cepstra (frame-major, CEPSTRA per frame) of a whole PCM file, computed one minute at a time. */
export async function cepstraOfPcmFile(path: string, signal?: AbortSignal): Promise<Float32Array> {
  const file = await open(path, 'r');
  try {
    const total = frameCount(Math.floor((await file.stat()).size / 2));
    const out = new Float32Array(total * CEPSTRA);
    for (let first = 0; first < total; first += CHUNK_FRAMES) {
      throwIfAborted(signal);
      const end = Math.min(total, first + CHUNK_FRAMES);
      const samples = await readSamples(
        file,
        first * FRAME_SHIFT,
        (end - first - 1) * FRAME_SHIFT + FRAME_LENGTH,
      );
      out.set(cepstraFromFbank(computeFbank(samples)), first * CEPSTRA);
    }
    return out;
  } finally {
    await file.close();
  }
}
