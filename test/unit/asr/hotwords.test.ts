import { describe, expect, it } from 'vitest';
import {
  countPhraseUnits,
  hotwordsToMessageValue,
  MAX_HOTWORDS,
  parseHotwordFile,
  validateHotwords,
} from '../../../src-main/asr/hotwords.js';

/** Expects HOTWORDS_INVALID with a message containing every fragment. */
function expectInvalid(fn: () => unknown, ...fragments: string[]): void {
  expect(fn).toThrow(
    expect.objectContaining({
      code: 'HOTWORDS_INVALID',
      message: expect.stringMatching(
        new RegExp(fragments.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')),
      ),
    }),
  );
}

describe('validateHotwords', () => {
  it('normalises white space and keeps valid entries', () => {
    expect(
      validateHotwords([
        { phrase: '  阿里巴巴 ', weight: 20 },
        { phrase: 'Electron \t  Forge', weight: 100 },
        { phrase: 'GPT-4', weight: 1 },
      ]),
    ).toEqual([
      { phrase: '阿里巴巴', weight: 20 },
      { phrase: 'Electron Forge', weight: 100 },
      { phrase: 'GPT-4', weight: 1 },
    ]);
    expect(validateHotwords([])).toEqual([]);
  });

  it('refuses what is not a list of entries', () => {
    expectInvalid(() => validateHotwords('阿里巴巴 20'), 'list');
    expectInvalid(() => validateHotwords([null]), 'Hotword 1', 'phrase and a weight');
  });

  it('refuses empty, multi-line, control-character and comment-like phrases', () => {
    expectInvalid(() => validateHotwords([{ phrase: '   ', weight: 5 }]), 'Hotword 1', 'empty');
    expectInvalid(() => validateHotwords([{ phrase: 'a\nb', weight: 5 }]), 'one line');
    expectInvalid(() => validateHotwords([{ phrase: 'a\u0007b', weight: 5 }]), 'control');
    expectInvalid(() => validateHotwords([{ phrase: '#tag', weight: 5 }]), '"#tag"', 'comment');
    expectInvalid(() => validateHotwords([{ phrase: 42, weight: 5 }]), 'text');
  });

  it('counts each CJK character and each word towards the limit of 10', () => {
    expect(countPhraseUnits('通义实验室')).toBe(5);
    expect(countPhraseUnits('FunASR runtime SDK')).toBe(3);
    expect(countPhraseUnits('用Electron做')).toBe(3);
    expect(validateHotwords([{ phrase: '一二三四五六七八九十', weight: 5 }])).toHaveLength(1);
    expectInvalid(
      () => validateHotwords([{ phrase: '一二三四五六七八九十十', weight: 5 }]),
      '11',
      'at most 10',
    );
    expectInvalid(
      () =>
        validateHotwords([{ phrase: 'one two three four five six seven eight nine ten eleven', weight: 5 }]),
      '11',
    );
    expectInvalid(() => validateHotwords([{ phrase: 'x'.repeat(51), weight: 5 }]), '50 characters');
  });

  it('requires whole-number weights from 1 to 100', () => {
    for (const weight of [0, 101, -5, 20.5, Number.NaN, Infinity, '20', null]) {
      expectInvalid(() => validateHotwords([{ phrase: 'ok', weight }]), 'Hotword 1 ("ok")', 'weight');
    }
  });

  it('reports duplicates ignoring case, naming both entries', () => {
    expectInvalid(
      () =>
        validateHotwords([
          { phrase: 'OpenAI', weight: 5 },
          { phrase: '阿里', weight: 5 },
          { phrase: 'openai', weight: 9 },
        ]),
      'Hotword 3 ("openai")',
      'hotword 1',
    );
  });

  it(`refuses more than ${MAX_HOTWORDS} entries`, () => {
    const many = Array.from({ length: MAX_HOTWORDS + 1 }, (_, i) => ({ phrase: `word${i}`, weight: 10 }));
    expectInvalid(() => validateHotwords(many), `${MAX_HOTWORDS + 1} hotwords`);
    expect(validateHotwords(many.slice(0, MAX_HOTWORDS))).toHaveLength(MAX_HOTWORDS);
  });
});

describe('parseHotwordFile', () => {
  it('reads "<phrase> <weight>" lines, multi-word phrases, blank and comment lines', () => {
    const text = '\uFEFF# team terms\r\n阿里巴巴 20\n\n  Electron  Forge   35  \n通义实验室 30.0\r\n';
    expect(parseHotwordFile(text)).toEqual([
      { phrase: '阿里巴巴', weight: 20 },
      { phrase: 'Electron Forge', weight: 35 },
      { phrase: '通义实验室', weight: 30 },
    ]);
    expect(parseHotwordFile('')).toEqual([]);
  });

  it('names the line of a missing or non-numeric weight', () => {
    expectInvalid(() => parseHotwordFile('阿里巴巴 20\n通义实验室\n'), 'Line 2', 'no weight');
    expectInvalid(
      () => parseHotwordFile('# c\n\nFunASR high\n'),
      'Line 3 ("FunASR")',
      '"high" is not a number',
    );
  });

  it('names the line of an invalid weight, a too long phrase and a duplicate', () => {
    expectInvalid(() => parseHotwordFile('a 1\nb 2\nc 250\n'), 'Line 3 ("c")', '250');
    expectInvalid(() => parseHotwordFile('a 1\nb 20.5\n'), 'Line 2', 'whole number');
    expectInvalid(() => parseHotwordFile('一二三四五六七八九十十 5'), 'Line 1', 'at most 10');
    expectInvalid(() => parseHotwordFile('Foo 1\n\n# x\nFOO 2\n'), 'Line 4 ("FOO")', 'line 1');
  });
});

describe('message value and server file', () => {
  const list = [
    { phrase: '阿里巴巴', weight: 20 },
    { phrase: 'Electron Forge', weight: 35 },
  ];

  it('encodes hotwords as a JSON string holding an object of numbers', () => {
    const value = hotwordsToMessageValue(list);
    expect(typeof value).toBe('string');
    const parsed = JSON.parse(value) as Record<string, unknown>;
    expect(parsed).toEqual({ 阿里巴巴: 20, 'Electron Forge': 35 });
    expect(Object.values(parsed).every((v) => typeof v === 'number')).toBe(true);
    expect(hotwordsToMessageValue([])).toBe('');
  });

  it('validates before encoding so string weights never reach the server', () => {
    expectInvalid(
      () => hotwordsToMessageValue([{ phrase: 'x', weight: '100' as unknown as number }]),
      'weight',
    );
  });
});
