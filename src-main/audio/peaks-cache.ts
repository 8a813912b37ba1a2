// The waveform peaks of each meeting, kept in the data folder as one small file per meeting (waveforms/<id>.peaks):
// a JSON header line naming the audio file's size and modification time they were computed from, then the Int8
// (min, max) pairs. Peaks are derived data, rebuilt from the audio when it changes; keeping them out of the library
// database keeps its backups small and needs no migration.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComputedPeaks } from './waveform-peaks.js';

/** What identifies one version of an audio file: its size and its modification time. */
export interface AudioFileKey {
  size: number;
  mtimeMs: number;
}

/** Cached peaks and the version of the audio file they were computed from. */
export interface CachedPeaks {
  key: AudioFileKey;
  peaks: ComputedPeaks;
}

/** The header line's format version; a file of another version is recomputed. */
const FORMAT_VERSION = 1;

/** The folder of the peak files in a data folder. */
export function peaksDirOf(dataDir: string): string {
  return join(dataDir, 'waveforms');
}

/** The peak file of one meeting. */
function peaksFile(dir: string, meetingId: number): string {
  return join(dir, `${meetingId}.peaks`);
}

/** True when two keys name the same version of a file. */
export function sameAudioFile(a: AudioFileKey, b: AudioFileKey): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** A header as written, or null when it is not one of this version. */
function parseHeader(text: string): (AudioFileKey & Omit<ComputedPeaks, 'minMax'>) | null {
  try {
    const header = JSON.parse(text) as Record<string, unknown>;
    const numbers = ['size', 'mtimeMs', 'bucketsPerSecond', 'durationMs'].map((name) => header[name]);
    if (
      header.version !== FORMAT_VERSION ||
      !numbers.every((n) => typeof n === 'number' && Number.isFinite(n))
    )
      return null;
    const [size, mtimeMs, bucketsPerSecond, durationMs] = numbers as number[];
    return { size: size!, mtimeMs: mtimeMs!, bucketsPerSecond: bucketsPerSecond!, durationMs: durationMs! };
  } catch {
    return null;
  }
}

/** The cached peaks of a meeting, or null when there are none (or the file is damaged or of another version). */
export async function readCachedPeaks(dir: string, meetingId: number): Promise<CachedPeaks | null> {
  let data: Buffer;
  try {
    data = await readFile(peaksFile(dir, meetingId));
  } catch {
    return null;
  }
  const newline = data.indexOf(0x0a);
  const header = newline < 0 ? null : parseHeader(data.subarray(0, newline).toString('utf8'));
  const body = data.subarray(newline + 1);
  if (!header || body.length % 2 !== 0) return null;
  const { size, mtimeMs, bucketsPerSecond, durationMs } = header;
  const minMax = new Int8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
  return { key: { size, mtimeMs }, peaks: { bucketsPerSecond, durationMs, minMax } };
}

/** Saves a meeting's peaks (under a temporary name, renamed when complete). */
export async function writeCachedPeaks(dir: string, meetingId: number, cached: CachedPeaks): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { key, peaks } = cached;
  const header = JSON.stringify({
    version: FORMAT_VERSION,
    size: key.size,
    mtimeMs: key.mtimeMs,
    bucketsPerSecond: peaks.bucketsPerSecond,
    durationMs: peaks.durationMs,
  });
  const file = peaksFile(dir, meetingId);
  const temp = `${file}.partial`;
  try {
    await writeFile(
      temp,
      Buffer.concat([
        Buffer.from(`${header}\n`),
        Buffer.from(peaks.minMax.buffer, peaks.minMax.byteOffset, peaks.minMax.byteLength),
      ]),
    );
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Removes a meeting's cached peaks, if any. */
export async function removeCachedPeaks(dir: string, meetingId: number): Promise<void> {
  await rm(peaksFile(dir, meetingId), { force: true });
}
