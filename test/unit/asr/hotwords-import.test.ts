// Importing FunASR's `phrase weight` hotword text for the settings: every valid line is kept, every other line is
// named by its number and reason, and exporting a list gives text that imports back to the same list.
import { describe, expect, it } from 'vitest';
import { importHotwords, MAX_HOTWORDS } from '../../../src-main/asr/hotwords.js';
import { hotwordsToText } from '../../../src-shared/hotword-text.js';

describe('importHotwords', () => {
  it('keeps the valid lines and names each other line with its reason, in line order', () => {
    const text = [
      '阿里巴巴 20',
      '通义实验室',
      '',
      '# a comment',
      'machine learning 12',
      'budget high',
      'x 250',
      '一二三四五六七八九十十 5',
      'MACHINE LEARNING 3',
      'ok 20.5',
    ].join('\r\n');
    const { hotwords, errors } = importHotwords(text);
    expect(hotwords).toEqual([
      { phrase: '阿里巴巴', weight: 20 },
      { phrase: 'machine learning', weight: 12 },
    ]);
    expect(errors.map(({ line, reason }) => [line, reason])).toEqual([
      [2, 'no-weight'],
      [6, 'weight-not-number'],
      [7, 'weight-out-of-range'],
      [8, 'too-many-units'],
      [9, 'duplicate'],
      [10, 'weight-out-of-range'],
    ]);
    expect(errors[0]?.message).toMatch(/^Line 2 \("通义实验室"\): there is no weight/);
    expect(errors[4]?.message).toContain('line 5');
  });

  it(`keeps at most ${MAX_HOTWORDS} hotwords and names the lines beyond`, () => {
    const lines = Array.from({ length: MAX_HOTWORDS + 2 }, (_, i) => `word${i} 10`);
    const { hotwords, errors } = importHotwords(lines.join('\n'));
    expect(hotwords).toHaveLength(MAX_HOTWORDS);
    expect(errors.map(({ line, reason }) => [line, reason])).toEqual([
      [MAX_HOTWORDS + 1, 'too-many-hotwords'],
      [MAX_HOTWORDS + 2, 'too-many-hotwords'],
    ]);
  });

  it('reads back what an export wrote, with a byte-order mark and multi-word phrases', () => {
    const list = [
      { phrase: '项目预算', weight: 30 },
      { phrase: 'Electron Forge', weight: 12 },
    ];
    const text = hotwordsToText(list);
    expect(text).toBe('项目预算 30\nElectron Forge 12\n');
    expect(importHotwords(`\uFEFF${text}`)).toEqual({ hotwords: list, errors: [] });
    expect(hotwordsToText([])).toBe('');
  });
});
