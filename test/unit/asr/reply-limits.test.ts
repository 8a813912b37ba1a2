// The reply limits never refuse what a real server sends for long, fast speech, and the parser reads huge replies
// without spreading them into function arguments (which overflows the stack past about 120,000 items).
import { describe, expect, it } from 'vitest';
import { parseServerMessage, parseTimestampField } from '../../../src-main/asr/protocol.js';
import {
  checkReplyCounts,
  END_MARGIN_MS,
  maxReplyBytes,
  spanWithinAudio,
} from '../../../src-main/asr/reply-limits.js';

const HOUR_MS = 3_600_000;
const TEXT = '今天我们讨论项目预算和时间安排会议记录需要整理';

/**
 * The offline server's reply (as websocket-server.cpp and TimestampSentence write it) for `durationMs` of speech at
 * `tokensPerSecond`, with a punctuation mark closing a piece every `tokensPerPiece` tokens.
 */
function realReply(durationMs: number, tokensPerSecond: number, tokensPerPiece: number): string {
  const count = Math.floor((durationMs / 1000) * tokensPerSecond);
  const step = 1000 / tokensPerSecond;
  const pairs: [number, number][] = [];
  const pieces: {
    text_seg: string;
    punc: string;
    start: number;
    end: number;
    ts_list: [number, number][];
  }[] = [];
  let text = '';
  let words: string[] = [];
  let spans: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const word = TEXT[i % TEXT.length]!;
    const pair: [number, number] = [Math.round(i * step), Math.round((i + 1) * step)];
    pairs.push(pair);
    words.push(word);
    spans.push(pair);
    text += word;
    if (words.length === tokensPerPiece || i === count - 1) {
      const punc = i === count - 1 ? '。' : '，';
      text += punc;
      pieces.push({ text_seg: words.join(' '), punc, start: spans[0]![0], end: pair[1], ts_list: spans });
      words = [];
      spans = [];
    }
  }
  return JSON.stringify({
    is_final: false,
    mode: 'offline',
    stamp_sents: pieces,
    text,
    timestamp: JSON.stringify(pairs),
    wav_name: 'long',
  });
}

describe('reply limits against real replies', () => {
  it.each([
    ['fast speech (5 characters a second, a mark every 6)', 5, 6],
    ['the model at its limit (one token per 60 ms frame, a mark every 4)', 1000 / 60, 4],
  ])('accept 4 hours of %s', (_name, tokensPerSecond, tokensPerPiece) => {
    const durationMs = 4 * HOUR_MS;
    const raw = realReply(durationMs, tokensPerSecond, tokensPerPiece);
    expect(Buffer.byteLength(raw)).toBeLessThan(maxReplyBytes(durationMs));
    const reply = parseServerMessage(raw);
    expect(reply.timestamps).toHaveLength(Math.floor(4 * 3600 * tokensPerSecond));
    expect(() => checkReplyCounts(reply, durationMs, 'ws://127.0.0.1:10095')).not.toThrow();
  });

  it('keeps a 4-hour reply of fast speech under the fixed 16 MiB', () => {
    expect(Buffer.byteLength(realReply(4 * HOUR_MS, 5, 6))).toBeLessThan(16 * 1024 * 1024);
  });

  it('refuses more pieces or tokens than the audio can hold', () => {
    const reply = parseServerMessage(realReply(HOUR_MS, 5, 1));
    expect(() => checkReplyCounts(reply, 10 * 60_000, 'ws://h:1')).toThrow(
      expect.objectContaining({ code: 'ASR_BAD_REPLY', message: expect.stringContaining('sentence pieces') }),
    );
    const dense = parseServerMessage(realReply(HOUR_MS, 30, 100));
    expect(() => checkReplyCounts(dense, HOUR_MS, 'ws://h:1')).toThrow(
      expect.objectContaining({ code: 'ASR_BAD_REPLY', message: expect.stringContaining('timed tokens') }),
    );
  });
});

describe('huge replies', () => {
  it('reads a timestamp string of 300,000 pairs in one group', () => {
    const pairs = Array.from({ length: 300_000 }, (_, i) => `[${i},${i + 1}]`).join(',');
    expect(parseTimestampField(`[${pairs}]`)).toHaveLength(300_000);
  });
});

describe('spanWithinAudio', () => {
  it('clamps into the audio, keeps the margin and drops what starts past it', () => {
    expect(spanWithinAudio([100, 200], 1000)).toEqual([100, 200]);
    expect(spanWithinAudio([900, 1e9], 1000)).toEqual([900, 1000]);
    expect(spanWithinAudio([1000 + END_MARGIN_MS, 9e15], 1000)).toEqual([1000, 1000]);
    expect(spanWithinAudio([1001 + END_MARGIN_MS, 9e15], 1000)).toBeNull();
    expect(spanWithinAudio([Number.NaN, 5], 1000)).toBeNull();
  });
});
