import { describe, expect, it } from 'vitest';
import { LogTail, parseLogLine, stripGlogPrefix } from '../../../src-main/engine/log-parser.js';
import { exportProgress, progressForEvent, stateFromLog } from '../../../src-main/engine/readiness.js';

const MiB = 1024 * 1024;

const g = (text: string, source = 'funasr-wss-server.cpp:313') =>
  `I20260723 18:01:50.732967   107 ${source}] ${text}`;

/** A first start of the offline server as §3 of funasr-runtime.md describes it (abridged). */
const FIRST_START = [
  g('model-dir : iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx'),
  g('Download model: iic/speech_fsmn_vad_zh-cn-16k-common-onnx from modelscope: '),
  '2026-07-23 18:01:51,120 - modelscope - INFO - Downloading: 100%|██████████| 1.72M/1.72M [00:00<00:00, 8.1MB/s]',
  g('Set vad-dir : /workspace/models/iic/speech_fsmn_vad_zh-cn-16k-common-onnx'),
  g(
    'Download model: iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx from modelscope: ',
  ),
  'Downloading [model_quant.onnx]:  45%|████▌     | 105M/234M [00:03<00:04, 31.2MB/s]',
  'model is not exist, begin to export /workspace/models/iic/asr-pytorch/model_blade.torchscript',
  g(
    'Set model-dir : /workspace/models/iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx',
  ),
  g('hotword path: /workspace/resources/funscribe-hotwords.txt'),
  g('SSL is closed!'),
  g(
    'Successfully load model from /workspace/models/iic/speech_fsmn_vad_zh-cn-16k-common-onnx/model_quant.onnx',
  ),
  g('decoder-thread-num: 2'),
  g('asr model init finished. listen on port:10095'),
];

