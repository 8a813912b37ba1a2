// One client for both server kinds: the file session against the stand-in 2pass server (sentences collected up to the
// final message, small frames so no sentence is lost) and the offline one, plus the reply deadlines on a live socket.
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  DEFAULT_FRAME_BYTES,
  runOfflineSession,
  transcribeOffline,
  type OfflineTranscribeRequest,
} from '../../../src-main/asr/offline-session.js';
import type { Sentence } from '../../../src-shared/types.js';
import { BURSTS, burstFileRequest, expectSentencesOnBursts } from './burst-requests.js';
import type { Burst } from './pcm-bursts.js';
import { useSimFixture } from './sim-fixture.js';

const fixture = useSimFixture();

/** A request for `bursts` in a file of `durationMs` (default: the three-burst file). */
function request(
  url: string,
  extra: Partial<OfflineTranscribeRequest> = {},
  durationMs?: number,
  bursts?: readonly Burst[],
): Promise<OfflineTranscribeRequest> {
  return burstFileRequest(fixture.dir(), url, extra, durationMs, bursts);
}

/** The sentences sit on the bursts and every one has token times inside it. */
function expectTimedSentencesOnBursts(sentences: readonly Sentence[]): void {
  expectSentencesOnBursts(sentences);
  for (const sentence of sentences) {
    expect(sentence.tokens.length).toBeGreaterThan(0);
    for (const token of sentence.tokens) {
      expect(token.startMs).toBeGreaterThanOrEqual(sentence.startMs);
      expect(token.endMs).toBeLessThanOrEqual(sentence.endMs);
    }
  }
}

describe('the file session against the stand-in 2pass server', () => {
  it('collects every sentence up to the final message, with token times on the speech', async () => {
    const sim = await fixture.start({ protocol: '2pass' });
    const { transcript, server } = await runOfflineSession(await request(sim.url));
    expect(server).toEqual({ kind: '2pass', timestamps: true });
    expect(transcript.approximate).toBe(false);
    expect(transcript.durationMs).toBe(9500);
    expectTimedSentencesOnBursts(transcript.sentences);
    const session = sim.sessions[0];
    expect(session?.config).toMatchObject({ mode: 'offline', chunk_size: [5, 10, 5], wav_format: 'pcm' });
    const modes = (session?.replies ?? []).map((reply) => (reply as { mode?: string }).mode);
    expect(modes.filter((mode) => mode === '2pass-offline')).toHaveLength(BURSTS.length);
  });

  it('loses sentences with the old 256 KiB frames, none with its own frames', async () => {
    const sim = await fixture.start({ protocol: '2pass' });
    const oldFrames = await transcribeOffline(await request(sim.url, { frameBytes: 256 * 1024 }));
    expect(oldFrames.sentences.length).toBeLessThan(BURSTS.length);
    const ownFrames = await transcribeOffline(await request(sim.url));
    expectTimedSentencesOnBursts(ownFrames.sentences);
    expect(DEFAULT_FRAME_BYTES).toBe(6400);
  });

  it('transcribes a short utterance and an empty file', async () => {
    const sim = await fixture.start({ protocol: '2pass' });
    const short = await transcribeOffline(await request(sim.url, {}, 1200, [{ startMs: 200, endMs: 1000 }]));
    expect(short.sentences).toHaveLength(1);
    expect(Math.abs((short.sentences[0]?.startMs ?? 0) - 200)).toBeLessThanOrEqual(200);
    const empty = await runOfflineSession(await request(sim.url, {}, 0, []));
    expect(empty.transcript).toEqual({ text: '', sentences: [], approximate: false, durationMs: 0 });
    expect(empty.server).toEqual({ kind: '2pass', timestamps: null });
  });

  it('reports a 2pass model without timestamps and still places its sentences', async () => {
    const sim = await fixture.start({
      protocol: '2pass',
      modelDir: 'damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-onnx',
    });
    const { transcript, server } = await runOfflineSession(await request(sim.url));
    expect(server).toEqual({ kind: '2pass', timestamps: false });
    expect(transcript.approximate).toBe(true);
    expect(transcript.text.length).toBeGreaterThan(0);
  });
});

describe('the same session against the stand-in offline server', () => {
  it('takes the first reply as the answer and names the kind', async () => {
    const sim = await fixture.start({ protocol: 'offline' });
    const { transcript, server } = await runOfflineSession(await request(sim.url));
    expect(server).toEqual({ kind: 'offline', timestamps: true });
    expectTimedSentencesOnBursts(transcript.sentences);
    expect(sim.sessions[0]?.config).toMatchObject({ mode: 'offline', chunk_size: [5, 10, 5] });
    expect(sim.sessions[0]?.replies).toHaveLength(1);
  });
});

describe('reply deadlines against a paced 2pass server', () => {
  let wss: WebSocketServer | null = null;
  afterEach(async () => {
    for (const client of wss?.clients ?? []) client.terminate();
    await new Promise((resolve) => wss?.close(resolve));
    wss = null;
  });

  /** A loopback server that, after the end signal, sends `replies` one every `gapMs`. */
  async function pacedServer(replies: (i: number) => object | null, gapMs: number): Promise<string> {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    wss.on('connection', (ws: WebSocket) => {
      ws.on('message', (data, isBinary) => {
        if (isBinary || (JSON.parse(String(data)) as { is_speaking?: boolean }).is_speaking !== false) return;
        let i = 0;
        const timer = setInterval(() => {
          const reply = replies(i++);
          if (reply === null || ws.readyState !== ws.OPEN) return clearInterval(timer);
          ws.send(JSON.stringify(reply));
        }, gapMs);
        ws.on('close', () => clearInterval(timer));
      });
    });
    const address = wss.address();
    return `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  const sentence = (i: number): object => ({
    mode: '2pass-offline',
    text: `第${i}句`,
    is_final: false,
    wav_name: 'x',
  });

  it('keeps waiting while sentences arrive, longer in total than one reply timeout', async () => {
    const url = await pacedServer(
      (i) => (i < 8 ? sentence(i) : i === 8 ? { text: '', is_final: true, wav_name: 'x' } : null),
      150,
    );
    // Nine replies 150 ms apart take well over one 600 ms reply timeout, and stay within the total (600 ms + 2 s).
    const transcript = await transcribeOffline(await request(url, { replyTimeoutMs: 600 }, 2000, []));
    expect(transcript.text).toBe('第0句第1句第2句第3句第4句第5句第6句第7句');
  });

  it('gives up on a server that keeps sending but never finishes', async () => {
    const url = await pacedServer((i) => ({ ...sentence(i), mode: '2pass-online' }), 50);
    await expect(
      transcribeOffline(await request(url, { replyTimeoutMs: 400 }, 200, [])),
    ).rejects.toMatchObject({
      code: 'ASR_TIMEOUT',
      message: expect.stringContaining('did not finish it') as unknown,
    });
  });

  it('reports the 2pass server error text of a final message without mode', async () => {
    const url = await pacedServer(
      (i) =>
        i === 0
          ? { text: 'ERROR. Real-time transcription service ONLY SUPPORT PCM stream.', is_final: true }
          : null,
      20,
    );
    await expect(transcribeOffline(await request(url, {}, 200, []))).rejects.toMatchObject({
      code: 'ASR_SERVER_ERROR',
    });
  });
});
