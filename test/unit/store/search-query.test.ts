import { describe, expect, it } from 'vitest';
import { MAX_TERMS, buildFtsQuery, parseQuery } from '../../../src-main/store/search-query.js';

function fts(query: string): string | null {
  return buildFtsQuery(parseQuery(query));
}

describe('search-query', () => {
  it('turns CJK terms into prefix, bigram or bigram-phrase queries by length', () => {
    expect(fts('预')).toBe('"预"*');
    expect(fts('预算')).toBe('"预算"');
    expect(fts('项目预算')).toBe('"项目 目预 预算"');
  });

  it('makes Latin words prefix terms and ANDs the terms', () => {
    expect(fts('budg')).toBe('"budg"*');
    expect(fts('project  预算')).toBe('"project"* AND "预算"');
  });

  it('keeps a chunk of mixed scripts together as a phrase', () => {
    expect(fts('用Electron')).toBe('"用 Electron"*');
    expect(fts('预算budget')).toBe('"预算 算 budget"*');
    expect(fts('budget预')).toBe('"budget 预"*');
    expect(fts("don't")).toBe('"don t"*');
  });

  it('treats quoted text as an exact phrase and an unclosed quote as a phrase being typed', () => {
    expect(fts('"project budget"')).toBe('"project budget"');
    expect(fts('“项目 预算”')).toBe('"项目 目预 预算"');
    expect(fts('"project bud')).toBe('"project bud"*');
    expect(fts('a "b c" d')).toBe('"a"* AND "b c" AND "d"*');
  });

  it('reads FTS5 operators and syntax as plain words or separators', () => {
    expect(fts('budget AND NOT OR')).toBe('"budget"* AND "AND"* AND "NOT"* AND "OR"*');
    expect(fts('NEAR(a b)')).toBe('"NEAR a"* AND "b"*');
    expect(fts('body:budget^ -x *')).toBe('"body budget"* AND "x"*');
  });

  it('returns null when there is nothing to search for', () => {
    for (const q of ['', '   ', '"', '""', '*', '()', '。，', '😀', '-^:']) expect(fts(q)).toBeNull();
    expect(parseQuery(undefined)).toEqual([]);
  });

  it('folds full-width input and bounds the number of terms', () => {
    expect(fts('ＡＢＣ')).toBe('"ABC"*');
    expect(parseQuery('w '.repeat(100))).toHaveLength(MAX_TERMS);
  });

  it('never lets a double quote escape the string', () => {
    for (const q of ['a"b', '"a""b"', 'x "', '"""""']) {
      const out = fts(q) ?? '';
      // Every quote is either a delimiter of a term or doubled inside one.
      expect(out.replace(/"[^"]*"\*?/g, '').replace(/ AND /g, '')).toBe('');
    }
  });
});
