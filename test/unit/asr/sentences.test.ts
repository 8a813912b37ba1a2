import { describe, expect, it } from 'vitest';
import { parseServerMessage } from '../../../src-main/asr/protocol.js';
import type { TimeSpan } from '../../../src-main/asr/protocol.js';
import { joinTokens, sentencesFromReply } from '../../../src-main/asr/sentences.js';

/** `count` consecutive token spans of `step` ms starting at `start`, as FunASR's ts_list holds them. */
function spans(start: number, count: number, step = 200): TimeSpan[] {
  return Array.from({ length: count }, (_, i): TimeSpan => [start + i * step, start + (i + 1) * step]);
}

/** One stamp_sents element the way the C++ server builds it. */
function piece(tokens: string[], punc: string, tsList: TimeSpan[]) {
  return {
    text_seg: tokens.join(' '),
    punc,
    start: tsList[0]?.[0] ?? 0,
    end: tsList[tsList.length - 1]?.[1] ?? 0,
    ts_list: tsList,
  };
}

/** A reply frame as the offline server would send it. */
function reply(fields: Record<string, unknown>) {
  return parseServerMessage(
    JSON.stringify({ is_final: false, mode: 'offline', wav_name: 'demo', ...fields }),
  );
}

const HELLO = '欢迎大家来体验'.split('');
const MODEL = '达摩院推出的语音识别模型'.split('');
const WEATHER = '今天天气不错'.split('');

describe('sentencesFromReply with stamp_sents', () => {
  const first = spans(430, HELLO.length);
  const second = spans(2000, MODEL.length);
  const third = spans(6000, WEATHER.length);
  const fullReply = reply({
    text: '欢迎大家来体验，达摩院推出的语音识别模型。今天天气不错。',
    timestamp: JSON.stringify([...first, ...second, ...third]),
    stamp_sents: [piece(HELLO, '，', first), piece(MODEL, '。', second), piece(WEATHER, '。', third)],
  });

  it('keeps every comma piece apart (a speaker may change at any) with its tokens and their punctuation', () => {
    const { sentences, approximate } = sentencesFromReply(fullReply, 9000);
    expect(approximate).toBe(false);
    expect(sentences.map((s) => s.text)).toEqual([
      '欢迎大家来体验，',
      '达摩院推出的语音识别模型。',
      '今天天气不错。',
    ]);
    expect(sentences[0]).toMatchObject({ startMs: 430, endMs: first[first.length - 1]?.[1] });
    expect(sentences[0]?.tokens).toHaveLength(HELLO.length);
    expect(sentences[0]?.tokens[0]).toEqual({ text: '欢', startMs: 430, endMs: 630 });
    expect(sentences[0]?.tokens.at(-1)).toMatchObject({ text: '验', punc: '，' });
    expect(sentences[1]?.tokens.at(-1)).toMatchObject({ text: '型', punc: '。' });
    expect(sentences[2]?.tokens.map((t) => t.text).join('')).toBe('今天天气不错');
    expect(sentences[2]).toMatchObject({ startMs: 6000, endMs: 6000 + 200 * WEATHER.length });
  });

  it('joins mixed Chinese and English tokens without spaces at the boundaries', () => {
    const tokens = ['我', '们', '用', 'electron', '做', '桌', '面', 'app'];
    const { sentences } = sentencesFromReply(
      reply({
        text: '我们用electron做桌面app。',
        stamp_sents: [piece(tokens, '。', spans(0, tokens.length))],
      }),
      2000,
    );
    expect(sentences.map((s) => s.text)).toEqual(['我们用electron做桌面app。']);
    expect(sentences[0]?.tokens.map((t) => t.text)).toEqual(tokens);
  });

  it('keeps all text but times only the tokens that align when ts_list is short', () => {
    const { sentences } = sentencesFromReply(
      reply({ text: '你好世界。', stamp_sents: [piece(['你', '好', '世', '界'], '。', spans(100, 3))] }),
      1000,
    );
    expect(sentences[0]?.text).toBe('你好世界。');
    expect(sentences[0]?.tokens.map((t) => t.text)).toEqual(['你', '好', '世']);
    expect(sentences[0]).toMatchObject({ startMs: 100, endMs: 700 });
  });

  it('attaches a punctuation-only piece to the sentence before it', () => {
    const { sentences } = sentencesFromReply(
      reply({
        text: '真的吗？！好。',
        stamp_sents: [
          piece(['真', '的', '吗'], '？', spans(0, 3)),
          { text_seg: '', punc: '！', start: 0, end: 0, ts_list: [] },
          piece(['好'], '。', spans(1000, 1)),
        ],
      }),
      2000,
    );
    expect(sentences.map((s) => s.text)).toEqual(['真的吗？！', '好。']);
  });

  it('ends the last piece at the end of the pieces even without punctuation', () => {
    const { sentences } = sentencesFromReply(
      reply({
        text: '开会，然后',
        stamp_sents: [piece(['开', '会'], '，', spans(0, 2)), piece(['然', '后'], '', spans(500, 2))],
      }),
      1000,
    );
    expect(sentences.map((s) => s.text)).toEqual(['开会，', '然后']);
    expect(sentences[1]).toMatchObject({ startMs: 500, endMs: 900 });
    expect(sentences[1]?.tokens.at(-1)?.punc).toBeUndefined();
  });

  it('fills a sentence that has no times from its neighbours and says so', () => {
    const { sentences, approximate } = sentencesFromReply(
      reply({
        text: '第一。第二。第三。',
        stamp_sents: [
          piece(['第', '一'], '。', spans(0, 2)),
          { text_seg: '第 二', punc: '。', start: 0, end: 0, ts_list: [] },
          piece(['第', '三'], '。', spans(3000, 2)),
        ],
      }),
      4000,
    );
    expect(approximate).toBe(true);
    expect(sentences.map((s) => [s.text, s.startMs, s.endMs])).toEqual([
      ['第一。', 0, 400],
      ['第二。', 400, 3000],
      ['第三。', 3000, 3400],
    ]);
    expect(sentences[1]?.tokens).toEqual([]);
  });
});

