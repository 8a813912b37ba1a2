// The ASR client against broken and hostile servers (a real websocket server on loopback, scripted per test): absurd
// times, a server that stops reading, a session past its deadline, oversized replies and control characters.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transcribeOffline, type OfflineTranscribeRequest } from '../../../src-main/asr/offline-session.js';
import {
  offlineReply,
  replyingWithPieces as replying,
  TODAY_PIECE,
  useHostileServers,
  type HostileServer,
  type HostileSession,
} from '../../helpers/hostile-server.js';
import { writeBurstPcm } from './pcm-bursts.js';

let dir = '';
const serve = useHostileServers();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'funscribe-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A request for `durationMs` of PCM with one tone burst at 500–2000 ms. */
async function request(
  url: string,
  durationMs = 3000,
  extra: Partial<OfflineTranscribeRequest> = {},
): Promise<OfflineTranscribeRequest> {
  const pcmPath = join(dir, `audio-${durationMs}.pcm`);
  await writeBurstPcm(pcmPath, durationMs, [{ startMs: 500, endMs: 2000 }]);
  return { url, pcmPath, wavName: 'hostile', hotwords: [], itn: true, allowSelfSignedTls: false, ...extra };
}

/** True when the text holds a C0 or C1 control character (or DEL). */
function hasControlChar(text: string): boolean {
  return [...text].some((char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });
}

describe('absurd times', () => {
  it('clamps every time into the audio and drops times wholly past its end, keeping the words', async () => {
    const server = await serve(
      replying([
        TODAY_PIECE,
        {
          text_seg: '我 们',
          punc: '，',
          start: 0,
          end: 1e9,
          ts_list: [
            [900, 1e9],
            [9e15, 9e15 + 1],
          ],
        },
        { text_seg: '开 会', punc: '。', start: 0, end: 9e15, ts_list: [] },
        { text_seg: '好', punc: '。', start: 9e15, end: 9e15 + 500, ts_list: [[9e15, 9e15 + 500]] },
      ]),
    );
    const transcript = await transcribeOffline(await request(server.url));
    expect(transcript.durationMs).toBe(3000);
    expect(transcript.sentences.map((s) => s.text)).toEqual(['今天，', '我们，', '开会。', '好。']);
    for (const sentence of transcript.sentences) {
      expect(sentence.startMs).toBeGreaterThanOrEqual(0);
      expect(sentence.endMs).toBeLessThanOrEqual(3000);
      for (const token of sentence.tokens) expect(token.endMs).toBeLessThanOrEqual(3000);
    }
    // The token past the end lost its time (and so is not a timed token); the one running past the end was clamped.
    expect(transcript.sentences[1]!.tokens).toEqual([{ text: '我', startMs: 900, endMs: 3000, punc: '，' }]);
    expect(transcript.sentences[2]).toMatchObject({ startMs: 0, endMs: 3000 });
    expect(transcript.approximate).toBe(true);
  });

  it('places a reply none of whose times lie in the audio over the audio, as approximate', async () => {
    const server = await serve(
      replying([{ text_seg: '今 天', punc: '。', start: 9e15, end: 9e15 + 9, ts_list: [[9e15, 9e15 + 9]] }]),
    );
    const transcript = await transcribeOffline(await request(server.url));
    expect(transcript.sentences).toEqual([{ startMs: 0, endMs: 3000, text: '今天。', tokens: [] }]);
    expect(transcript.approximate).toBe(true);
  });
});

describe('a server that stops reading', () => {
  // 10 minutes of audio (19.2 MB): more than the loopback socket buffers hold, so the upload really stalls.
  const LONG_MS = 600_000;

  /**
   * Expects the session to end with ASR_TIMEOUT saying `message`, and the connection to be closed (the server reads
   * again and sees the close); returns the server's side of the session.
   */
  async function expectTimedOut(
    server: HostileServer,
    pending: Promise<unknown>,
    message: string,
  ): Promise<HostileSession> {
    await expect(pending).rejects.toMatchObject({
      code: 'ASR_TIMEOUT',
      message: expect.stringContaining(message) as unknown,
    });
    const session = server.sessions[0]!;
    session.resumeReading();
    await session.closed;
    return session;
  }

  it('ends the upload with ASR_TIMEOUT after the stall limit and closes the socket', async () => {
    const server = await serve({ onOpen: (session) => session.stopReading() });
    const pending = transcribeOffline(await request(server.url, LONG_MS, { stallTimeoutMs: 1000 }));
    const session = await expectTimedOut(
      server,
      pending,
      'stopped taking the audio: nothing could be sent for 1 s',
    );
    expect(session.audioBytes).toBeLessThan(LONG_MS * 32);
  });

  it('ends the session at its deadline while a send waits to drain', async () => {
    const server = await serve({ onOpen: (session) => session.stopReading() });
    const pending = transcribeOffline(
      await request(server.url, LONG_MS, { stallTimeoutMs: 120_000, sessionTimeoutMs: 800 }),
    );
    const session = await expectTimedOut(server, pending, 'did not finish 10 min of audio within 0.8 s');
    expect(session.audioBytes).toBeLessThan(LONG_MS * 32);
  });

  it('ends the session at its deadline after the end of audio when no reply comes', async () => {
    const server = await serve({});
    const pending = transcribeOffline(
      await request(server.url, 3000, { replyTimeoutMs: 120_000, sessionTimeoutMs: 1500 }),
    );
    const session = await expectTimedOut(server, pending, 'did not finish 3 s of audio within 1.5 s');
    expect(session.endSeen).toBe(true);
  });
});

