// Channel mode on real decoder output: the generated stereo call (one voice per side, −26 dB crosstalk) and the mono
// conversations turned into dual-mono stereo, all decoded with real ffmpeg; sentences are the reference RTTM turns.
import { execFile } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedAudio } from '../../../src-shared/types.js';
import { decodeToPcm } from '../../../src-main/audio/decode.js';
import { locateFfmpeg, type FfmpegTools } from '../../../src-main/audio/ffmpeg-locate.js';
import {
  detectChannelSpeakers,
  labelByChannel,
} from '../../../src-main/speakers/labelling/channel-labeller.js';
import { readStereoLevels } from '../../../src-main/speakers/labelling/stereo-levels.js';
import { generateDiarizationSet, type DiarizationFile } from '../../fixtures/conversations.js';
import { diarizationErrorRate } from '../../helpers/der.js';
import { parseRttm, type RttmTurn } from '../../helpers/rttm.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const run = promisify(execFile);
const GENERATED = join(import.meta.dirname, '../../fixtures/generated/diarization');

let tools: FfmpegTools;
let temp: { path: string; remove: () => Promise<void> };
let files: DiarizationFile[];
let call: DiarizationFile;
let callReference: RttmTurn[];

beforeAll(async () => {
  tools = await locateFfmpeg();
  temp = await makeTempDir('channel-mode');
  files = await generateDiarizationSet(GENERATED);
  call = files.find((file) => file.stereo)!;
  callReference = parseRttm(await readFile(call.rttmPath, 'utf8'));
}, 300_000);

afterAll(async () => {
  await temp.remove();
});

/** Runs ffmpeg on `input` with audio filter arguments, writing a 16-bit WAV `name` in the temp dir. */
async function convert(input: string, name: string, args: string[]): Promise<string> {
  const output = join(temp.path, name);
  await run(tools.ffmpeg, [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-i',
    input,
    ...args,
    '-c:a',
    'pcm_s16le',
    output,
  ]);
  return output;
}

/** Decodes a file the way the app does and returns its stereo PCM path (the test fails if there is none). */
async function decodeStereo(input: string, name: string): Promise<string> {
  const decoded: DecodedAudio = await decodeToPcm(tools, input, join(temp.path, name));
  expect(decoded.stereoPcmPath, name).not.toBeNull();
  return decoded.stereoPcmPath!;
}

/** DER (collar ±250 ms, overlap scored) of sentence labels on the reference turns they were computed for. */
function der(reference: RttmTurn[], labels: number[]): number {
  return diarizationErrorRate(
    reference,
    reference.map((turn, i) => ({ ...turn, speaker: String(labels[i]) })),
  ).der;
}

describe('channel mode on decoded stereo recordings', () => {
  it('detects the stereo call as one speaker per channel and labels it with DER 0 %', async () => {
    const levels = await readStereoLevels(await decodeStereo(call.wavPath, 'call'), callReference);
    const detection = detectChannelSpeakers(levels);
    expect(detection.oneSpeakerPerChannel, detection.reason).toBe(true);
    expect(detection.lateralisedShare).toBe(1);
    const result = labelByChannel(levels);
    expect(result.speakerCount).toBe(2);
    expect(result.speakerChannels).toEqual([0, 1]);
    expect(result.uncertain.every((flag) => !flag)).toBe(true);
    expect(der(callReference, result.labels)).toBe(0);
    // The reference says A speaks first, on the left: labels follow the reference speakers one to one.
    expect(result.labels).toEqual(callReference.map((turn) => (turn.speaker === 'A' ? 0 : 1)));
  });

  it('gives the same labels with the channels swapped, numbered by who speaks first', async () => {
    const swapped = await convert(call.wavPath, 'call-swapped.wav', ['-af', 'pan=stereo|c0=c1|c1=c0']);
    const levels = await readStereoLevels(await decodeStereo(swapped, 'call-swapped'), callReference);
    expect(detectChannelSpeakers(levels).oneSpeakerPerChannel).toBe(true);
    const result = labelByChannel(levels);
    expect(result.speakerChannels).toEqual([1, 0]);
    expect(der(callReference, result.labels)).toBe(0);
  });

  it('says no for the mono conversations turned into dual-mono stereo', async () => {
    const monos = files.filter((file) => !file.stereo);
    expect(monos.length).toBeGreaterThanOrEqual(3);
    for (const file of monos) {
      const stereo = await convert(file.wavPath, `${file.name}-dual.wav`, ['-ac', '2']);
      const reference = parseRttm(await readFile(file.rttmPath, 'utf8'));
      const detection = detectChannelSpeakers(
        await readStereoLevels(await decodeStereo(stereo, file.name), reference),
      );
      expect(detection.oneSpeakerPerChannel, file.name).toBe(false);
      expect(detection.reason, file.name).toMatch(/same sound/);
    }
  });

  it('says no for the call mixed down onto the left channel with a silent right channel', async () => {
    const oneSided = await convert(call.wavPath, 'call-left-only.wav', [
      '-af',
      'pan=stereo|c0=0.5*c0+0.5*c1|c1=0*c0',
    ]);
    const detection = detectChannelSpeakers(
      await readStereoLevels(await decodeStereo(oneSided, 'call-left-only'), callReference),
    );
    expect(detection.oneSpeakerPerChannel).toBe(false);
    expect(detection.reason).toMatch(/right channel is silent/);
  });

  it('reads an hour of stereo (230 MB) without holding it in memory', async () => {
    // A sparse file of one hour; only the last two seconds carry sound: a left-side tone.
    const path = join(temp.path, 'hour.stereo.pcm');
    const frames = 3600 * 16000;
    const tone = new Int16Array(2 * 16000 * 2);
    for (let i = 0; i < tone.length / 2; i++)
      tone[2 * i] = Math.round(8000 * Math.sin((2 * Math.PI * 300 * i) / 16000));
    const file = await open(path, 'w');
    try {
      await file.write(new Uint8Array(tone.buffer), 0, tone.byteLength, (frames - 2 * 16000) * 4);
      await file.truncate(frames * 4);
    } finally {
      await file.close();
    }
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
    try {
      const levels = await readStereoLevels(path, [
        { startMs: 0, endMs: 3_600_000 },
        { startMs: 3_598_000, endMs: 3_600_000 },
      ]);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      expect(levels.stats.frames).toBe(frames);
      expect(levels.spans[0]!.frames).toBe(frames);
      expect(levels.spans[1]!.left).toBeCloseTo(8000 / 32768 / Math.SQRT2, 3);
      expect(levels.spans[1]!.right).toBe(0);
    } finally {
      clearInterval(timer);
    }
    expect(peakRss - baseRss).toBeLessThan(48 * 1024 * 1024);
  });
});
