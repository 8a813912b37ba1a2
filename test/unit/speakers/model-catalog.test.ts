// The speaker-model catalog: well-formed data, lookups and mirror order.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SPEAKER_MODEL_ID,
  SPEAKER_MODELS,
  orderedMirrors,
  speakerModel,
} from '../../../src-main/speakers/models/model-catalog.js';
import { FunscribeError } from '../../../src-main/util/errors.js';

describe('speaker model catalog', () => {
  it('has unique ids and files, hex SHA-256 values and https mirrors that name the file', () => {
    expect(new Set(SPEAKER_MODELS.map((m) => m.id)).size).toBe(SPEAKER_MODELS.length);
    expect(new Set(SPEAKER_MODELS.map((m) => m.fileName)).size).toBe(SPEAKER_MODELS.length);
    for (const model of SPEAKER_MODELS) {
      expect(model.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(model.sizeBytes).toBeGreaterThan(20_000_000);
      expect([192, 512]).toContain(model.embeddingDim);
      expect(model.mirrors.map((m) => m.host)).toEqual(
        expect.arrayContaining(['github.com', 'huggingface.co', 'hf-mirror.com']),
      );
      for (const mirror of model.mirrors) {
        const url = new URL(mirror.url);
        expect(url.protocol).toBe('https:');
        expect(url.host).toBe(mirror.host);
        expect(decodeURIComponent(url.pathname + url.search).endsWith(model.fileName)).toBe(true);
      }
    }
  });

  it("defaults to FunASR's cam++ (CAM++ zh-cn, 192-d)", () => {
    const model = speakerModel(DEFAULT_SPEAKER_MODEL_ID);
    expect(model.fileName).toBe('3dspeaker_speech_campplus_sv_zh-cn_16k-common.onnx');
    expect(model.embeddingDim).toBe(192);
    expect(SPEAKER_MODELS[0]).toBe(model);
  });

  it('puts the mainland-China mirrors first for region cn, ModelScope before hf-mirror.com', () => {
    const model = speakerModel('campplus-zh-en-advanced');
    expect(orderedMirrors(model).map((m) => m.host)).toEqual([
      'github.com',
      'huggingface.co',
      'www.modelscope.cn',
      'hf-mirror.com',
    ]);
    expect(orderedMirrors(model, 'cn').map((m) => m.host)).toEqual([
      'www.modelscope.cn',
      'hf-mirror.com',
      'github.com',
      'huggingface.co',
    ]);
  });

  it('rejects an unknown id with INVALID_ARGUMENT listing the known ones', () => {
    expect(() => speakerModel('campplus')).toThrow(FunscribeError);
    expect(() => speakerModel('campplus')).toThrow(/campplus-zh-cn, campplus-en-voxceleb/);
  });
});
