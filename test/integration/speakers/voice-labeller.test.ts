// The model-free labeller on generated multi-speaker conversations (festival + espeak-ng voices), scored with DER
// against the reference RTTM. Sentence bounds are the reference turns, so this measures who-is-who, not segmentation.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDiarizationSet, type DiarizationFile } from '../../fixtures/conversations.js';
import { diarizationErrorRate } from '../../helpers/der.js';
import { parseRttm, type RttmTurn } from '../../helpers/rttm.js';
import { labelByVoice } from '../../helpers/voice-analysis.js';
import { readMonoWav } from '../../helpers/wav.js';
import { seededRandom } from '../../../src-main/util/seeded-random.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/diarization');

describe('model-free speaker labels on generated conversations', () => {
  const cases: { file: DiarizationFile; reference: RttmTurn[]; samples: Float32Array }[] = [];

  beforeAll(async () => {
    for (const file of (await generateDiarizationSet(GENERATED)).filter((f) => !f.stereo)) {
      const reference = parseRttm(await readFile(file.rttmPath, 'utf8'));
      cases.push({ file, reference, samples: await readMonoWav(file.wavPath) });
    }
  }, 300_000);

  /** DER of sentence labels against the reference turns they were computed for. */
  const der = (reference: RttmTurn[], labels: number[]): number =>
    diarizationErrorRate(
      reference,
      reference.map((turn, i) => ({ ...turn, speaker: String(labels[i]) })),
    ).der;

  it('labels 2-, 3- and 4-speaker conversations with DER ≤ 5 % when the count is known', () => {
    expect(cases.map((c) => c.file.speakers)).toEqual([2, 3, 4]);
    for (const { file, reference, samples } of cases) {
      const { labels, speakerCount } = labelByVoice(samples, reference, { speakers: file.speakers });
      expect(speakerCount, file.name).toBe(file.speakers);
      expect(der(reference, labels), file.name).toBeLessThanOrEqual(0.05);
    }
  });

  it('finds the number of speakers itself with DER ≤ 10 %', () => {
    for (const { file, reference, samples } of cases) {
      const { labels, speakerCount } = labelByVoice(samples, reference);
      expect(speakerCount, file.name).toBe(file.speakers);
      expect(der(reference, labels), file.name).toBeLessThanOrEqual(0.1);
    }
  });

  it('finds the same counts after ±2 LSB of noise (dither made CI find 9 speakers in 4 voices once)', () => {
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      for (const { file, reference, samples } of cases) {
        const noisy = samples.map((x) => x + ((random() - 0.5) * 4) / 32768);
        const { labels, speakerCount } = labelByVoice(noisy, reference);
        expect(speakerCount, `${file.name} seed ${seed}`).toBe(file.speakers);
        expect(der(reference, labels), `${file.name} seed ${seed}`).toBeLessThanOrEqual(0.1);
      }
    }
  });

  it('says one speaker when only one of the voices talks', () => {
    for (const { file, reference, samples } of cases) {
      for (const speaker of ['A', 'B']) {
        const turns = reference.filter((turn) => turn.speaker === speaker);
        expect(labelByVoice(samples, turns).speakerCount, `${file.name} ${speaker}`).toBe(1);
      }
    }
  });

  it('is scored as wrong when forced to one speaker, and gives the same labels on every run', () => {
    const { reference, samples } = cases.find((c) => c.file.speakers === 3)!;
    expect(der(reference, labelByVoice(samples, reference, { speakers: 1 }).labels)).toBeGreaterThan(0.3);
    expect(labelByVoice(samples, reference).labels).toEqual(labelByVoice(samples, reference).labels);
  });
});
