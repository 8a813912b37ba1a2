import { describe, expect, it } from 'vitest';
import { parseServerMessage } from '../../../src-main/asr/protocol.js';
import { mergeSentenceReplies, ReplyCollector } from '../../../src-main/asr/reply-collector.js';

const sentence = (text: string, stamps: [number, number][], punc = ''): string =>
  JSON.stringify({
    is_final: false,
    mode: '2pass-offline',
    text,
    wav_name: 'f',
    timestamp: JSON.stringify(stamps),
    stamp_sents: [
      {
        text_seg: [...text.replace(/[，。]/g, '')].join(' '),
        punc,
        start: stamps[0]?.[0],
        end: stamps.at(-1)?.[1],
        ts_list: stamps,
      },
    ],
  });

describe('ReplyCollector', () => {
  it('takes the offline server’s first reply as the whole answer', () => {
    const collector = new ReplyCollector();
    const reply = parseServerMessage('{"is_final":false,"mode":"offline","text":"好。","wav_name":"f"}');
    expect(collector.add(reply)).toBe(true);
    expect(collector.kind).toBe('offline');
    expect(collector.result).toBe(reply);
  });

  it('merges 2pass sentences up to the final message and ignores streaming deltas', () => {
    const collector = new ReplyCollector();
    const replies = [
      '{"is_final":false,"mode":"2pass-online","text":"今天","wav_name":"f"}',
      sentence('今天我们', [
        [100, 200],
        [200, 300],
        [300, 400],
        [400, 500],
      ]),
      sentence(
        '讨论。',
        [
          [900, 1000],
          [1000, 1100],
        ],
        '。',
      ),
    ];
    for (const raw of replies) expect(collector.add(parseServerMessage(raw))).toBe(false);
    expect(collector.kind).toBe('2pass');
    expect(collector.add(parseServerMessage('{"is_final":true,"text":"","wav_name":"f"}'))).toBe(true);
    expect(collector.result).toMatchObject({
      mode: '2pass-offline',
      text: '今天我们讨论。',
      isFinal: true,
      wavName: 'f',
    });
    expect(collector.result?.timestamps).toHaveLength(6);
    expect(collector.result?.stampSents?.map((piece) => [piece.textSeg, piece.punc])).toEqual([
      ['今 天 我 们', ''],
      ['讨 论', '。'],
    ]);
  });

  it('keeps the sentence that arrives in the final message itself', () => {
    const collector = new ReplyCollector();
    const last = { ...JSON.parse(sentence('好。', [[10, 90]], '。')), is_final: true } as object;
    expect(collector.add(parseServerMessage(JSON.stringify(last)))).toBe(true);
    expect(collector.result?.text).toBe('好。');
  });

  it('turns the 2pass server’s error text into ASR_SERVER_ERROR', () => {
    const collector = new ReplyCollector();
    const raw =
      '{"is_final":true,"text":"ERROR. Real-time transcription service ONLY SUPPORT PCM stream.","wav_name":"f"}';
    expect(() => collector.add(parseServerMessage(raw))).toThrow(
      expect.objectContaining({
        code: 'ASR_SERVER_ERROR',
        message: expect.stringContaining('ONLY SUPPORT PCM'),
      }),
    );
  });
});

describe('mergeSentenceReplies', () => {
  it('joins English sentences with a space and drops pieces unless every sentence has them', () => {
    const withPieces = parseServerMessage(
      sentence('hello there', [
        [0, 100],
        [100, 200],
      ]),
    );
    const withoutPieces = {
      ...parseServerMessage(
        sentence('general kenobi.', [
          [500, 600],
          [600, 700],
        ]),
      ),
      stampSents: null,
    };
    const merged = mergeSentenceReplies([withPieces, withoutPieces], 'f');
    expect(merged.text).toBe('hello there general kenobi.');
    expect(merged.stampSents).toBeNull();
    expect(merged.timestamps).toEqual([
      [0, 100],
      [100, 200],
      [500, 600],
      [600, 700],
    ]);
  });

  it('gives an empty reply for no sentences', () => {
    expect(mergeSentenceReplies([], 'f')).toEqual({
      mode: '2pass-offline',
      text: '',
      isFinal: true,
      wavName: 'f',
      timestamps: [],
      stampSents: null,
    });
  });
});
