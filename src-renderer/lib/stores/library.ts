// The meeting library as the sidebar shows it: pages of meetings in the chosen order (a setting, saved at once), loaded
// as the list is scrolled, and listed again (as far as it was loaded) whenever the main process reports
// `library:changed` or the settings arrive with another order.
import { get, readable, writable, type Readable } from 'svelte/store';
import type { MEETING_ORDERS } from '../../../src-shared/schemas/limits.js';
import { IPC_LIMITS } from '../../../src-shared/schemas/limits.js';
import type { MeetingSummary } from '../../../src-shared/types.js';
import { api, onEvent } from '../api.js';
import { readPages } from '../pages.js';
import { batched } from './batched.js';
import { currentSettings, settings, updateSettings } from './settings.js';

/** How the library is sorted: newest first, by title, or longest first. */
export type MeetingOrder = (typeof MEETING_ORDERS)[number];

/** What the library store holds. */
export interface LibraryState {
  meetings: MeetingSummary[];
  orderBy: MeetingOrder;
  /** True once the last meeting is loaded. */
  complete: boolean;
  /** True until the first page has arrived. */
  loading: boolean;
  /** Why the list could not be loaded (an ApiError, see errorText), or null. */
  error: unknown;
}

/** Meetings asked for at a time while scrolling. */
export const LIBRARY_PAGE_SIZE = 100;

const state = writable<LibraryState>({
  meetings: [],
  orderBy: currentSettings()?.libraryOrder ?? 'date',
  complete: false,
  loading: true,
  error: null,
});

/** The library: meetings loaded so far, their order and whether more remain. */
export const library: Readable<LibraryState> = readable(get(state), (set) => {
  const unsubscribe = state.subscribe(set);
  void reloadLibrary();
  const stopListening = onEvent('library:changed', reloadSoon);
  const stopFollowing = settings.subscribe((loaded) => {
    if (loaded && ordersSaving === 0 && loaded.libraryOrder !== get(state).orderBy)
      void listInOrder(loaded.libraryOrder);
  });
  return () => {
    stopFollowing();
    stopListening();
    unsubscribe();
  };
});

/** Changes reported close together (a batch finishing, a folder imported) cause one listing. */
const reloadSoon = batched(() => void reloadLibrary());

/** Counts every listing started, so that only the newest one's answer is kept. */
let generation = 0;

/** Up to `count` meetings from `offset` on, in pages the main process accepts; `complete` when the list ran out. */
async function listFrom(
  orderBy: MeetingOrder,
  offset: number,
  count: number,
): Promise<{ meetings: MeetingSummary[]; complete: boolean }> {
  const { items, complete } = await readPages(
    { offset, count, maxPageSize: IPC_LIMITS.maxPageSize },
    (from, limit) => api.listMeetings({ orderBy, offset: from, limit }),
    (page) => page,
  );
  return { meetings: items, complete };
}

/** Runs one listing; its answer is dropped when a newer listing started meanwhile. */
async function listing(change: (current: LibraryState) => Promise<Partial<LibraryState>>): Promise<void> {
  const mine = ++generation;
  try {
    const changed = await change(get(state));
    if (mine === generation)
      state.update((current) => ({ ...current, ...changed, loading: false, error: null }));
  } catch (caught) {
    if (mine === generation) state.update((current) => ({ ...current, loading: false, error: caught }));
  }
}

/** Lists the library again from the top, as far as it was loaded (at least one page). */
export function reloadLibrary(): Promise<void> {
  return listing(async ({ orderBy, meetings }) =>
    listFrom(orderBy, 0, Math.max(LIBRARY_PAGE_SIZE, meetings.length)),
  );
}

/** Loads the next page, unless everything is loaded or a listing is under way. */
export function loadMoreMeetings(): Promise<void> {
  const { complete, loading } = get(state);
  if (complete || loading) return Promise.resolve();
  state.update((current) => ({ ...current, loading: true }));
  return listing(async ({ orderBy, meetings }) => {
    const next = await listFrom(orderBy, meetings.length, LIBRARY_PAGE_SIZE);
    return { meetings: [...meetings, ...next.meetings], complete: next.complete };
  });
}

/** Orders being saved; the settings they send back meanwhile are not followed (an earlier click's echo). */
let ordersSaving = 0;

/** Lists the library from the top in `orderBy`. */
function listInOrder(orderBy: MeetingOrder): Promise<void> {
  state.update((current) => ({ ...current, orderBy, meetings: [], complete: false, loading: true }));
  return reloadLibrary();
}

/**
 * Sorts the library another way and saves the order in the settings at once; a refused save is shown as the list's
 * error.
 */
export async function setLibraryOrder(orderBy: MeetingOrder): Promise<void> {
  const listed = listInOrder(orderBy);
  ordersSaving += 1;
  try {
    await updateSettings({ libraryOrder: orderBy });
  } catch (caught) {
    state.update((current) => ({ ...current, error: caught }));
  } finally {
    ordersSaving -= 1;
  }
  await listed;
}
