import { describe, expect, it } from 'vitest';
import {
  cleanRecognisedText,
  endsSentence,
  isCjkChar,
  joinTokens,
  sentenceSpans,
  splitTextUnits,
} from '../../../src-main/asr/text-tokens.js';

describe('joinTokens', () => {
  it('joins Chinese tokens without spaces', () => {
    expect(joinTokens(['欢', '迎', '大', '家'])).toBe('欢迎大家');
  });

  it('puts no space at Chinese/English boundaries, as FunASR writes mixed text', () => {
    expect(joinTokens('我们 用 Electron 做 桌 面 应 用'.split(' '))).toBe('我们用Electron做桌面应用');
  });

  it('separates English words by one space and attaches punctuation to the word before', () => {
    expect(joinTokens(['hello', ',', 'world', '.', 'how', 'are', 'you', '?'])).toBe(
      'hello, world. how are you?',
    );
    expect(joinTokens(['open', 'ai', '的', '模', '型', '，', 'gpt', '很', '强', '。'])).toBe(
      'open ai的模型，gpt很强。',
    );
  });

  it('joins the single digits of ITN numbers, decimals and times', () => {
    expect(joinTokens(['2', '0', '2', '4', '年'])).toBe('2024年');
    expect(joinTokens(['增', '长', '3', '.', '5', '%'])).toBe('增长3.5%');
    expect(joinTokens(['1', '0', ':', '3', '0'])).toBe('10:30');
  });

  it('keeps a space between a word and a number', () => {
    expect(joinTokens(['windows', '1', '1'])).toBe('windows 11');
    expect(joinTokens(['done', '.', '5', 'people'])).toBe('done. 5 people');
  });

  it('ignores empty and blank tokens', () => {
    expect(joinTokens(['', ' a ', '  ', 'b', ''])).toBe('a b');
    expect(joinTokens([])).toBe('');
  });
});

describe('splitTextUnits', () => {
  it('counts CJK characters, digits, words and punctuation the way FunASR does', () => {
    const units = splitTextUnits('我们用Electron做2.5版，OK?');
    expect(units.map((u) => `${u.kind}:${u.text}`)).toEqual([
      'cjk:我',
      'cjk:们',
      'cjk:用',
      'word:Electron',
      'cjk:做',
      'digit:2',
      'punct:.',
      'digit:5',
      'cjk:版',
      'punct:，',
      'word:OK',
      'punct:?',
    ]);
    expect(units[3]).toMatchObject({ start: 3, end: 11 });
  });

  it("keeps don't and e-mail as single words and drops white space", () => {
    expect(splitTextUnits("  don't  e-mail ").map((u) => u.text)).toEqual(["don't", 'e-mail']);
  });
});

describe('sentenceSpans', () => {
  const pieces = (text: string) => sentenceSpans(text).map((s) => text.slice(s.start, s.end));

  it('breaks after 。？！?! and keeps runs of them together', () => {
    expect(pieces('你好。今天开会吗？开！！好')).toEqual(['你好。', '今天开会吗？', '开！！', '好']);
  });

  it('breaks after a full stop only before space, CJK text or the end', () => {
    expect(pieces('It costs 3.5 dollars. Ok. 好的')).toEqual(['It costs 3.5 dollars.', 'Ok.', '好的']);
  });

  it('does not break at commas and drops blank pieces', () => {
    expect(pieces('  第一，第二。   ')).toEqual(['第一，第二。']);
    expect(sentenceSpans('   ')).toEqual([]);
  });
});

describe('small helpers', () => {
  it('recognises CJK characters and full-width punctuation', () => {
    expect(['中', 'か', '，', '。'].every(isCjkChar)).toBe(true);
    expect(['a', '1', ',', ' '].some(isCjkChar)).toBe(false);
  });

  it('detects sentence ends', () => {
    expect(['。', '？', '！', '.', '?', '!'].every(endsSentence)).toBe(true);
    expect(['，', ',', '', '、'].some(endsSentence)).toBe(false);
  });

  it('removes SenseVoice tags', () => {
    expect(
      cleanRecognisedText('<|zh|><|NEUTRAL|><|Speech|><|woitn|>你好。<|en|><|HAPPY|><|Speech|>hi '),
    ).toBe('你好。hi');
  });
});
