// The library store over a stand-in bridge: pages as the list scrolls, relists on library:changed as far as it was
// loaded, sorts anew (saved in the settings at once), follows the settings' order when they arrive, and keeps only the
// newest listing's answer.
import { get } from 'svelte/store';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppSettings, ListMeetingsRequest } from '../../../src-shared/contract.js';
import type { MeetingSummary } from '../../../src-shared/types.js';
import type * as LibraryStore from '../../../src-renderer/lib/stores/library.js';
import { settingsWithoutPage } from './settings-without-page.js';

type LibraryModule = typeof LibraryStore;

function summary(id: number): MeetingSummary {
  return {
    id,
    title: `Meeting ${id}`,
    sourceName: `${id}.m4a`,
    createdAt: id * 1000,
    durationMs: 60_000,
    segmentCount: 1,
    speakerCount: 1,
  };
}

/** A bridge whose listMeetings answers from `meetings` (newest first) once `release` lets a call through. */
function standInBridge(count: number) {
  const meetings = Array.from({ length: count }, (_, index) => summary(count - index));
  const requests: ListMeetingsRequest[] = [];
  const settingsPatches: Partial<AppSettings>[] = [];
  let settings = { theme: 'light', interfaceLanguage: 'en', libraryOrder: 'date' } as AppSettings;
  const listeners = new Set<(payload: { meetingId: number }) => void>();
  let hold: Promise<void> | null = null;
  const bridge = {
    listMeetings: async (request: ListMeetingsRequest = {}) => {
      requests.push(request);
      if (hold) await hold;
      const offset = request.offset ?? 0;
      return { ok: true, value: meetings.slice(offset, offset + (request.limit ?? meetings.length)) };
    },
    getSettings: async () => ({ ok: true, value: settings }),
    setSettings: async (patch: Partial<AppSettings>) => {
      settingsPatches.push(patch);
      settings = { ...settings, ...patch };
      return { ok: true, value: settings };
    },
    on: (_event: string, listener: (payload: { meetingId: number }) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    meetings,
    requests,
    settingsPatches,
    /** Changes what getSettings answers (as another window or the settings page would have saved it). */
    saveSettings: (patch: Partial<AppSettings>) => (settings = { ...settings, ...patch }),
    bridge,
    emitChanged: (meetingId: number) => listeners.forEach((listener) => listener({ meetingId })),
    /** Holds the answers of the calls made from now until stopHolding; returns what lets them through. */
    holdAnswers: () => {
      let open = (): void => undefined;
      hold = new Promise((resolve) => (open = resolve));
      return open;
    },
    stopHolding: () => {
      hold = null;
    },
    listenerCount: () => listeners.size,
  };
}

async function loadStore(bridge: object): Promise<LibraryModule> {
  const saved = new Map<string, string>();
  vi.stubGlobal('window', { funscribe: bridge });
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => saved.get(key) ?? null,
    setItem: (key: string, value: string) => saved.set(key, value),
  });
  vi.resetModules();
  // The settings store as it is, without applying theme and language to a page (there is no DOM here).
  vi.doMock('../../../src-renderer/lib/stores/settings.js', settingsWithoutPage);
  return import('../../../src-renderer/lib/stores/library.js');
}

async function settled(store: LibraryModule): Promise<void> {
  await vi.waitFor(() => expect(get(store.library).loading).toBe(false));
}

describe('library store', () => {
  beforeEach(() => {
    vi.unstubAllGlobals();
    vi.doUnmock('../../../src-renderer/lib/stores/settings.js');
  });

  it('loads a page when first read, the next pages on demand, and knows when all are loaded', async () => {
    const stand = standInBridge(250);
    const store = await loadStore(stand.bridge);
    const stop = store.library.subscribe(() => undefined);
    await settled(store);
    expect(get(store.library)).toMatchObject({ complete: false, orderBy: 'date' });
    expect(
      get(store.library)
        .meetings.map((m) => m.id)
        .slice(0, 2),
    ).toEqual([250, 249]);
    expect(get(store.library).meetings).toHaveLength(store.LIBRARY_PAGE_SIZE);

    await store.loadMoreMeetings();
    await store.loadMoreMeetings();
    const { meetings, complete } = get(store.library);
    expect(complete).toBe(true);
    expect(meetings.map((m) => m.id)).toEqual(stand.meetings.map((m) => m.id));
    const asked = stand.requests.length;
    await store.loadMoreMeetings();
    expect(stand.requests).toHaveLength(asked);
    stop();
    expect(stand.listenerCount()).toBe(0);
  });

  it('lists again as far as it was loaded when the main process reports a change', async () => {
    const stand = standInBridge(150);
    const store = await loadStore(stand.bridge);
    const stop = store.library.subscribe(() => undefined);
    await settled(store);
    await store.loadMoreMeetings();
    stand.meetings.unshift(summary(151));
    stand.emitChanged(151);
    stand.emitChanged(151);
    await vi.waitFor(() => expect(get(store.library).meetings[0]?.id).toBe(151));
    expect(get(store.library)).toMatchObject({ complete: false });
    expect(get(store.library).meetings).toHaveLength(150);
    expect(stand.requests.at(-1)).toMatchObject({ offset: 0, limit: 150 });
    expect(stand.requests.filter((request) => request.limit === 150)).toHaveLength(1);
    stop();
  });

  it('sorts anew from the top, saves the order in the settings, and keeps only the newest listing', async () => {
    const stand = standInBridge(30);
    const store = await loadStore(stand.bridge);
    const stop = store.library.subscribe(() => undefined);
    await settled(store);

    const release = stand.holdAnswers();
    const byTitle = store.setLibraryOrder('title');
    stand.stopHolding();
    await store.setLibraryOrder('length');
    const shown = get(store.library).meetings.map((m) => m.id);
    stand.meetings.reverse();
    release();
    await byTitle;
    expect(get(store.library).orderBy).toBe('length');
    expect(get(store.library).meetings.map((m) => m.id)).toEqual(shown);
    expect(stand.requests.slice(-2).map((request) => request.orderBy)).toEqual(['title', 'length']);
    expect(stand.settingsPatches).toEqual([{ libraryOrder: 'title' }, { libraryOrder: 'length' }]);
    stop();
  });

  it('lists in the order the settings hold once they are loaded', async () => {
    const stand = standInBridge(30);
    stand.saveSettings({ libraryOrder: 'title' });
    const store = await loadStore(stand.bridge);
    const { loadSettings } = await import('../../../src-renderer/lib/stores/settings.js');
    const stop = store.library.subscribe(() => undefined);
    await settled(store);
    expect(get(store.library).orderBy).toBe('date');
    await loadSettings();
    await vi.waitFor(() => expect(stand.requests.at(-1)?.orderBy).toBe('title'));
    await settled(store);
    expect(get(store.library).orderBy).toBe('title');
    expect(stand.settingsPatches).toEqual([]);
    stop();
  });
});
