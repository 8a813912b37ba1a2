import { connect as tcpConnect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseServerFlags } from '../../funasr-sim/cli-flags.js';
import { makeLogger } from '../../funasr-sim/glog.js';
import { loadDelayMs, loadLines, loadModels } from '../../funasr-sim/model-load.js';
import { startSimServer } from '../../funasr-sim/server.js';
import { connect } from './sim-client.js';
import { closedPort } from '../../helpers/closed-port.js';

const ASR = 'iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx';
const VAD = 'iic/speech_fsmn_vad_zh-cn-16k-common-onnx';

describe('model loading', () => {
  it('logs one load line per model used, with its required file', () => {
    const flags = parseServerFlags(
      ['--download-model-dir', '/m', '--model-dir', ASR, '--vad-dir', VAD, '--quantize', 'false'].concat([
        '--itn-dir',
        '',
        '--lm-dir',
        'iic/speech_ngram_lm_zh-cn-ai-wesp-fst',
      ]),
    );
    expect(loadLines(flags)).toEqual([
      {
        severity: 'I',
        source: 'fsmn-vad.cpp:38',
        text: `Successfully load model from /m/${VAD}/model_quant.onnx`,
      },
      {
        severity: 'I',
        source: 'paraformer.cpp:48',
        text: `Successfully load model from /m/${ASR}/model.onnx`,
      },
      {
        severity: 'I',
        source: 'wfst-decoder.cpp:21',
        text: 'Successfully load model from /m/iic/speech_ngram_lm_zh-cn-ai-wesp-fst/TLG.fst',
      },
    ]);
  });

  it('with --gpu loads the TorchScript export in the GPU build, and says "GPU is not supported" in a CPU build', () => {
    const gpuAsr = 'iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-pytorch';
    const flags = parseServerFlags([
      '--download-model-dir',
      '/m',
      '--model-dir',
      gpuAsr,
      '--gpu',
      '--itn-dir',
      '',
      '--lm-dir',
      '',
    ]);
    expect(loadLines(flags, true)).toEqual([
      {
        severity: 'I',
        source: 'paraformer.cpp:48',
        text: `Successfully load model from /m/${gpuAsr}/model_blade.torchscript`,
      },
    ]);
    const cpu = loadLines(flags, false);
    expect(cpu.map((line) => line.severity)).toEqual(['E', 'I']);
    expect(cpu[0]?.text).toBe(
      'GPU is not supported! CPU will be used! If you want to use GPU, please add -DGPU=ON when cmake',
    );
    expect(cpu[1]?.text).toBe(`Successfully load model from /m/${gpuAsr}/model_quant.onnx`);
    const noBlade = parseServerFlags([
      '--model-dir',
      gpuAsr,
      '--gpu',
      '--bladedisc',
      'false',
      '--itn-dir',
      '',
    ]);
    expect(loadLines(noBlade, true).at(0)?.text).toMatch(/\/model\.torchscript$/);
  });

  it('reads FUNASR_SIM_LOAD_MS, defaulting to no delay', () => {
    expect(loadDelayMs({ FUNASR_SIM_LOAD_MS: '1500' })).toBe(1500);
    expect(loadDelayMs({})).toBe(0);
    expect(loadDelayMs({ FUNASR_SIM_LOAD_MS: 'soon' })).toBe(0);
  });

  it('accepts TCP while loading but answers the websocket handshake only after the ready line', async () => {
    const lines: string[] = [];
    const flags = parseServerFlags(['--model-dir', ASR, '--vad-dir', VAD, '--itn-dir', '', '--lm-dir', '']);
    const port = await closedPort();
    const isReady = (): boolean => lines.some((line) => line.includes('asr model init finished'));
    let tcpWhileLoading = false;
    let opening: Promise<boolean> | undefined;
    const sim = await startSimServer({
      protocol: 'offline',
      port,
      log: (line) => lines.push(line),
      loadModels: async () => {
        tcpWhileLoading = await tcpAccepts(port);
        opening = connect(`ws://127.0.0.1:${port}`).then((client) => {
          client.close();
          return isReady();
        });
        await loadModels(
          flags,
          makeLogger((line) => lines.push(line)),
          300,
        );
      },
    });
    try {
      expect(tcpWhileLoading).toBe(true);
      expect(await opening).toBe(true);
      const text = lines.map((line) => line.replace(/^.*?\] /, ''));
      const loads = text.filter((line) => line.startsWith('Successfully load model from'));
      expect(loads).toHaveLength(2);
      expect(text.indexOf(loads[0]!)).toBeGreaterThan(text.indexOf('SSL is closed!'));
      expect(text.findIndex((line) => line.startsWith('asr model init finished'))).toBeGreaterThan(
        text.indexOf(loads[1]!),
      );
    } finally {
      await sim.close();
    }
  });
});

/** Whether a TCP connection to 127.0.0.1:port is accepted. */
function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