describe('oversized replies', () => {
  it('refuses one reply larger than the limit with ASR_BAD_REPLY', async () => {
    const server = await serve({
      onEnd: (session) =>
        session.send(offlineReply(session.start?.wav_name, { text: '好'.repeat(6 * 1024 * 1024) })),
    });
    await expect(transcribeOffline(await request(server.url))).rejects.toMatchObject({
      code: 'ASR_BAD_REPLY',
      message: expect.stringContaining('sent a reply larger than 16 MiB') as unknown,
    });
    await server.sessions[0]!.closed;
  });

  it('refuses a 2pass server whose sentence replies together pass the limit', async () => {
    const sentence = JSON.stringify({
      is_final: false,
      mode: '2pass-offline',
      text: '好'.repeat(1024 * 1024),
    });
    const server = await serve({
      onEnd: async (session) => {
        for (let i = 0; i < 8 && session.socket.readyState === session.socket.OPEN; i++)
          await session.send(sentence);
      },
    });
    await expect(transcribeOffline(await request(server.url))).rejects.toMatchObject({
      code: 'ASR_BAD_REPLY',
      message: expect.stringContaining('more than 16 MiB of replies') as unknown,
    });
  });

  it('refuses more sentence pieces than the audio can hold, without overflowing the stack', async () => {
    const pieces = Array.from({ length: 130_000 }, (_, i) => ({
      text_seg: '好',
      punc: '，',
      start: i % 3000,
      end: (i % 3000) + 1,
      ts_list: [[i % 3000, (i % 3000) + 1]],
    }));
    const server = await serve(replying(pieces));
    await expect(transcribeOffline(await request(server.url))).rejects.toMatchObject({
      code: 'ASR_BAD_REPLY',
      message: expect.stringContaining('sent 130,000 sentence pieces for 3 s of audio') as unknown,
    });
  });
});

describe('control characters', () => {
  it('are dropped from the text and the pieces before anything is stored', async () => {
    const pieces = [
      {
        text_seg: '今 \u001b[2J天',
        punc: '，',
        start: 500,
        end: 900,
        ts_list: [
          [500, 700],
          [700, 900],
        ],
      },
      {
        text_seg: '开\u009b31m 会\u0007',
        punc: '。\r',
        start: 900,
        end: 1300,
        ts_list: [
          [900, 1100],
          [1100, 1300],
        ],
      },
    ];
    const server = await serve(replying(pieces, '\u001b]0;owned\u0007今天，\u001b[2J开会。\u009b'));
    const transcript = await transcribeOffline(await request(server.url));
    const strings: string[] = [];
    JSON.stringify(transcript, (_key, value: unknown) => {
      if (typeof value === 'string') strings.push(value);
      return value;
    });
    expect(strings.filter(hasControlChar)).toEqual([]);
    expect(transcript.text).toBe(']0;owned今天，[2J开会。');
    expect(transcript.sentences.map((s) => s.text)).toEqual(['今[2J天，', '开31m会。']);
  });

  it('are dropped from what a server puts in an error message', async () => {
    const server = await serve({
      onEnd: (session) => session.socket.close(4000, '\u001b[2J\u001b]0;owned\u0007gone'),
    });
    const error: unknown = await transcribeOffline(await request(server.url)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ASR_CONNECTION_LOST' });
    expect((error as Error).message).toContain('"[2J]0;ownedgone"');
    expect(hasControlChar((error as Error).message)).toBe(false);
  });
});
