import { describe, expect, it } from 'vitest';
import type { TextRange } from '../../../src-shared/types.js';
import type { QueryTerm } from '../../../src-main/store/search-query.js';
import { SNIPPET_CHARS, highlighter, makeSnippet } from '../../../src-main/store/search-highlight.js';
import { parseQuery } from '../../../src-main/store/search-query.js';

function findHighlights(text: string, terms: QueryTerm[]): TextRange[] {
  return highlighter(terms)(text);
}

function marked(text: string, query: string): string {
  return makeSnippet(text, findHighlights(text, parseQuery(query)));
}

describe('highlighter', () => {
  it('finds CJK substrings anywhere', () => {
    expect(findHighlights('今天我们讨论了项目预算和时间安排', parseQuery('预算'))).toEqual([
      { start: 9, end: 11 },
    ]);
    expect(marked('今天我们讨论了项目预算和时间安排', '预')).toBe('今天我们讨论了项目[预]算和时间安排');
  });

  it('matches Latin words by prefix at word starts only, highlighting the whole word, case-insensitively', () => {
    expect(marked('Budgeting the budget, not rebudget.', 'budg')).toBe(
      '[Budgeting] the [budget], not rebudget.',
    );
    expect(marked('The PROJECT budget', 'project')).toBe('The [PROJECT] budget');
  });

  it('matches a closed phrase exactly and across punctuation', () => {
    expect(marked('project, budget; project budgets', '"project budget"')).toBe(
      '[project, budget]; project budgets',
    );
  });

  it('matches full-width text, diacritics and CJK with spaces between characters', () => {
    expect(marked('预算是３０００元', '3000元')).toBe('预算是[３０００元]');
    expect(marked('Un café noir', 'cafe')).toBe('Un [café] noir');
    expect(marked('项目 预算', '"项目预算"')).toBe('[项目 预算]');
  });

  it('reports ranges in UTF-16 units of the original text, after emoji and astral characters', () => {
    const text = '😀𠮷 预算 ok';
    const [range] = findHighlights(text, parseQuery('预算'));
    expect(text.slice(range!.start, range!.end)).toBe('预算');
  });

  it('returns nothing when the terms do not occur', () => {
    expect(findHighlights('nothing here', parseQuery('预算'))).toEqual([]);
    expect(marked('nothing here', '预算')).toBe('nothing here');
  });
});

describe('makeSnippet', () => {
  it('shows about SNIPPET_CHARS characters around the first match with ellipses where cut', () => {
    const text = `${'a'.repeat(200)} target ${'b'.repeat(200)}`;
    const snippet = marked(text, 'target');
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('[target]');
    expect(snippet.length).toBeLessThanOrEqual(SNIPPET_CHARS + 4);
  });

  it('starts at the beginning when the match is near it, and shows short texts whole', () => {
    expect(marked('预算 is first in a short line', '预算')).toBe('[预算] is first in a short line');
    const text = `预算${'。'.repeat(100)}`;
    expect(marked(text, '预算').startsWith('[预算]')).toBe(true);
  });

  it('never splits a surrogate pair at the window edges', () => {
    const text = `${'😀'.repeat(60)}预算${'😀'.repeat(60)}`;
    const snippet = marked(text, '预算');
    expect(snippet).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(snippet).toContain('[预算]');
  });
});
