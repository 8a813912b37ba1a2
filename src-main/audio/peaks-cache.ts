// What is derived from each meeting's audio, kept in the data folder as small files per meeting: the waveform peaks
// (waveforms/<id>.peaks: a JSON header line naming the audio file's size and modification time they were computed
// from, then the Int8 (min, max) pairs) and the probed duration and channels (waveforms/<id>.probe.json, keyed the
// same way). Both are rebuilt from the audio when it changes; keeping them out of the library database keeps its
// backups small and needs no migration.
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

/** The probed facts of an audio file a player needs, and the version of the file they were probed from. */
export interface CachedProbe {
  key: AudioFileKey;
  durationMs: number;
  channels: number;
}

/** The header line's format version; a file of another version is recomputed. */
const FORMAT_VERSION = 1;

/** The names of a meeting's cache files, and the suffix of a file being written (renamed when complete). */
const PEAKS_SUFFIX = '.peaks';
const PROBE_SUFFIX = '.probe.json';
const TEMP_SUFFIX = '.partial';

/** The folder of the peak files in a data folder. */
export function peaksDirOf(dataDir: string): string {
  return join(dataDir, 'waveforms');
}

/** The peak file of one meeting. */
function peaksFile(dir: string, meetingId: number): string {
  return join(dir, `${meetingId}${PEAKS_SUFFIX}`);
}

/** The probe file of one meeting. */
function probeFile(dir: string, meetingId: number): string {
  return join(dir, `${meetingId}${PROBE_SUFFIX}`);
}

/**
 * What a file name in the cache folder is: a meeting's complete cache file, one left half-written (with the
 * meeting's id), or null when it is no file of this cache.
 */
export function cacheFileOf(name: string): { meetingId: number; partial: boolean } | null {
  const partial = name.endsWith(TEMP_SUFFIX);
  const complete = partial ? name.slice(0, -TEMP_SUFFIX.length) : name;
  const suffix = [PEAKS_SUFFIX, PROBE_SUFFIX].find((end) => complete.endsWith(end));
  const id = suffix === undefined ? '' : complete.slice(0, -suffix.length);
  return /^[1-9]\d{0,15}$/.test(id) ? { meetingId: Number(id), partial } : null;
}

/** True when two keys name the same version of a file. */
export function sameAudioFile(a: AudioFileKey, b: AudioFileKey): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** The named finite numbers of a JSON object of this format version, or null when it is not one. */
function readNumbers<Name extends string>(text: string, names: readonly Name[]): Record<Name, number> | null {
  try {
    const object = JSON.parse(text) as Record<string, unknown>;
    if (object.version !== FORMAT_VERSION) return null;
    const numbers = names.map((name) => [name, object[name]] as const);
    if (!numbers.every(([, n]) => typeof n === 'number' && Number.isFinite(n))) return null;
    return Object.fromEntries(numbers) as Record<Name, number>;
  } catch {
    return null;
  }
}

/** Writes a file under a temporary name and renames it when complete, so a reader never sees half of it. */
async function writeWhole(dir: string, file: string, data: Buffer | string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temp = `${file}${TEMP_SUFFIX}`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
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
  const header =
    newline < 0
      ? null
      : readNumbers(data.subarray(0, newline).toString('utf8'), [
          'size',
          'mtimeMs',
          'bucketsPerSecond',
          'durationMs',
        ]);
  const body = data.subarray(newline + 1);
  if (!header || body.length % 2 !== 0) return null;
  const { size, mtimeMs, bucketsPerSecond, durationMs } = header;
  const minMax = new Int8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
  return { key: { size, mtimeMs }, peaks: { bucketsPerSecond, durationMs, minMax } };
}

/** Saves a meeting's peaks (under a temporary name, renamed when complete). */
export async function writeCachedPeaks(dir: string, meetingId: number, cached: CachedPeaks): Promise<void> {
  const { key, peaks } = cached;
  const header = JSON.stringify({
    version: FORMAT_VERSION,
    size: key.size,
    mtimeMs: key.mtimeMs,
    bucketsPerSecond: peaks.bucketsPerSecond,
    durationMs: peaks.durationMs,
  });
  const pairs = Buffer.from(peaks.minMax.buffer, peaks.minMax.byteOffset, peaks.minMax.byteLength);
  await writeWhole(dir, peaksFile(dir, meetingId), Buffer.concat([Buffer.from(`${header}\n`), pairs]));
}

/** The cached probe of a meeting's audio, or null when there is none (or the file is damaged or of another version). */
export async function readCachedProbe(dir: string, meetingId: number): Promise<CachedProbe | null> {
  const text = await readFile(probeFile(dir, meetingId), 'utf8').catch(() => null);
  const facts = text === null ? null : readNumbers(text, ['size', 'mtimeMs', 'durationMs', 'channels']);
  if (!facts) return null;
  const { size, mtimeMs, durationMs, channels } = facts;
  return { key: { size, mtimeMs }, durationMs, channels };
}

/** Saves the probe of a meeting's audio (under a temporary name, renamed when complete). */
export async function writeCachedProbe(dir: string, meetingId: number, cached: CachedProbe): Promise<void> {
  const { key, durationMs, channels } = cached;
  const text = JSON.stringify({ version: FORMAT_VERSION, ...key, durationMs, channels });
  await writeWhole(dir, probeFile(dir, meetingId), text);
}

/** Removes a meeting's cached peaks and probe, if any. */
export async function removeMeetingCache(dir: string, meetingId: number): Promise<void> {
  await Promise.all([
    rm(peaksFile(dir, meetingId), { force: true }),
    rm(probeFile(dir, meetingId), { force: true }),
  ]);
}
