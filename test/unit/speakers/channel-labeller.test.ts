// Channel levels, "one speaker per channel" detection and channel labels on synthetic stereo signals built in memory.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../../src-main/speakers/labelling/assignment.js';
import {
  detectChannelSpeakers,
  labelByChannel,
  sentenceBalanceDb,
} from '../../../src-main/speakers/labelling/channel-labeller.js';
import { readStereoLevels, stereoLevelsOf } from '../../../src-main/speakers/labelling/stereo-levels.js';
import { FunscribeError } from '../../../src-main/util/errors.js';
import { seededRandom } from '../../../src-main/util/seeded-random.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const RATE = 16000;
/** −26 dB: how much of each voice leaks into the other channel. */
const CROSSTALK = 0.05;

/** One source sound placed in the mix: gains per channel; `independent` gives each side its own noise. */
interface Part extends Span {
  left: number;
  right: number;
  independent?: boolean;
}

/** Interleaved stereo s16le bytes of `durationMs`: each part is a voice-like tone plus noise, scaled per channel. */
function stereo(durationMs: number, parts: Part[], seed = 1): Buffer {
  const frames = Math.round((durationMs * RATE) / 1000);
  const left = new Float64Array(frames);
  const right = new Float64Array(frames);
  const next = seededRandom(seed);
  for (const part of parts) {
    const end = Math.min(frames, Math.round((part.endMs * RATE) / 1000));
    for (let i = Math.round((part.startMs * RATE) / 1000); i < end; i++) {
      const source = 0.3 * Math.sin((2 * Math.PI * 180 * i) / RATE) + 0.2 * (next() - 0.5);
      left[i]! += part.left * source;
      right[i]! +=
        part.right *
        (part.independent ? 0.3 * Math.sin((2 * Math.PI * 250 * i) / RATE) + 0.2 * (next() - 0.5) : source);
    }
  }
  const bytes = Buffer.alloc(frames * 4);
  const toInt = (x: number): number => Math.max(-32768, Math.min(32767, Math.round(x * 32767)));
  for (let i = 0; i < frames; i++) {
    bytes.writeInt16LE(toInt(left[i]!), i * 4);
    bytes.writeInt16LE(toInt(right[i]!), i * 4 + 2);
  }
  return bytes;
}

/** A phone call: A on the left, B on the right, each leaking into the other side at −26 dB. */
function call(turns: { speaker: 'A' | 'B'; startMs: number; endMs: number }[], durationMs: number): Buffer {
  const parts = turns.map(({ speaker, startMs, endMs }) =>
    speaker === 'A'
      ? { startMs, endMs, left: 1, right: CROSSTALK }
      : { startMs, endMs, left: CROSSTALK, right: 1 },
  );
  return stereo(durationMs, parts);
}

const TURNS: { speaker: 'A' | 'B'; startMs: number; endMs: number }[] = [
  { speaker: 'A', startMs: 200, endMs: 1400 },
  { speaker: 'B', startMs: 1800, endMs: 3000 },
  { speaker: 'A', startMs: 3400, endMs: 4200 },
  { speaker: 'B', startMs: 4600, endMs: 5800 },
];
const spans = (turns: Span[]): Span[] => turns.map(({ startMs, endMs }) => ({ startMs, endMs }));

let temp: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  temp = await makeTempDir('channel-labeller');
});
afterAll(async () => {
  await temp.remove();
});

