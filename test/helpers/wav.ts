// Reads the 16 kHz mono WAV files the fixture generators write.
import { readFile } from 'node:fs/promises';

/** The s16le samples of a fixture WAV (44-byte header, as `wavHeader` writes it) as floats in [-1, 1]. */
export async function readMonoWav(path: string): Promise<Float32Array> {
  const data = (await readFile(path)).subarray(44);
  const samples = new Float32Array(data.length / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2) / 32768;
  return samples;
}
