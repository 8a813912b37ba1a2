// The pipeline's speaker stage on a generated conversation's PCM file: the model path (a fabricated ONNX model in the
// real sherpa child process: plumbing only, its labels are not judged), the fallback when the model breaks, and the
// model-free path when no model is installed.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sentence } from '../../../src-shared/types.js';
import { slidingWindows } from '../../../src-main/speakers/labelling/assignment.js';
import { MFCC_STATS_DIM } from '../../../src-main/speakers/dsp/mfcc-stats.js';
import { modelWindowEmbedder } from '../../../src-main/speakers/labelling/model-windows.js';
import { MFCC_STATS_BACKEND } from '../../../src-shared/speaker-backends.js';
import { labelSpeakers } from '../../../src-main/speakers/labelling/speaker-stage.js';
import { generateDiarizationSet } from '../../fixtures/conversations.js';
import { writeFabricatedModels, type FabricatedModels } from '../../helpers/fabricated-onnx.js';
import { parseRttm } from '../../helpers/rttm.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/diarization');
const WORKER = join(import.meta.dirname, '../../../out/main/src-main/speakers/embedding/embedding-worker.js');

describe('the speaker stage', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let models: FabricatedModels;
  let pcmPath: string;
  let sentences: Sentence[];
  let truth: string[];

  beforeAll(async () => {
    temp = await makeTempDir('speaker-stage');
    models = await writeFabricatedModels(temp.path);
    const file = (await generateDiarizationSet(GENERATED)).find((f) => f.name === 'conv-2spk')!;
    pcmPath = join(temp.path, 'meeting.pcm');
    await writeFile(pcmPath, (await readFile(file.wavPath)).subarray(44));
    const reference = parseRttm(await readFile(file.rttmPath, 'utf8'));
    sentences = reference.map(({ startMs, endMs }) => ({ startMs, endMs, text: '', tokens: [] }));
    truth = reference.map((turn) => turn.speaker);
  }, 300_000);

  afterAll(async () => temp?.remove());

  const withModel = (path: string | null) =>
    modelWindowEmbedder(async () => (path ? { id: 'fabricated-campplus', path } : null), WORKER);

  it('embeds every window with the installed model and keeps the analysis under its id', async () => {
    const progress: number[] = [];
    const { labels, analysis, method } = await labelSpeakers({
      onProgress: (fraction) => progress.push(fraction),
      pcmPath,
      stereoPcmPath: null,
      sentences,
      setting: 2,
      embedWithModel: withModel(models.valid),
    });
    expect(method).toBe('by voice (fabricated-campplus)');
    expect(analysis.backend).toBe('fabricated-campplus');
    expect(analysis.dim).toBe(192);
    expect(analysis.windows).toEqual(slidingWindows(sentences));
    expect(analysis.embeddings).toHaveLength(analysis.windows.length * 192);
    expect(analysis.embeddings.every(Number.isFinite)).toBe(true);
    expect(new Set(labels.flat())).toEqual(new Set([0, 1]));
    expect(labels.map((piece) => piece.length)).toEqual(sentences.map(() => 1));
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('labels by MFCC statistics, and says why, when the model crashes', async () => {
    for (const broken of [models.randomBytes, models.failsAtRun]) {
      const { labels, analysis, method } = await labelSpeakers({
        pcmPath,
        stereoPcmPath: null,
        sentences,
        setting: 'auto',
        embedWithModel: withModel(broken),
      });
      expect(method).toMatch(
        /^by voice \(mfcc-stats; the speaker model could not be used: The speaker model/,
      );
      expect(analysis.backend).toBe(MFCC_STATS_BACKEND);
      const names = new Map<number, string>();
      labels.forEach(([label], i) => names.set(label!, truth[i]!));
      expect(labels.map(([label]) => names.get(label!))).toEqual(truth);
      expect(names.size).toBe(2);
    }
  });

  it('uses MFCC statistics without a model, and gives no speakers to no sentences', async () => {
    const { analysis } = await labelSpeakers({
      pcmPath,
      stereoPcmPath: null,
      sentences,
      setting: 'voice',
      embedWithModel: withModel(null),
    });
    expect(analysis.backend).toBe(MFCC_STATS_BACKEND);
    expect(analysis.dim).toBe(MFCC_STATS_DIM);
    const empty = await labelSpeakers({ pcmPath, stereoPcmPath: null, sentences: [], setting: 'auto' });
    expect(empty.labels).toEqual([]);
  });
});
