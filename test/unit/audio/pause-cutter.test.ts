import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utterancesAtPauses, type SpeechUtterance } from '../../../src-main/audio/pause-cutter.js';
import { seededRandom } from '../../../src-main/util/seeded-random.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const SAMPLES_PER_MS = 16;

/** A stretch of "speech": a tone whose loudness rises and falls like syllables, with optional deep dips. */
interface Voice {
  startMs: number;
  endMs: number;
  /** Peak amplitude (default 8000). */
  amplitude?: number;
  /** Where the level dips to a twentieth for 60 ms (a breath between words), in ms from the file start. */
  dipsAtMs?: number[];
}

/** Builds PCM: uniform noise of `noise` amplitude everywhere, plus each voice. */
function synthesise(durationMs: number, voices: readonly Voice[], noise = 0, seed = 7): Buffer {
  const random = seededRandom(seed);
  const samples = new Int16Array(durationMs * SAMPLES_PER_MS);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round((random() * 2 - 1) * noise);
  for (const voice of voices) {
    const amplitude = voice.amplitude ?? 8000;
    for (
      let i = voice.startMs * SAMPLES_PER_MS;
      i < voice.endMs * SAMPLES_PER_MS && i < samples.length;
      i++
    ) {
      const t = i / 16_000;
      const ms = i / SAMPLES_PER_MS;
      const syllable = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
      const dip = voice.dipsAtMs?.some((at) => Math.abs(ms - at) < 30) ? 0.05 : 1;
      const tone = Math.sin(2 * Math.PI * 220 * t) + 0.5 * Math.sin(2 * Math.PI * 660 * t);
      samples[i] = Math.max(
        -32768,
        Math.min(32767, (samples[i] ?? 0) + amplitude * syllable * dip * tone * 0.66),
      );
    }
  }
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

let dir: { path: string; remove: () => Promise<void> };
let fileCount = 0;

beforeAll(async () => {
  dir = await makeTempDir('pause-cutter');
});
afterAll(async () => {
  await dir.remove();
});

/** Writes the PCM to a file and collects every utterance the cutter finds in it. */
async function cut(
  pcm: Buffer,
  options: Parameters<typeof utterancesAtPauses>[1] = {},
): Promise<SpeechUtterance[]> {
  const path = join(dir.path, `${fileCount++}.pcm`);
  await writeFile(path, pcm);
  const found: SpeechUtterance[] = [];
  for await (const utterance of utterancesAtPauses(path, options)) found.push(utterance);
  return found;
}

/** Asserts that each utterance's edges are within `toleranceMs` of the expected spans. */
function expectSpans(
  found: readonly SpeechUtterance[],
  spans: readonly [number, number][],
  toleranceMs = 20,
): void {
  expect(found.map((u) => [u.startMs, u.endMs])).toHaveLength(spans.length);
  spans.forEach(([start, end], index) => {
    expect(Math.abs((found[index]?.startMs ?? NaN) - start)).toBeLessThanOrEqual(toleranceMs);
    expect(Math.abs((found[index]?.endMs ?? NaN) - end)).toBeLessThanOrEqual(toleranceMs);
  });
}

describe('utterancesAtPauses', () => {
  it('finds speech between pauses and bridges gaps shorter than the minimum pause', async () => {
    const voices: Voice[] = [
      { startMs: 500, endMs: 1800 },
      { startMs: 2000, endMs: 3100 }, // 200 ms after the first: the same utterance
      { startMs: 3700, endMs: 5200 }, // 600 ms pause
      { startMs: 6200, endMs: 6900, amplitude: 2500 }, // quieter speaker after a second
    ];
    const found = await cut(synthesise(8000, voices, 40));
    expectSpans(found, [
      [500, 3100],
      [3700, 5200],
      [6200, 6900],
    ]);
    expect(found.every((u) => u.startsAtPause && u.endsAtPause)).toBe(true);
  });

  it('follows the noise floor: speech over loud steady noise is still found, the noise alone is not speech', async () => {
    const found = await cut(
      synthesise(30_000, [{ startMs: 10_000, endMs: 12_000, amplitude: 12_000 }], 1500),
    );
    // The last syllable's fade (125 ms) is as quiet as the noise.
    expectSpans(found, [[10_000, 12_000]], 130);
  });

  it('finds speech that starts with the first sample or ends with the last', async () => {
    expectSpans(await cut(synthesise(3000, [{ startMs: 0, endMs: 2000 }], 20)), [[0, 2000]]);
    expectSpans(await cut(synthesise(3000, [{ startMs: 1000, endMs: 3000 }], 20)), [[1000, 3000]]);
  });

  it('cuts speech without pauses at its quietest points, every piece at most the maximum length', async () => {
    const dips = [11_000, 18_500, 26_000, 35_000];
    const speech = { startMs: 2000, endMs: 42_000, dipsAtMs: dips };
    const found = await cut(synthesise(44_000, [speech], 30), { maxUtteranceMs: 18_000 });
    expect(found.length).toBeGreaterThanOrEqual(3);
    for (const utterance of found) expect(utterance.endMs - utterance.startMs).toBeLessThanOrEqual(18_000);
    expect(found[0]).toMatchObject({ startMs: 2000, startsAtPause: true, endsAtPause: false });
    expect(found.at(-1)).toMatchObject({ endMs: 42_000, startsAtPause: false, endsAtPause: true });
    for (let i = 1; i < found.length; i++) {
      const before = found[i - 1]!;
      const after = found[i]!;
      // The cut lies in a dip: the pieces meet there, and nothing else is left out.
      expect(
        dips.some((dip) => Math.abs(before.endMs - dip) <= 40 && Math.abs(after.startMs - dip) <= 40),
      ).toBe(true);
      expect(after.startMs - before.endMs).toBeLessThanOrEqual(60);
    }
  });

  it('finds nothing in silence, in steady noise, in a click, or in an empty file', async () => {
    expect(await cut(Buffer.alloc(5 * 32_000))).toEqual([]);
    expect(await cut(synthesise(5000, [], 300))).toEqual([]);
    expect(await cut(synthesise(3000, [{ startMs: 1000, endMs: 1040 }]))).toEqual([]);
    expect(await cut(Buffer.alloc(0))).toEqual([]);
  });

  it('stops with CANCELLED when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      cut(synthesise(2000, [{ startMs: 500, endMs: 1500 }]), { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
