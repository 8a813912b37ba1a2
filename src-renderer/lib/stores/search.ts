// The search of the top bar: the query as typed, the filters, and the hits found so far with their count. A query is
// sent once typing pauses; an answer to an older query or filter choice is dropped. While hits are shown and the
// main process reports `library:changed`, the search runs again (as far as it was paged) so the hits stay true.
import { get, readable, writable, type Readable } from 'svelte/store';
import type { SearchHit } from '../../../src-shared/types.js';
import { MAX_SEARCH_LIMIT } from '../../../src-shared/schemas/limits.js';
import { api, onEvent } from '../api.js';
import { readPages } from '../pages.js';
import { batched } from './batched.js';
import { NO_FILTERS, SEARCH_PAGE_SIZE, searchRequest, type SearchFilters } from '../search-request.js';

/** What the search store holds. */
export interface SearchState {
  /** The query as typed. */
  query: string;
  filters: SearchFilters;
  hits: SearchHit[];
  total: number;
  /** False when the total was only counted up to a cap (there are at least that many). */
  totalExact: boolean;
  /** Whether the last page came back full, so that more may follow a total counted only up to a cap. */
  lastPageFull: boolean;
  /** The query (trimmed) the hits are of, or '' when none is shown. */
  searched: string;
  loading: boolean;
  /** Why the last search failed (an ApiError, see errorText), or null. */
  error: unknown;
}

/** The pause in typing after which the query is sent (a stale answer is dropped, so a short pause costs nothing). */
const TYPING_PAUSE_MS = 50;

const NOTHING_FOUND = { hits: [], total: 0, totalExact: true, lastPageFull: false, searched: '' };

const state = writable<SearchState>({
  query: '',
  filters: { ...NO_FILTERS },
  ...NOTHING_FOUND,
  loading: false,
  error: null,
});

/** The search: query, filters and the hits found; listens to library changes while subscribed. */
export const search: Readable<SearchState> = readable(get(state), (set) => {
  const unsubscribe = state.subscribe(set);
  const stopListening = onEvent('library:changed', searchAgainSoon);
  return () => {
    stopListening();
    unsubscribe();
  };
});

/** The search waiting for typing to pause, or null. */
let typingTimer: ReturnType<typeof setTimeout> | null = null;

/** Counts every search started, so that only the newest one's answer is kept. */
let generation = 0;

type Found = Pick<SearchState, 'hits' | 'total' | 'totalExact' | 'lastPageFull'>;

/** Up to `count` hits from `offset` on, in requests the main process accepts. */
async function findHits(
  query: string,
  filters: SearchFilters,
  offset: number,
  count: number,
): Promise<Found> {
  const now = Date.now();
  const { items, complete, lastPage } = await readPages(
    { offset, count, maxPageSize: MAX_SEARCH_LIMIT },
    (from, limit) => api.search(searchRequest(query, filters, from, now, limit)),
    (page) => page.hits,
  );
  return { hits: items, total: lastPage.total, totalExact: lastPage.totalExact, lastPageFull: !complete };
}

/** Runs one search of the query and filters held now; its answer is dropped when a newer search started meanwhile. */
async function searching(offset: number, count: number): Promise<void> {
  const mine = ++generation;
  const { query, filters, hits } = get(state);
  const text = query.trim();
  state.update((held) => ({ ...held, loading: true }));
  try {
    const found = await findHits(text, filters, offset, count);
    if (mine !== generation) return;
    state.update((held) => ({
      ...held,
      ...found,
      hits: offset === 0 ? found.hits : [...hits, ...found.hits],
      searched: text,
      loading: false,
      error: null,
    }));
  } catch (caught) {
    if (mine === generation) state.update((held) => ({ ...held, loading: false, error: caught }));
  }
}

/** Searches the query and filters held now once typing pauses; an empty query shows nothing at once. */
function searchSoon(): void {
  if (typingTimer !== null) clearTimeout(typingTimer);
  typingTimer = null;
  if (get(state).query.trim() === '') {
    generation += 1;
    state.update((held) => ({ ...held, ...NOTHING_FOUND, loading: false, error: null }));
    return;
  }
  typingTimer = setTimeout(() => {
    typingTimer = null;
    void searching(0, SEARCH_PAGE_SIZE);
  }, TYPING_PAUSE_MS);
}

/** After library changes, searches the shown query again as far as it was paged (unless a new one is on its way). */
const searchAgainSoon = batched(() => {
  const { searched, query, hits } = get(state);
  if (searched !== '' && searched === query.trim() && typingTimer === null)
    void searching(0, Math.max(SEARCH_PAGE_SIZE, hits.length));
});

/** Changes the query; it is searched once typing pauses. */
export function setSearchQuery(query: string): void {
  if (query === get(state).query) return;
  state.update((held) => ({ ...held, query }));
  searchSoon();
}

/** Narrows the search another way; the query is searched again under the new filters. */
export function setSearchFilters(filters: SearchFilters): void {
  state.update((held) => ({ ...held, filters: { ...filters } }));
  searchSoon();
}

/** Fetches the next page of hits of the query shown. */
export function loadMoreHits(): Promise<void> {
  return searching(get(state).hits.length, SEARCH_PAGE_SIZE);
}
