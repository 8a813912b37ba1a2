// The search panel's request builder, the import options' mapping to addFiles, and result snippets.
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import {
  batchOptions,
  DEFAULT_CHOICE,
  MANAGED_ENGINE,
} from '../../../src-renderer/features/import/batch-options.js';
import { AddFilesOptionsSchema } from '../../../src-shared/schemas/api-args.js';
import {
  hasFilters,
  NO_FILTERS,
  SEARCH_PAGE_SIZE,
  searchRequest,
} from '../../../src-renderer/lib/search-request.js';
import { snippetParts } from '../../../src-renderer/lib/highlight.js';

const NOW = Date.UTC(2026, 5, 1);

describe('searchRequest', () => {
  it('asks for a page of 50 from an offset, with no filter by default', () => {
    expect(searchRequest(' 预算 ', NO_FILTERS, 50, NOW)).toEqual({
      query: '预算',
      limit: SEARCH_PAGE_SIZE,
      offset: 50,
    });
    expect(hasFilters(NO_FILTERS)).toBe(false);
  });

  it('turns a date preset into a start time and passes speaker and meeting', () => {
    const filters = { date: 'week' as const, speaker: ' 王经理 ', meetingId: 7 };
    expect(searchRequest('q', filters, 0, NOW)).toEqual({
      query: 'q',
      limit: SEARCH_PAGE_SIZE,
      offset: 0,
      from: NOW - 7 * 86_400_000,
      speaker: '王经理',
      meetingId: 7,
    });
    expect(hasFilters(filters)).toBe(true);
  });
});

describe('batchOptions', () => {
  it('sends nothing for choices that follow the settings', () => {
    expect(batchOptions(DEFAULT_CHOICE)).toEqual({});
  });

  it('sends the server, the list (or none) and the speakers chosen', () => {
    expect(batchOptions({ engine: 'ws://10.0.0.2:10095', hotwordList: '产品', speakers: '3' })).toEqual({
      serverUrl: 'ws://10.0.0.2:10095',
      hotwordList: '产品',
      speakers: 3,
    });
    expect(batchOptions({ engine: 'default', hotwordList: 'none', speakers: 'channels' })).toEqual({
      hotwordList: null,
      speakers: 'channels',
    });
  });

  it('asks for the managed engine when it is chosen, and the schema takes it but not with a server too', () => {
    const options = batchOptions({ engine: MANAGED_ENGINE, hotwordList: 'default', speakers: 'default' });
    expect(options).toEqual({ managedEngine: true });
    expect(v.safeParse(AddFilesOptionsSchema, options).success).toBe(true);
    const both = v.safeParse(AddFilesOptionsSchema, { ...options, serverUrl: 'ws://10.0.0.2:10095' });
    expect(both.issues?.[0]?.message).toMatch(/one remote server or to the managed engine, not both/);
  });
});

describe('snippetParts', () => {
  it('cuts a long text around its first match with ellipses and keeps the match marked', () => {
    const text = `${'前'.repeat(100)}预算${'后'.repeat(100)}`;
    const parts = snippetParts(text, [{ start: 100, end: 102 }], 40);
    expect(parts[0]).toEqual({ text: '…', marked: false });
    expect(parts.at(-1)).toEqual({ text: '…', marked: false });
    expect(parts.filter((part) => part.marked).map((part) => part.text)).toEqual(['预算']);
    expect(parts.map((part) => part.text).join('').length).toBe(42);
  });

  it('shows a short text whole', () => {
    expect(snippetParts('预算已批', [{ start: 0, end: 2 }])).toEqual([
      { text: '预算', marked: true },
      { text: '已批', marked: false },
    ]);
  });
});
