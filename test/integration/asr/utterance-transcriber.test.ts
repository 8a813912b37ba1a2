import { readdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import type { Sentence } from '../../../src-shared/types.js';
import {
  interpolatedTokens,
  transcribeWithSentenceTimes,
  UPLOAD_SHARE,
  UTTERANCE_CONNECTIONS,
  type TimedTranscribeRequest,
} from '../../../src-main/asr/utterance-transcriber.js';
import { MAX_EXPECTED_SHARE } from '../../../src-main/asr/recognition-pace.js';
import { noteServerTimestamps } from '../../../src-main/asr/server-timestamps.js';
import { checkEngine } from '../../../src-main/engine/pool/remote-engine.js';
import { burstFileRequest } from './burst-requests.js';
import type { Burst } from './pcm-bursts.js';
import { useSimFixture } from './sim-fixture.js';

const fixture = useSimFixture();
const PLAIN_PARAFORMER = 'damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-onnx';
const ENGLISH = 'damo/speech_paraformer-large_asr_nat-en-16k-common-vocab10020-onnx';
/** Speech with pauses of 0.9–1.7 s between, and silence before the first and after the last. */
const BURSTS: Burst[] = [
  { startMs: 600, endMs: 2400 },
  { startMs: 3300, endMs: 4100 },
  { startMs: 5000, endMs: 7900 },
  { startMs: 9600, endMs: 11_000 },
];
const DURATION_MS = 12_500;

/** A request for the four-burst file; `onProgress` is the one overall fraction of this API. */
async function request(
  url: string,
  extra: Partial<TimedTranscribeRequest> = {},
): Promise<TimedTranscribeRequest> {
  const file = await burstFileRequest(fixture.dir(), url, {}, DURATION_MS, BURSTS);
  return { ...file, onProgress: undefined, ...extra };
}

/** Every sentence edge lies within 60 ms of its burst's edge. */
function expectOnBursts(sentences: readonly Sentence[]): void {
  expect(sentences).toHaveLength(BURSTS.length);
  sentences.forEach((sentence, index) => {
    expect(Math.abs(sentence.startMs - (BURSTS[index]?.startMs ?? NaN))).toBeLessThanOrEqual(60);
    expect(Math.abs(sentence.endMs - (BURSTS[index]?.endMs ?? NaN))).toBeLessThanOrEqual(60);
  });
}

/** Names of the utterance folders left in the temporary directory. */
async function utteranceFolders(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('funscribe-utterances-'));
}

