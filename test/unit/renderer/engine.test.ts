import { describe, expect, it } from 'vitest';
import type { EngineProgress, EngineStatus } from '../../../src-shared/engine-types.js';
import {
  engineStateText as wordedState,
  gigabytes,
  isEngineActive,
  progressFor,
  progressHint,
  progressPercent,
  startStepOf,
} from '../../../src-renderer/lib/engine.js';
import { chineseCatalog, englishCatalog } from './catalog-translate.js';

const t = englishCatalog('engine');
const engineStateText = (state: EngineStatus, progress: EngineProgress | null): string =>
  wordedState(t, state, progress);

const DOCKER_OK: EngineStatus['docker'] = {
  available: true,
  version: '20.10.24',
  apiVersion: '1.41',
  memoryBytes: 8 * 1024 ** 3,
  problem: null,
  warnings: [],
};

function status(patch: Partial<EngineStatus>): EngineStatus {
  return {
    docker: DOCKER_OK,
    image: 'funasr:cpu',
    container: null,
    state: 'absent',
    port: null,
    endpoint: null,
    gpu: false,
    error: null,
    ...patch,
  };
}

function progress(patch: Partial<EngineProgress>): EngineProgress {
  return {
    phase: 'pull',
    subject: null,
    doneBytes: null,
    totalBytes: null,
    message: '',
    step: 'pull-download',
    params: {},
    ...patch,
  };
}

const VAD = 'iic/speech_fsmn_vad_zh-cn-16k-common-onnx';

describe('engine state in words', () => {
  it('names the Docker problem before anything else', () => {
    const problem = { code: 'DOCKER_NOT_RUNNING', message: 'Start Docker Desktop.' };
    const docker = { ...DOCKER_OK, available: false, problem };
    expect(engineStateText(status({ state: 'no-docker', docker }), null)).toBe('Docker is not running');
    expect(engineStateText(status({ state: 'failed', docker }), null)).toBe('Docker is not running');
    const odd = { ...docker, problem: { code: 'DOCKER_ERROR', message: 'x' } };
    expect(engineStateText(status({ state: 'no-docker', docker: odd }), null)).toBe('Docker cannot be used');
  });

  it('says where a ready engine listens, and what a fresh one is', () => {
    expect(engineStateText(status({ state: 'absent' }), null)).toBe('Not installed');
    const ready = status({ state: 'ready', port: 10095, endpoint: 'ws://127.0.0.1:10095' });
    expect(engineStateText(ready, null)).toBe('Ready on 127.0.0.1:10095');
    expect(engineStateText(status({ state: 'stopped' }), null)).toBe('Stopped');
  });

  it('shows the model being downloaded and how far, from the matching progress only', () => {
    const downloading = status({ state: 'downloading-models' });
    const half = progress({ phase: 'download-model', subject: VAD, doneBytes: 450, totalBytes: 1000 });
    expect(engineStateText(downloading, half)).toBe(`Downloading models: ${VAD} 45%`);
    const started = progress({ phase: 'download-model', subject: VAD });
    expect(engineStateText(downloading, started)).toBe(`Downloading models: ${VAD}`);
    expect(engineStateText(downloading, progress({ phase: 'pull', doneBytes: 1, totalBytes: 2 }))).toBe(
      'Downloading models',
    );
    const pulling = status({ state: 'pulling' });
    expect(engineStateText(pulling, progress({ phase: 'pull', doneBytes: 1, totalBytes: 3 }))).toBe(
      'Downloading the engine: 33%',
    );
    expect(progressFor('loading', half)).toBeNull();
  });

  it('shows a model conversion as its own state, its progress (the hint) only from an export', () => {
    const exporting = status({ state: 'exporting-models' });
    const converting = progress({
      phase: 'export-model',
      subject: 'iic/asr-pytorch',
      message: 'Converting…',
    });
    expect(engineStateText(exporting, converting)).toBe('Converting models');
    expect(progressFor('exporting-models', converting)).toBe(converting);
    expect(progressFor('exporting-models', progress({ phase: 'download-model' }))).toBeNull();
    expect(isEngineActive('exporting-models')).toBe(true);
  });

  it('computes a share only when the byte counts are known', () => {
    expect(progressPercent(null)).toBeNull();
    expect(progressPercent(progress({ doneBytes: 5 }))).toBeNull();
    expect(progressPercent(progress({ doneBytes: 5, totalBytes: 0 }))).toBeNull();
    expect(progressPercent(progress({ doneBytes: 0, totalBytes: 10 }))).toBe(0);
    expect(progressPercent(progress({ doneBytes: 12, totalBytes: 10 }))).toBe(100);
  });

  it('offers Stop while the engine runs or is on its way, Start otherwise', () => {
    for (const state of ['pulling', 'starting', 'downloading-models', 'loading', 'ready'] as const) {
      expect(isEngineActive(state)).toBe(true);
    }
    for (const state of ['no-docker', 'absent', 'stopping', 'stopped', 'failed'] as const) {
      expect(isEngineActive(state)).toBe(false);
    }
  });

  it('puts each state of a start under one of the five steps the first run lists', () => {
    expect(startStepOf('pulling')).toBe('pulling');
    expect(startStepOf('exporting-models')).toBe('downloading-models');
    expect(startStepOf('starting')).toBe('starting');
    expect(startStepOf('loading')).toBe('loading');
    expect(startStepOf('ready')).toBe('ready');
    expect(startStepOf('failed')).toBeNull();
  });

  it('gives sizes in GB with one decimal, never 0 for something', () => {
    expect(gigabytes(0)).toBe(0);
    expect(gigabytes(1)).toBe(0.1);
    expect(gigabytes(1_549_000_000)).toBe(1.5);
    expect(gigabytes(4_360_000_000)).toBe(4.4);
  });

  it('words a sized download in the interface language and keeps the other hints as the engine gave them', () => {
    const half = progress({ phase: 'download-model', doneBytes: 412_000_000, totalBytes: 824_000_000 });
    expect(progressHint(t, half)).toBe('412 MB of 824 MB downloaded');
    expect(progressHint(chineseCatalog('engine'), half)).toBe('已下载 412 MB，共 824 MB');
    const converting = progress({
      phase: 'export-model',
      message: 'Converting model x to model_blade.torchscript (first start only; this can take many minutes)',
      step: 'model-export',
      params: { model: 'x', file: 'model_blade.torchscript', minutes: 0 },
    });
    expect(progressHint(t, converting)).toBe(
      'Converting model x to model_blade.torchscript (first start only; this can take many minutes)',
    );
    expect(
      progressHint(chineseCatalog('engine'), { ...converting, params: { ...converting.params, minutes: 3 } }),
    ).toBe('正在把模型 x 转换为 model_blade.torchscript（仅首次启动需要，可能要很多分钟，已用 3 分钟）');
    const pulling = progress({
      phase: 'pull',
      step: 'pull-extract',
      params: { image: 'funasr:cpu', done: 2, layers: 9 },
    });
    expect(progressHint(t, pulling)).toBe('Unpacking funasr:cpu: 2 of 9 layers');
    expect(progressHint(chineseCatalog('engine'), pulling)).toBe('正在解压 funasr:cpu：已完成 2/9 层');
    const loading = progress({ phase: 'load', step: 'load', params: { file: 'model_quant.onnx' } });
    expect(progressHint(chineseCatalog('engine'), loading)).toBe('正在加载 model_quant.onnx');
  });
});
