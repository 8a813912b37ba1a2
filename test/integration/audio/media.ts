// Shared helpers of the audio integration tests: real ffmpeg inputs, temp dirs and signal measures.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateBadInputs, type BadInputCase } from '../../fixtures/bad-inputs.js';

const run = promisify(execFile);

/** Where the bad-input corpus is generated (kept between runs, ignored by git). */
export const CORPUS_DIR = fileURLToPath(new URL('../../fixtures/generated/bad-inputs', import.meta.url));

/** The bad-input corpus, generated on first use. */
export async function corpusCase(name: string): Promise<BadInputCase> {
  const found = (await generateBadInputs(CORPUS_DIR)).find((c) => c.name === name);
  if (!found) throw new Error(`no corpus case "${name}"`);
  return found;
}

/** A new temp directory for one test file. */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'funscribe-audio-'));
}

/** Runs ffmpeg quietly with `args`, overwriting outputs. */
export async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args]);
}

/** Writes a 1 s 44.1 kHz stereo wav: a 440 Hz sine at half scale on the left, silence on the right. */
export function makeLeftToneWav(path: string): Promise<void> {
  return ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'aevalsrc=0.5*sin(2*PI*440*t)|0:s=44100:d=1',
    '-c:a',
    'pcm_s16le',
    path,
  ]);
}

/** Writes a 1 s mp3 whose cover art is a PNG picture stream (attached pic, not a video). */
export function makeMp3WithCover(path: string): Promise<void> {
  return ffmpeg([
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=1'],
    ...['-f', 'lavfi', '-i', 'color=c=red:size=64x64:duration=1', '-frames:v', '1'],
    ...[
      '-map',
      '0:a',
      '-map',
      '1:v',
      '-c:a',
      'libmp3lame',
      '-c:v',
      'png',
      '-disposition:v',
      'attached_pic',
      path,
    ],
  ]);
}

/** Root mean square of s16le samples, in sample units. */
export function rms(pcm: Buffer): number {
  let sum = 0;
  const samples = Math.floor(pcm.length / 2);
  for (let i = 0; i < samples; i++) sum += pcm.readInt16LE(i * 2) ** 2;
  return samples ? Math.sqrt(sum / samples) : 0;
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}
