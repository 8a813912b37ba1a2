import { describe, expect, it } from 'vitest';
import { CATALOG, ENGINE_KINDS, IMAGE_ENV, resolveImageRef } from '../../../src-main/engine/catalog.js';

describe('catalog', () => {
  it('lists the four documented images', () => {
    expect(ENGINE_KINDS.map((kind) => CATALOG[kind].reference.split(':').at(-1))).toEqual([
      'funasr-runtime-sdk-cpu-0.4.7',
      'funasr-runtime-sdk-gpu-0.2.1',
      'funasr-runtime-sdk-online-cpu-0.1.13',
      'funasr-runtime-sdk-en-cpu-0.1.8',
    ]);
    expect(CATALOG['offline-gpu'].gpu).toBe(true);
    expect(CATALOG['online-cpu'].protocol).toBe('2pass');
    expect(CATALOG['online-cpu'].features.liveCaptions).toBe(true);
    for (const kind of ENGINE_KINDS) {
      expect(CATALOG[kind].models.length).toBeGreaterThanOrEqual(3);
      for (const model of CATALOG[kind].models) {
        expect(model.flag).toMatch(/^--[a-z-]+-dir$/);
        expect(model.revisionFlag).toMatch(/^--[a-z-]+-revision$/);
        expect(model.revision).toMatch(/^v\d+\.\d+\.\d+$/);
        if (['asr', 'online-asr', 'punc'].includes(model.role)) expect(model.revision).toBe('v2.0.5');
      }
    }
  });

  it("runs run_server_2pass.sh's timestamp model as the online engine's offline model", () => {
    const asr = CATALOG['online-cpu'].models.find((model) => model.role === 'asr');
    expect(asr).toMatchObject({
      id: 'damo/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx',
      revisionFlag: '--offline-model-revision',
    });
    expect(CATALOG['online-cpu'].features.timestamps).toBe(true);
    expect(CATALOG['offline-cpu'].models.find((model) => model.role === 'asr')?.revisionFlag).toBe(
      '--model-revision',
    );
  });

  it('resolves settings first, then the environment, then the default', () => {
    const env = { [IMAGE_ENV['offline-cpu']]: '127.0.0.1:5000/sim:env' };
    expect(resolveImageRef('offline-cpu', { 'offline-cpu': 'mine:1' }, env)).toBe('mine:1');
    expect(resolveImageRef('offline-cpu', {}, env)).toBe('127.0.0.1:5000/sim:env');
    expect(resolveImageRef('offline-cpu', { 'offline-cpu': '  ' }, env)).toBe('127.0.0.1:5000/sim:env');
    expect(resolveImageRef('en-cpu', {}, env)).toBe(CATALOG['en-cpu'].reference);
    expect(resolveImageRef('offline-gpu', {}, { FUNSCRIBE_IMAGE_OFFLINE_GPU: 'g:1' })).toBe('g:1');
    expect(resolveImageRef('online-cpu', {}, { FUNSCRIBE_IMAGE_ONLINE_CPU: 'o:1' })).toBe('o:1');
  });
});
