// The renderer's settings store as it is towards other stores (loaded, saved and held through the bridge), without
// applying theme and language to a page: unit tests of stores that follow the settings have no DOM.
import { get, writable } from 'svelte/store';
import type { AppSettings } from '../../../src-shared/contract.js';

/** A stand-in for src-renderer/lib/stores/settings.js, for vi.doMock; it talks to `window.funscribe` as that does. */
export async function settingsWithoutPage() {
  const { api } = await import('../../../src-renderer/lib/api.js');
  const current = writable<AppSettings | null>(null);
  return {
    settings: { subscribe: current.subscribe },
    currentSettings: () => get(current),
    loadSettings: async () => {
      current.set(await api.getSettings());
      return get(current);
    },
    updateSettings: async (patch: Partial<AppSettings>) => {
      const next = await api.setSettings(patch);
      current.set(next);
      return next;
    },
  };
}