describe('stereo levels', () => {
  it('measures the RMS of each channel per span, clamped to the audio that exists', () => {
    // A 0.5 full-scale sine on the left for 1 s, then 1 s of silence: RMS 0.5/√2 on the left, nothing on the right.
    const frames = 2 * RATE;
    const samples = new Int16Array(frames * 2);
    for (let i = 0; i < RATE; i++)
      samples[2 * i] = Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * 440 * i) / RATE));
    const bytes = new Uint8Array(samples.buffer);
    const levels = stereoLevelsOf(bytes, [
      { startMs: 0, endMs: 1000 },
      { startMs: 1000, endMs: 2000 },
      { startMs: 1500, endMs: 2500 },
      { startMs: 3000, endMs: 4000 },
      { startMs: 700, endMs: 700 },
    ]);
    expect(levels.spans[0]!.left).toBeCloseTo(0.5 / Math.SQRT2, 3);
    expect(levels.spans[0]!.right).toBe(0);
    expect(levels.spans.map((s) => s.frames)).toEqual([16000, 16000, 8000, 0, 0]);
    expect(levels.spans[1]).toEqual({ left: 0, right: 0, frames: 16000 });
    expect(levels.stats.frames).toBe(frames);
    expect(levels.stats.rmsLeft).toBeCloseTo(0.5 / 2, 3);
    expect(levels.stats.rmsRight).toBe(0);
  });

  it('reads a file in chunks to the same levels as in memory, for unsorted, overlapping and long spans', async () => {
    const bytes = call(
      [
        { speaker: 'A', startMs: 0, endMs: 3900 },
        { speaker: 'B', startMs: 3900, endMs: 8100 },
        { speaker: 'A', startMs: 8500, endMs: 12_000 },
      ],
      12_500,
    );
    const path = join(temp.path, 'chunks.stereo.pcm');
    await writeFile(path, bytes);
    const layout = [
      { startMs: 8000, endMs: 12_400 },
      { startMs: 0, endMs: 12_500 },
      { startMs: 3900, endMs: 8100 },
      { startMs: 3000, endMs: 4100 },
      { startMs: 12_400, endMs: 20_000 },
    ];
    const fromFile = await readStereoLevels(path, layout);
    const inMemory = stereoLevelsOf(bytes, layout);
    expect(fromFile.spans.map((s) => s.frames)).toEqual(inMemory.spans.map((s) => s.frames));
    fromFile.spans.forEach((level, i) => {
      expect(level.left).toBeCloseTo(inMemory.spans[i]!.left, 9);
      expect(level.right).toBeCloseTo(inMemory.spans[i]!.right, 9);
    });
    for (const key of ['frames', 'rmsLeft', 'rmsRight', 'correlation', 'differenceRatio'] as const) {
      expect(fromFile.stats[key]).toBeCloseTo(inMemory.stats[key], 9);
    }
    expect(sentenceBalanceDb(fromFile.spans[2]!)).toBeCloseTo(-26, 0);
  });

  it('gives correlation 1 and no difference for the same signal on both sides, about 0 for unrelated sides', () => {
    const same = stereoLevelsOf(stereo(2000, [{ startMs: 0, endMs: 2000, left: 1, right: 1 }]), []).stats;
    expect(same.correlation).toBeCloseTo(1, 6);
    expect(same.differenceRatio).toBe(0);
    const unrelated = stereo(2000, [{ startMs: 0, endMs: 2000, left: 1, right: 1, independent: true }]);
    expect(Math.abs(stereoLevelsOf(unrelated, []).stats.correlation)).toBeLessThan(0.1);
  });

  it('rejects data that is not whole stereo frames, and missing files or folders, with clear errors', async () => {
    for (const length of [7, 6]) {
      const error = (() => {
        try {
          stereoLevelsOf(new Uint8Array(length), []);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(FunscribeError);
      expect(error).toMatchObject({
        code: 'DECODE_FAILED',
        message: expect.stringContaining(`${length} bytes`),
      });
    }
    const odd = join(temp.path, 'odd.stereo.pcm');
    await writeFile(odd, Buffer.alloc(4001));
    await expect(readStereoLevels(odd, [])).rejects.toMatchObject({
      code: 'DECODE_FAILED',
      message: expect.stringContaining('odd.stereo.pcm'),
    });
    await expect(readStereoLevels(join(temp.path, 'missing.pcm'), [])).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
    const folder = join(temp.path, 'a-folder.pcm');
    await mkdir(folder, { recursive: true });
    await expect(readStereoLevels(folder, [])).rejects.toMatchObject({ code: 'NOT_A_FILE' });
  });
});

describe('detectChannelSpeakers', () => {
  it('says yes for a call with one voice per side and −26 dB crosstalk', () => {
    const detection = detectChannelSpeakers(stereoLevelsOf(call(TURNS, 6000), spans(TURNS)));
    expect(detection).toMatchObject({ oneSpeakerPerChannel: true, lateralisedShare: 1, audibleSentences: 4 });
    expect(detection.leftShare).toBeCloseTo(2000 / 4400, 6);
    expect(detection.correlation).toBeLessThan(0.5);
    expect(Math.abs(detection.differenceDb)).toBeLessThan(3);
    expect(detection.reason).toMatch(/^One speaker per channel: 100 % .* \(45 % left, 55 % right\)\.$/);
  });

  it('says no for dual mono, also when one side is quieter', () => {
    for (const right of [1, 0.5]) {
      const parts = TURNS.map((turn) => ({ ...turn, left: 1, right }));
      const detection = detectChannelSpeakers(stereoLevelsOf(stereo(6000, parts), spans(TURNS)));
      expect(detection.oneSpeakerPerChannel).toBe(false);
      expect(detection.reason).toMatch(/same sound/);
      expect(detection.correlation).toBeGreaterThan(0.99);
      if (right === 1) expect(detection.differenceDb).toBe(-120);
    }
  });

  it('says no when one channel is silent (mono audio in a stereo file)', () => {
    const parts = TURNS.map((turn) => ({ ...turn, left: 1, right: 0 }));
    const detection = detectChannelSpeakers(stereoLevelsOf(stereo(6000, parts), spans(TURNS)));
    expect(detection.oneSpeakerPerChannel).toBe(false);
    expect(detection.balanceDb).toBeGreaterThan(40);
    expect(detection.reason).toMatch(/right channel is silent/);
  });

  it('says no when voices are spread over both channels', () => {
    // Two room microphones that hear both people about equally (unrelated signals, within ±3 dB).
    const parts = TURNS.map((turn, i) => ({ ...turn, left: 1, right: i % 2 ? 0.8 : 1.2, independent: true }));
    const detection = detectChannelSpeakers(stereoLevelsOf(stereo(6000, parts), spans(TURNS)));
    expect(detection).toMatchObject({ oneSpeakerPerChannel: false, lateralisedShare: 0 });
    expect(detection.reason).toMatch(/^Only 0 % of the speech is clearly on one channel/);
  });

  it('says no when every sentence is on the same side', () => {
    // All speech on the left; the right has its own unrelated sound 20 dB lower.
    const parts = TURNS.map((turn) => ({ ...turn, left: 1, right: 0.1, independent: true }));
    const detection = detectChannelSpeakers(stereoLevelsOf(stereo(6000, parts), spans(TURNS)));
    expect(detection).toMatchObject({ oneSpeakerPerChannel: false, lateralisedShare: 1, leftShare: 1 });
    expect(detection.reason).toMatch(/Almost all speech is on the left channel/);
  });

  it('says no, without throwing, for silence, no audio and no sentences', () => {
    expect(detectChannelSpeakers(stereoLevelsOf(Buffer.alloc(64_000), spans(TURNS))).reason).toBe(
      'The stereo audio is silent.',
    );
    expect(detectChannelSpeakers(stereoLevelsOf(Buffer.alloc(0), [])).oneSpeakerPerChannel).toBe(false);
    const noSentences = detectChannelSpeakers(stereoLevelsOf(call(TURNS, 6000), []));
    expect(noSentences).toMatchObject({ oneSpeakerPerChannel: false, audibleSentences: 0 });
    expect(noSentences.reason).toMatch(/no audible sentences/);
    expect(JSON.parse(JSON.stringify(noSentences))).toEqual(noSentences);
  });
});

describe('labelByChannel', () => {
  it('gives each sentence its louder channel, numbered by first appearance', () => {
    expect(labelByChannel(stereoLevelsOf(call(TURNS, 6000), spans(TURNS)))).toEqual({
      labels: [0, 1, 0, 1],
      speakerCount: 2,
      uncertain: [false, false, false, false],
      speakerChannels: [0, 1],
    });
    const rightFirst = TURNS.slice(1);
    expect(labelByChannel(stereoLevelsOf(call(rightFirst, 6000), spans(rightFirst)))).toMatchObject({
      labels: [0, 1, 0],
      speakerChannels: [1, 0],
    });
  });

  it('gives sentences inside the ±3 dB band to the louder side and flags them uncertain', () => {
    const gain = (db: number): number => 10 ** (-Math.abs(db) / 20);
    const cases = [
      { db: 2, left: 1, right: gain(2) },
      { db: -2, left: gain(2), right: 1 },
      { db: 4, left: 1, right: gain(4) },
      { db: -4, left: gain(4), right: 1 },
      { db: -2.9, left: gain(2.9), right: 1, independent: true },
    ];
    const layout = cases.map((_, i) => ({ startMs: i * 1000 + 100, endMs: i * 1000 + 900 }));
    const parts = cases.map((c, i) => ({ ...layout[i]!, ...c }));
    const levels = stereoLevelsOf(stereo(cases.length * 1000, parts), layout);
    levels.spans.forEach((level, i) => expect(sentenceBalanceDb(level)).toBeCloseTo(cases[i]!.db, 0));
    expect(labelByChannel(levels)).toEqual({
      labels: [0, 1, 0, 1, 1],
      speakerCount: 2,
      uncertain: [true, true, false, false, true],
      speakerChannels: [0, 1],
    });
  });

  it('labels silent, empty and out-of-file sentences after their neighbours without throwing', () => {
    const layout = [
      { startMs: 50, endMs: 150 },
      { startMs: 300, endMs: 1200 },
      { startMs: 1500, endMs: 1500 },
      { startMs: 1900, endMs: 2900 },
      { startMs: 3050, endMs: 3300 },
      { startMs: 9000, endMs: 9500 },
    ];
    const bytes = call(
      [
        { speaker: 'B', startMs: 200, endMs: 1300 },
        { speaker: 'A', startMs: 1800, endMs: 3000 },
      ],
      4000,
    );
    expect(labelByChannel(stereoLevelsOf(bytes, layout))).toEqual({
      labels: [0, 0, 0, 1, 1, 1],
      speakerCount: 2,
      uncertain: [true, false, true, false, true, true],
      speakerChannels: [1, 0],
    });
    expect(labelByChannel(stereoLevelsOf(Buffer.alloc(16_000), layout))).toEqual({
      labels: [0, 0, 0, 0, 0, 0],
      speakerCount: 1,
      uncertain: [true, true, true, true, true, true],
      speakerChannels: [0],
    });
    expect(labelByChannel(stereoLevelsOf(bytes, []))).toEqual({
      labels: [],
      speakerCount: 0,
      uncertain: [],
      speakerChannels: [],
    });
  });
});