describe('sentencesFromReply from text + timestamp (stamp_sents missing or "")', () => {
  it('maps characters to stamps in order and breaks at every punctuation mark, as the server cuts pieces', () => {
    const stamps = spans(500, 10);
    const { sentences, approximate } = sentencesFromReply(
      reply({ text: '欢迎大家，今天开会。好的！', timestamp: JSON.stringify(stamps), stamp_sents: '' }),
      3000,
    );
    expect(approximate).toBe(false);
    expect(sentences.map((s) => s.text)).toEqual(['欢迎大家，', '今天开会。', '好的！']);
    expect(sentences[1]).toMatchObject({ startMs: 500 + 4 * 200, endMs: 500 + 8 * 200 });
    expect(sentences[0]?.tokens.at(-1)).toMatchObject({ text: '家', punc: '，' });
    expect(sentences[2]?.tokens).toEqual([
      { text: '好', startMs: 2100, endMs: 2300 },
      { text: '的', startMs: 2300, endMs: 2500, punc: '！' },
    ]);
  });

  it('uses the concatenated "]][[" timestamp of a 2pass reply', () => {
    const { sentences } = sentencesFromReply(
      reply({ text: '你好。再见。', timestamp: '[[0,100],[100,200]][[900,1000],[1000,1100]]' }),
      2000,
    );
    expect(sentences.map((s) => [s.text, s.startMs, s.endMs])).toEqual([
      ['你好。', 0, 200],
      ['再见。', 900, 1100],
    ]);
  });

  it('counts English words as one token each in mixed text', () => {
    const { sentences } = sentencesFromReply(
      reply({ text: '我们用 Electron 做。ok', timestamp: JSON.stringify(spans(0, 6)) }),
      2000,
    );
    expect(sentences[0]?.tokens.map((t) => t.text)).toEqual(['我', '们', '用', 'Electron', '做']);
    expect(sentences[0]?.text).toBe('我们用 Electron 做。');
    expect(sentences[1]?.tokens).toEqual([{ text: 'ok', startMs: 1000, endMs: 1200 }]);
  });

  it('stamps every ITN digit and mark when the counts say the text went through ITN', () => {
    const itn = sentencesFromReply(
      reply({ text: '增长3.5%。', timestamp: JSON.stringify(spans(0, 6)) }),
      2000,
    );
    expect(itn.sentences[0]?.tokens.map((t) => t.text)).toEqual(['增', '长', '3', '.', '5', '%']);
    const plain = sentencesFromReply(
      reply({ text: '增长3.5%。', timestamp: JSON.stringify(spans(0, 4)) }),
      2000,
    );
    expect(plain.sentences[0]?.tokens.map((t) => t.text)).toEqual(['增', '长', '3', '5']);
  });

  it('does not invent times for text beyond the last stamp', () => {
    const { sentences, approximate } = sentencesFromReply(
      reply({ text: '一二三四。五六。', timestamp: JSON.stringify(spans(0, 4)) }),
      5000,
    );
    expect(approximate).toBe(true);
    expect(sentences[0]).toMatchObject({ text: '一二三四。', startMs: 0, endMs: 800 });
    expect(sentences[1]).toMatchObject({ text: '五六。', startMs: 800, endMs: 800, tokens: [] });
  });
});

describe('sentencesFromReply without timestamps (SenseVoice, plain Paraformer)', () => {
  it('splits at sentence punctuation and interpolates times by character count', () => {
    const { sentences, approximate } = sentencesFromReply(
      reply({ text: '第一句。第二句话！third one?' }),
      18_000,
    );
    expect(approximate).toBe(true);
    expect(sentences).toEqual([
      { text: '第一句。', startMs: 0, endMs: 4000, tokens: [] },
      { text: '第二句话！', startMs: 4000, endMs: 9000, tokens: [] },
      { text: 'third one?', startMs: 9000, endMs: 18_000, tokens: [] },
    ]);
  });

  it('strips SenseVoice tags and handles a numeric timestamp as no timestamps', () => {
    const { sentences } = sentencesFromReply(
      reply({ text: '<|zh|><|NEUTRAL|><|Speech|><|woitn|>你好', timestamp: 1766300000000 }),
      1000,
    );
    expect(sentences).toEqual([{ text: '你好', startMs: 0, endMs: 1000, tokens: [] }]);
  });
});

describe('sentencesFromReply with empty text', () => {
  it('gives no sentences', () => {
    for (const text of ['', '   ', '<|nospeech|><|EMO_UNKNOWN|>']) {
      expect(sentencesFromReply(reply({ text }), 5000)).toEqual({ sentences: [], approximate: false });
    }
    expect(
      sentencesFromReply(reply({ text: '', stamp_sents: [piece(['啊'], '', spans(0, 1))] }), 100).sentences,
    ).toEqual([]);
  });
});

describe('joinTokens (re-exported)', () => {
  it('is the joiner sentences use', () => {
    expect(joinTokens(['我', '们', 'use', 'ws'])).toBe('我们use ws');
  });
});