describe('parseLogLine', () => {
  it('strips the glog prefix', () => {
    expect(stripGlogPrefix(g('SSL is closed!'))).toBe('SSL is closed!');
    expect(stripGlogPrefix('plain line')).toBe('plain line');
  });

  it('reads a whole first start in order', () => {
    const events = FIRST_START.map(parseLogLine).filter((event) => event !== null);
    expect(events.map((event) => event.type)).toEqual([
      'download-start',
      'download-progress',
      'model-set',
      'download-start',
      'download-progress',
      'export',
      'model-set',
      'load',
      'ready',
    ]);
    expect(events[0]).toEqual({ type: 'download-start', model: 'iic/speech_fsmn_vad_zh-cn-16k-common-onnx' });
    expect(events[4]).toEqual({
      type: 'download-progress',
      percent: 45,
      doneBytes: 105 * MiB,
      totalBytes: 234 * MiB,
    });
    expect(events[5]).toEqual({
      type: 'export',
      file: '/workspace/models/iic/asr-pytorch/model_blade.torchscript',
    });
    expect(events.at(-1)).toEqual({ type: 'ready', port: 10095 });
  });

  it('accepts other download progress shapes', () => {
    expect(parseLogLine('Downloading: 12%|█▏        | 98.0M/822M [00:02<00:18, 40.1MB/s]')).toEqual({
      type: 'download-progress',
      percent: 12,
      doneBytes: 98 * MiB,
      totalBytes: 822 * MiB,
    });
    expect(parseLogLine('Downloading model.onnx: 1.2GB/2.4GB')).toMatchObject({
      percent: 50,
      totalBytes: Math.round(2.4 * 1024 * MiB),
    });
    expect(
      parseLogLine('Downloading [am.mvn]: 100%|██████████| 11.0k/11.0k [00:00<00:00, 24.0MB/s]'),
    ).toMatchObject({ doneBytes: 11 * 1024 });
    expect(parseLogLine('Downloading 37.5%')).toMatchObject({ percent: 37.5, doneBytes: null });
    expect(parseLogLine(g('download-model-dir : /workspace/models'))).toBeNull();
    expect(parseLogLine(g('阿里巴巴 : 20'))).toBeNull();
  });

  it('recognises fatal lines', () => {
    const fatal = [
      g('/workspace/models/iic/x/model_quant.onnx do not exists.'),
      "terminate called after throwing an instance of 'std::runtime_error'",
    ];
    for (const line of fatal) expect(parseLogLine(line)?.type).toBe('fatal');
    const loader = parseLogLine(
      '/workspace/FunASR/runtime/websocket/build/bin/funasr-wss-server: error while loading shared libraries: ' +
        'libtorch_global_deps.so: cannot open shared object file: No such file or directory',
    );
    expect(loader).toMatchObject({ type: 'fatal' });
    expect(loader?.type === 'fatal' && loader.message).toMatch(
      /^the server program cannot run because the library libtorch_global_deps\.so is not on its library path \(.*funasr-wss-server: error while loading shared libraries.*\)\. .*torch and torch_blade.*GPU runtime image/,
    );
    expect(
      parseLogLine(
        g(
          'Failed to download model from modelscope. If you set local vad model path, you can ignore the errors.',
        ),
      ),
    ).toMatchObject({ type: 'download-failed' });
  });

  it('takes "GPU is not supported" as a warning: the server carries on with the CPU', () => {
    const line = g(
      'GPU is not supported! CPU will be used! If you want to use GPU, please add -DGPU=ON when cmake',
      'offline-stream.cpp:45',
    ).replace(/^I/, 'E');
    expect(parseLogLine(line)).toMatchObject({ type: 'warning' });
    expect(stateFromLog([...FIRST_START.slice(0, 11), line])).toBe('loading');
  });

  it('judges the state from a log', () => {
    expect(stateFromLog(FIRST_START)).toBe('ready');
    expect(stateFromLog(FIRST_START.slice(0, 6))).toBe('downloading-models');
    expect(stateFromLog(FIRST_START.slice(0, 7))).toBe('exporting-models');
    expect(stateFromLog(FIRST_START.slice(0, 8))).toBe('exporting-models');
    expect(stateFromLog(FIRST_START.slice(0, 11))).toBe('loading');
    expect(stateFromLog(FIRST_START.slice(0, 1))).toBe('starting');
    expect(stateFromLog([...FIRST_START.slice(0, 3), g('/x/model.onnx do not exists.')])).toBe('failed');
  });

  it('turns events into progress people can read', () => {
    const start = parseLogLine(FIRST_START[4]!)!;
    expect(progressForEvent(start, null)).toMatchObject({
      phase: 'download-model',
      subject: expect.stringContaining('paraformer'),
    });
    const progress = progressForEvent(parseLogLine(FIRST_START[5]!)!, 'iic/asr');
    expect(progress).toEqual({
      phase: 'download-model',
      subject: 'iic/asr',
      doneBytes: 105 * MiB,
      totalBytes: 234 * MiB,
      message: 'Downloading model iic/asr: 45% (105.0 MiB of 234.0 MiB)',
      step: 'model-download',
      params: { model: 'iic/asr' },
    });
    expect(progressForEvent(parseLogLine(FIRST_START[6]!)!, 'iic/asr-pytorch')).toMatchObject({
      phase: 'export-model',
      subject: 'iic/asr-pytorch',
      message: expect.stringMatching(
        /^Converting model iic\/asr-pytorch to model_blade\.torchscript .*many minutes\)$/,
      ),
    });
    // The model is the file's directory, whether the server was given its id or its local path.
    expect(
      exportProgress('/workspace/models/iic/asr-pytorch/model_blade.torchscript', 185_000),
    ).toMatchObject({
      subject: 'iic/asr-pytorch',
      message: expect.stringContaining('3 min so far'),
      step: 'model-export',
      params: { model: 'iic/asr-pytorch', file: 'model_blade.torchscript', minutes: 3 },
    });
    expect(exportProgress('/data/my-model/model.torchscript', 0).subject).toBe('/data/my-model');
    expect(progressForEvent(parseLogLine(FIRST_START[10]!)!, null)?.message).toBe('Loading model_quant.onnx');
    expect(progressForEvent(parseLogLine(FIRST_START[10]!)!, null)).toMatchObject({
      step: 'load',
      params: { file: 'model_quant.onnx' },
    });
  });
});

describe('LogTail', () => {
  it('keeps the last N lines', () => {
    const tail = new LogTail(3);
    for (const line of ['a', 'b', 'c', 'd', 'e']) tail.push(line);
    expect(tail.get()).toEqual(['c', 'd', 'e']);
  });
});
