import { describe, expect, it } from 'vitest';
import { LogTail, parseLogLine, stripGlogPrefix } from '../../../src-main/engine/log-parser.js';
import { progressForEvent, stateFromLog } from '../../../src-main/engine/readiness.js';

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
  g('model is not exist, begin to export model_quant.onnx'),
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
      doneBytes: 105e6,
      totalBytes: 234e6,
    });
    expect(events[5]).toEqual({ type: 'export', file: 'model_quant.onnx' });
    expect(events.at(-1)).toEqual({ type: 'ready', port: 10095 });
  });

  it('accepts other download progress shapes', () => {
    expect(parseLogLine('Downloading: 12%|█▏        | 98.0M/822M [00:02<00:18, 40.1MB/s]')).toEqual({
      type: 'download-progress',
      percent: 12,
      doneBytes: 98e6,
      totalBytes: 822e6,
    });
    expect(parseLogLine('Downloading model.onnx: 1.2GB/2.4GB')).toMatchObject({
      percent: 50,
      totalBytes: 2.4e9,
    });
    expect(parseLogLine('Downloading 37.5%')).toMatchObject({ percent: 37.5, doneBytes: null });
    expect(parseLogLine(g('download-model-dir : /workspace/models'))).toBeNull();
    expect(parseLogLine(g('阿里巴巴 : 20'))).toBeNull();
  });

  it('recognises fatal lines', () => {
    const fatal = [
      g('/workspace/models/iic/x/model_quant.onnx do not exists.'),
      "terminate called after throwing an instance of 'std::runtime_error'",
      g('GPU is not supported! Please rebuild with -DGPU=ON'),
    ];
    for (const line of fatal) expect(parseLogLine(line)?.type).toBe('fatal');
    expect(
      parseLogLine(
        g(
          'Failed to download model from modelscope. If you set local vad model path, you can ignore the errors.',
        ),
      ),
    ).toMatchObject({ type: 'download-failed' });
  });

  it('judges the state from a log', () => {
    expect(stateFromLog(FIRST_START)).toBe('ready');
    expect(stateFromLog(FIRST_START.slice(0, 6))).toBe('downloading-models');
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
      doneBytes: 105e6,
      totalBytes: 234e6,
      message: 'Downloading model iic/asr: 45% (105.0 MB of 234.0 MB)',
    });
    expect(progressForEvent(parseLogLine(FIRST_START[10]!)!, null)?.message).toBe('Loading model_quant.onnx');
  });
});

describe('LogTail', () => {
  it('keeps the last N lines', () => {
    const tail = new LogTail(3);
    for (const line of ['a', 'b', 'c', 'd', 'e']) tail.push(line);
    expect(tail.get()).toEqual(['c', 'd', 'e']);
  });
});
