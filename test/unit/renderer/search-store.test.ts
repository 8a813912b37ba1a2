// The search store over a stand-in bridge: a query is sent once typing pauses, an answer to an older query is dropped,
// pages follow on demand, and a library change searches the shown query again as far as it was paged (once per batch).
import { get } from 'svelte/store';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchHit, SearchRequest } from '../../../src-shared/types.js';
import type * as SearchStore from '../../../src-renderer/lib/stores/search.js';

type SearchModule = typeof SearchStore;

function hit(query: string, index: number): SearchHit {
  const text = `${query} ${index}`;
  return {
    kind: 'text',
    meetingId: 1,
    meetingTitle: 'Weekly',
    meetingCreatedAt: 0,
    segmentId: index + 1,
    startMs: index * 1000,
    endMs: index * 1000 + 900,
    speaker: null,
    speakerName: null,
    speakerNumber: null,
    text,
    snippet: text,
    highlights: [],
  };
}

/** A bridge whose search finds `counts[query]` hits; answers can be held back per query. */
function standInBridge(counts: Record<string, number>) {
  const requests: SearchRequest[] = [];
  const held = new Map<string, Promise<void>>();
  const listeners = new Set<(payload: { meetingId: number }) => void>();
  const bridge = {
    search: async (request: SearchRequest) => {
      requests.push(request);
      await held.get(request.query);
      const all = Array.from({ length: counts[request.query] ?? 0 }, (_, i) => hit(request.query, i));
      const offset = request.offset ?? 0;
      const hits = all.slice(offset, offset + (request.limit ?? all.length));
      return { ok: true, value: { hits, total: all.length, totalExact: true } };
    },
    on: (_event: string, listener: (payload: { meetingId: number }) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    bridge,
    requests,
    counts,
    /** Holds the answers to `query` until the returned function is called. */
    hold: (query: string) => {
      let open = (): void => undefined;
      held.set(query, new Promise((resolve) => (open = resolve)));
      return () => {
        held.delete(query);
        open();
      };
    },
    emitChanged: () => listeners.forEach((listener) => listener({ meetingId: 1 })),
    listenerCount: () => listeners.size,
  };
}

async function loadStore(bridge: object): Promise<SearchModule> {
  vi.stubGlobal('window', { funscribe: bridge });
  vi.resetModules();
  return import('../../../src-renderer/lib/stores/search.js');
}

describe('search store', () => {
  beforeEach(() => vi.unstubAllGlobals());

  it('sends the query once typing pauses, pages on demand, and shows nothing for an empty query', async () => {
    const stand = standInBridge({ budget: 120 });
    const store = await loadStore(stand.bridge);
    const stop = store.search.subscribe(() => undefined);
    for (const typed of ['b', 'bu', 'bud', 'budget ']) store.setSearchQuery(typed);
    await vi.waitFor(() => expect(get(store.search).searched).toBe('budget'));
    expect(stand.requests.map((r) => r.query)).toEqual(['budget']);
    expect(get(store.search)).toMatchObject({ total: 120, loading: false, error: null });
    expect(get(store.search).hits).toHaveLength(50);

    await store.loadMoreHits();
    expect(get(store.search).hits.map((h) => h.text)).toEqual(
      Array.from({ length: 100 }, (_, i) => `budget ${i}`),
    );
    expect(stand.requests.at(-1)).toMatchObject({ query: 'budget', offset: 50, limit: 50 });

    store.setSearchQuery('');
    expect(get(store.search)).toMatchObject({ hits: [], total: 0, searched: '' });
    stop();
    expect(stand.listenerCount()).toBe(0);
  });

  it('drops the answer to an older query that arrives after the newer one', async () => {
    const stand = standInBridge({ budget: 3, margin: 2 });
    const store = await loadStore(stand.bridge);
    const stop = store.search.subscribe(() => undefined);
    const release = stand.hold('budget');
    store.setSearchQuery('budget');
    await vi.waitFor(() => expect(stand.requests.map((r) => r.query)).toEqual(['budget']));
    store.setSearchQuery('margin');
    await vi.waitFor(() => expect(get(store.search).searched).toBe('margin'));
    release();
    await vi.waitFor(() => expect(stand.requests).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(get(store.search)).toMatchObject({ searched: 'margin', total: 2, loading: false });
    expect(get(store.search).hits.map((h) => h.text)).toEqual(['margin 0', 'margin 1']);
    stop();
  });

  it('searches the shown query again, as far as it was paged, once for a batch of library changes', async () => {
    const stand = standInBridge({ budget: 80 });
    const store = await loadStore(stand.bridge);
    const stop = store.search.subscribe(() => undefined);
    stand.emitChanged();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(stand.requests).toEqual([]);

    store.setSearchQuery('budget');
    await vi.waitFor(() => expect(get(store.search).total).toBe(80));
    await store.loadMoreHits();
    const asked = stand.requests.length;
    stand.counts.budget = 81;
    stand.emitChanged();
    stand.emitChanged();
    await vi.waitFor(() => expect(get(store.search).total).toBe(81));
    expect(stand.requests.slice(asked)).toEqual([{ query: 'budget', offset: 0, limit: 80 }]);
    expect(get(store.search).hits).toHaveLength(80);

    store.setSearchFilters({ date: 'any', speaker: 'Alice', meetingId: null });
    await vi.waitFor(() => expect(stand.requests.at(-1)).toMatchObject({ speaker: 'Alice', offset: 0 }));
    stop();
  });
});
