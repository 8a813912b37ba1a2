import { afterEach, describe, expect, it } from 'vitest';
import { SCRIPT_DEFAULT_MODEL_DIRS } from '../../funasr-sim/asr-model.js';
import { startSimServer, type SimServer } from '../../funasr-sim/server.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { burstPcm, connect, sendPcm } from './sim-client.js';

const PLAIN_ZH = 'damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-onnx';
const ENGLISH = 'damo/speech_paraformer-large_asr_nat-en-16k-common-vocab10020-onnx';
const PCM = burstPcm(5000, [
  { start: 400, end: 1500 },
  { start: 2500, end: 3800 },
]);

type Reply = Record<string, unknown>;
const running: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function server(protocol: 'offline' | '2pass', modelDir?: string): Promise<SimServer> {
  const sim = await startSimServer({ protocol, port: 0, modelDir, log: () => undefined });
  running.push(sim);
  return sim;
}

/** The offline reply to the two bursts. */
async function offlineReply(url: string): Promise<Reply> {
  const client = await connect(url);
  client.ws.send(JSON.stringify({ mode: 'offline', wav_name: 'f', is_speaking: true }));
  sendPcm(client.ws, PCM);
  client.ws.send(JSON.stringify({ is_speaking: false }));
  const reply = JSON.parse(await client.reply(0)) as Reply;
  client.close();
  return reply;
}

/** The 2pass-offline sentences and the final message of a 2pass stream of the two bursts. */
async function twoPassSentences(url: string): Promise<Reply[]> {
  const client = await connect(url);
  client.ws.send(JSON.stringify({ mode: '2pass', chunk_size: [5, 10, 5], wav_name: 'f', is_speaking: true }));
  sendPcm(client.ws, PCM, 1920);
  client.ws.send(JSON.stringify({ is_speaking: false }));
  const replies = await client.until((reply) => reply.is_final === true);
  client.close();
  return replies.filter((reply) => reply.mode === '2pass-offline' || reply.is_final === true);
}

describe('the ASR model decides timestamps and language', () => {
  it('gives timestamps by default, as run_server.sh starts the vad-punc model', async () => {
    const reply = await offlineReply((await server('offline')).url);
    expect(Object.keys(reply)).toEqual(['is_final', 'mode', 'stamp_sents', 'text', 'timestamp', 'wav_name']);
  });

  it.each([
    ['a plain Paraformer id', PLAIN_ZH, /^今天.*。$/],
    ["the offline binary's own default directory", '/workspace/models/asr', /^今天.*。$/],
    ['the English model id', ENGLISH, /^today .*\.$/],
    ['the English model in the models volume', `/workspace/models/${ENGLISH}`, /^today .*\.$/],
  ])('gives text only for %s', async (_name, modelDir, text) => {
    const reply = await offlineReply((await server('offline', modelDir)).url);
    expect(Object.keys(reply)).toEqual(['is_final', 'mode', 'text', 'wav_name']);
    expect(reply.text).toMatch(text);
  });

  it('the English model answers in English even when Chinese placeholders are asked for', async () => {
    const sim = await startSimServer({ protocol: 'offline', port: 0, modelDir: ENGLISH, language: 'zh' });
    running.push(sim);
    expect((await offlineReply(sim.url)).text).toMatch(/^today /);
  });

  it('a 2pass server stamps its offline sentences only with the vad-punc model', async () => {
    const stamped = await twoPassSentences((await server('2pass', SCRIPT_DEFAULT_MODEL_DIRS['2pass'])).url);
    expect(stamped.filter((reply) => typeof reply.timestamp === 'string')).not.toHaveLength(0);
    const plain = await twoPassSentences((await server('2pass', PLAIN_ZH)).url);
    expect(plain.some((reply) => (reply.text as string).length > 0)).toBe(true);
    for (const reply of plain) expect(Object.keys(reply)).not.toContain('stamp_sents');
    for (const reply of plain) expect(typeof reply.timestamp).not.toBe('string');
  });

  it('the command line takes the model from --model-dir', async () => {
    const processes: SimProcess[] = [];
    try {
      for (const args of [
        ['--model-dir', ENGLISH],
        ['--model-dir', '/workspace/models/asr'],
      ]) {
        const sim = await startSimProcess(args);
        processes.push(sim);
        expect(Object.keys(await offlineReply(sim.url))).toEqual(['is_final', 'mode', 'text', 'wav_name']);
      }
    } finally {
      await Promise.all(processes.map((sim) => sim.stop()));
    }
  });
});
