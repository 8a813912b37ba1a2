import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CROSSTALK_GAIN,
  generateDiarizationSet,
  type DiarizationFile,
} from '../../fixtures/conversations.js';
import { parseRttm } from '../../helpers/rttm.js';

const run = promisify(execFile);
const GENERATED = join(import.meta.dirname, '../../fixtures/generated/diarization');

/** Reads channels, sample rate and duration of a media file with ffprobe. */
async function probe(path: string): Promise<{ channels: number; sampleRate: number; durationMs: number }> {
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-show_entries', 'stream=channels,sample_rate,duration', '-of', 'json', path],
  ]);
  const stream = (
    JSON.parse(stdout) as { streams: { channels: number; sample_rate: string; duration: string }[] }
  ).streams[0];
  if (!stream) throw new Error(`ffprobe found no stream in ${path}`);
  return {
    channels: stream.channels,
    sampleRate: Number(stream.sample_rate),
    durationMs: Number(stream.duration) * 1000,
  };
}

let files: DiarizationFile[] = [];

beforeAll(async () => {
  files = await generateDiarizationSet(GENERATED);
});

describe('generated diarization set', () => {
  it('has 2-, 3- and 4-speaker mono conversations and a stereo call', () => {
    expect(files.map((f) => [f.speakers, f.stereo])).toEqual([
      [2, false],
      [3, false],
      [4, false],
      [2, true],
    ]);
  });

  it('writes reference turns inside the audio, with the stated speaker count and plausible turn lengths', async () => {
    for (const file of files) {
      const media = await probe(file.wavPath);
      expect(media).toMatchObject({ channels: file.stereo ? 2 : 1, sampleRate: 16000 });
      const turns = parseRttm(await readFile(file.rttmPath, 'utf8'));
      expect(new Set(turns.map((t) => t.speaker)).size).toBe(file.speakers);
      expect(turns.every((t) => t.file === file.name)).toBe(true);
      for (const [index, t] of turns.entries()) {
        expect(t.startMs).toBeGreaterThanOrEqual(index === 0 ? 0 : turns[index - 1]!.endMs + 500);
        expect(t.endMs).toBeLessThanOrEqual(media.durationMs);
        expect(t.endMs - t.startMs).toBeGreaterThan(1500);
        expect(t.endMs - t.startMs).toBeLessThan(8000);
      }
      if (!file.stereo) expect(media.durationMs).toBeGreaterThan(60_000);
    }
  });

  it('puts speaker A on the left and B on the right with about −26 dB crosstalk', async () => {
    const stereo = files.find((f) => f.stereo);
    if (!stereo) throw new Error('no stereo file generated');
    const pcm = (await readFile(stereo.wavPath)).subarray(44);
    const turns = parseRttm(await readFile(stereo.rttmPath, 'utf8'));
    for (const speaker of ['A', 'B']) {
      let left = 0;
      let right = 0;
      for (const t of turns.filter((x) => x.speaker === speaker)) {
        for (let i = Math.ceil(t.startMs * 16); i < Math.floor(t.endMs * 16); i += 1) {
          left += pcm.readInt16LE(i * 4) ** 2;
          right += pcm.readInt16LE(i * 4 + 2) ** 2;
        }
      }
      const [own, other] = speaker === 'A' ? [left, right] : [right, left];
      const ratioDb = 10 * Math.log10(own / other);
      expect(ratioDb).toBeGreaterThan(-20 * Math.log10(CROSSTALK_GAIN) - 1);
      expect(ratioDb).toBeLessThan(-20 * Math.log10(CROSSTALK_GAIN) + 1);
    }
  });
});