describe('transcribeWithSentenceTimes', () => {
  it('sends the whole file once to a server that gives timestamps', async () => {
    const sim = await fixture.start();
    const transcript = await transcribeWithSentenceTimes(await request(sim.url));
    expect(sim.sessions).toHaveLength(1);
    expect(transcript.approximate).toBe(false);
    expectOnBursts(transcript.sentences);
  });

  it('redoes a file by utterance when the server gives text without timestamps, and remembers the server', async () => {
    const before = await utteranceFolders();
    const sim = await fixture.start({ modelDir: PLAIN_PARAFORMER });
    const progress: number[] = [];
    const first = await transcribeWithSentenceTimes(
      await request(sim.url, { onProgress: (fraction) => progress.push(fraction) }),
    );
    expect(sim.sessions).toHaveLength(1 + BURSTS.length);
    expect(sim.sessions[0]?.audioBytes).toBe(DURATION_MS * 32);
    // Each utterance is its speech plus 200 ms of the pause on either side (connections may open in any order).
    const sent = sim.sessions.slice(1).map((session) => session.audioBytes);
    const expected = BURSTS.map((burst) => (burst.endMs - burst.startMs + 400) * 32);
    expect(sent.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    expect(first.approximate).toBe(true);
    expectOnBursts(first.sentences);
    expect(first.text).toBe(first.sentences.map((sentence) => sentence.text).join(''));
    for (const sentence of first.sentences) {
      expect(sentence.text).toMatch(/^[今天我们讨论项目预算和时间安排会议记录需要整理]+。$/);
      expect(sentence.tokens.map((token) => token.text).join('') + '。').toBe(sentence.text);
      expect(sentence.tokens[0]?.startMs).toBe(sentence.startMs);
      expect(sentence.tokens.at(-1)).toMatchObject({ endMs: sentence.endMs, punc: '。' });
    }
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);
    expect(progress.some((fraction) => fraction > 0.3 && fraction < 1)).toBe(true);

    const second = await transcribeWithSentenceTimes(await request(sim.url));
    expect(sim.sessions).toHaveLength(1 + 2 * BURSTS.length);
    expect(second.sentences).toEqual(first.sentences);
    expect(await utteranceFolders()).toEqual(before);
  });

  it('moves the progress on while a server it has timed recognises a file, never to the end before the answer', async () => {
    const sim = await fixture.start();
    /** Transcribes the file while the server holds its answer `holdMs` after it has all the audio. */
    const transcribeHeld = async (holdMs: number): Promise<number[]> => {
      const progress: number[] = [];
      const hold = sim.holdReplies();
      const done = transcribeWithSentenceTimes(
        await request(sim.url, { onProgress: (fraction) => progress.push(fraction) }),
      );
      await vi.waitFor(() => expect(hold.waiting).toBeGreaterThan(0), { timeout: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      const heldAt = progress.length;
      hold.release();
      expectOnBursts((await done).sentences);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBe(1);
      return progress.slice(0, heldAt);
    };
    const waiting = (progress: number[]): number[] =>
      progress.filter((fraction) => fraction > UPLOAD_SHARE && fraction < 1);

    // A server not timed yet (nor known to give token times): the wait shows no progress it cannot know.
    expect(waiting(await transcribeHeld(1500))).toEqual([]);
    // Timed by that answer: the next wait, longer than the last, moves on once a second and stops short of the end.
    const second = waiting(await transcribeHeld(3500));
    expect(second.length).toBeGreaterThan(0);
    expect(Math.max(...second)).toBeLessThanOrEqual(UPLOAD_SHARE + MAX_EXPECTED_SHARE * (1 - UPLOAD_SHARE));
  });

  it('sends the first file by utterance to a server an engine check found without timestamps', async () => {
    const sim = await fixture.start({ modelDir: PLAIN_PARAFORMER });
    const health = await checkEngine(sim.url);
    expect(health.server).toEqual({ kind: 'offline', timestamps: false });
    const checked = sim.sessions.length;
    const transcript = await transcribeWithSentenceTimes(await request(sim.url));
    expect(sim.sessions).toHaveLength(checked + BURSTS.length);
    expectOnBursts(transcript.sentences);
  });

  it('lets a check that heard no words say what earlier files on the server showed', async () => {
    // A server that recognises nothing in the check's probe, as a real one may with a pure tone.
    const deaf = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    deaf.on('connection', (socket) =>
      socket.on('message', (data, isBinary) => {
        if (!isBinary && JSON.parse(String(data)).is_speaking === false) {
          socket.send(JSON.stringify({ is_final: false, mode: 'offline', text: '', wav_name: 'x' }));
        }
      }),
    );
    await new Promise((resolve) => deaf.once('listening', resolve));
    const url = `ws://127.0.0.1:${(deaf.address() as AddressInfo).port}`;
    try {
      expect((await checkEngine(url)).server).toEqual({ kind: 'offline', timestamps: null });
      noteServerTimestamps(url, false);
      expect((await checkEngine(url)).server).toEqual({ kind: 'offline', timestamps: false });
    } finally {
      await new Promise((resolve) => deaf.close(resolve));
    }
  });

  it('gives English sentences with spaces between them for the English model', async () => {
    const sim = await fixture.start({ modelDir: ENGLISH });
    const transcript = await transcribeWithSentenceTimes(await request(sim.url));
    expectOnBursts(transcript.sentences);
    expect(transcript.text).toMatch(/^today [a-z ]+\. [a-z]/);
    expect(transcript.text).toBe(transcript.sentences.map((sentence) => sentence.text).join(' '));
  });

  it(`keeps at most ${UTTERANCE_CONNECTIONS} utterances in flight`, async () => {
    const logs: string[] = [];
    const sim = await fixture.start({
      modelDir: PLAIN_PARAFORMER,
      faults: ['slow-reply'],
      slowReplyMs: 150,
      log: (line) => logs.push(line),
    });
    await transcribeWithSentenceTimes(await request(sim.url));
    logs.length = 0;
    await transcribeWithSentenceTimes(await request(sim.url));
    const active = logs
      .flatMap((line) => /on_open, active connections: (\d+)/.exec(line)?.[1] ?? [])
      .map(Number);
    expect(active).toHaveLength(BURSTS.length);
    expect(Math.max(...active)).toBe(UTTERANCE_CONNECTIONS);
  });

  it("uses the server's own times, shifted to the file, when an utterance's reply has them", async () => {
    const plain = await fixture.start({ modelDir: PLAIN_PARAFORMER });
    await transcribeWithSentenceTimes(await request(plain.url));
    await plain.close();
    const stamped = await fixture.start({ port: plain.port });
    const transcript = await transcribeWithSentenceTimes(await request(stamped.url));
    expect(stamped.sessions).toHaveLength(BURSTS.length);
    expect(transcript.approximate).toBe(false);
    expectOnBursts(transcript.sentences);
    for (const [index, sentence] of transcript.sentences.entries()) {
      expect(sentence.tokens.length).toBeGreaterThan(1);
      expect(sentence.tokens[0]?.startMs).toBeGreaterThanOrEqual(BURSTS[index]!.startMs - 60);
      expect(sentence.tokens.at(-1)?.endMs).toBeLessThanOrEqual(BURSTS[index]!.endMs + 60);
    }
    await transcribeWithSentenceTimes(await request(stamped.url));
    expect(stamped.sessions, 'the next file goes whole again').toHaveLength(BURSTS.length + 1);
  });

  it('stops every utterance when cancelled, leaving no connection or temporary file', async () => {
    const before = await utteranceFolders();
    const sim = await fixture.start({ modelDir: PLAIN_PARAFORMER });
    await transcribeWithSentenceTimes(await request(sim.url));
    await sim.close();
    const stuck = await fixture.start({ modelDir: PLAIN_PARAFORMER, port: sim.port, faults: ['no-reply'] });
    const controller = new AbortController();
    const run = transcribeWithSentenceTimes(await request(stuck.url, { signal: controller.signal }));
    const waiting = (): number =>
      stuck.sessions.filter((session) => session.config.is_speaking === false).length;
    await vi.waitFor(() => expect(waiting()).toBe(UTTERANCE_CONNECTIONS));
    expect(await utteranceFolders()).toHaveLength(before.length + 1);
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(stuck.sessions).toHaveLength(UTTERANCE_CONNECTIONS);
    await vi.waitFor(() => expect(process.getActiveResourcesInfo()).not.toContain('TCPSocketWrap'));
    expect(await utteranceFolders()).toEqual(before);
  });

  it('fails with the first utterance error after a timeout, keeping its deadline', async () => {
    const sim = await fixture.start({ modelDir: PLAIN_PARAFORMER });
    await transcribeWithSentenceTimes(await request(sim.url));
    await sim.close();
    const stuck = await fixture.start({ modelDir: PLAIN_PARAFORMER, port: sim.port, faults: ['no-reply'] });
    await expect(
      transcribeWithSentenceTimes(await request(stuck.url, { replyTimeoutMs: 300 })),
    ).rejects.toMatchObject({
      code: 'ASR_TIMEOUT',
    });
    expect(stuck.sessions.length).toBeLessThanOrEqual(UTTERANCE_CONNECTIONS);
  });
});

describe('interpolatedTokens', () => {
  it('spreads the characters over the span by size, punctuation on the token before', () => {
    expect(interpolatedTokens('ab, cdef.', 1000, 1600)).toEqual([
      { text: 'ab', startMs: 1000, endMs: 1200, punc: ',' },
      { text: 'cdef', startMs: 1200, endMs: 1600, punc: '.' },
    ]);
    expect(interpolatedTokens('今天，好。', 0, 300)).toEqual([
      { text: '今', startMs: 0, endMs: 100 },
      { text: '天', startMs: 100, endMs: 200, punc: '，' },
      { text: '好', startMs: 200, endMs: 300, punc: '。' },
    ]);
  });
});
