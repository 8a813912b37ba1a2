import { describe, expect, it } from 'vitest';
import {
  bigrams,
  cjkChars,
  indexGrams,
  normalizeText,
  toIndexText,
} from '../../../src-main/store/search-text.js';

describe('search-text', () => {
  it('indexes a CJK run as overlapping bigrams plus its last character', () => {
    expect(toIndexText('项目预算').trim().split(/\s+/)).toEqual(['项目', '目预', '预算', '算']);
    expect(toIndexText('好').trim()).toBe('好');
  });

  it('keeps Latin words and (NFKC-folded) punctuation for the tokenizer, splitting CJK runs at them', () => {
    const tokens = toIndexText('我们用Electron和SQLite，预算').trim().split(/\s+/);
    expect(tokens).toEqual(['我们', '们用', '用', 'Electron', '和', 'SQLite,', '预算', '算']);
  });

  it('treats whitespace between CJK characters as part of the run', () => {
    expect(toIndexText('项目 预算')).toBe(toIndexText('项目预算'));
  });

  it('folds full-width letters and digits to ASCII', () => {
    expect(normalizeText('ＡＢＣ１２３')).toBe('ABC123');
    expect(toIndexText('预算３０００元')).toContain('3000');
  });

  it('indexes kana and hangul like Chinese', () => {
    expect(toIndexText('カタカナ').trim().split(' ')).toEqual(['カタ', 'タカ', 'カナ', 'ナ']);
    expect(toIndexText('회의록').trim().split(' ')).toEqual(['회의', '의록', '록']);
  });

  it('builds grams from characters, not UTF-16 units', () => {
    const chars = cjkChars('𠮷野 家');
    expect(chars).toEqual(['𠮷', '野', '家']);
    expect(bigrams(chars)).toEqual(['𠮷野', '野家']);
    expect(indexGrams(chars)).toEqual(['𠮷野', '野家', '家']);
    expect(bigrams(['一'])).toEqual(['一']);
  });
});
