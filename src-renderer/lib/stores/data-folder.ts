// Where the library lives and the folder chosen for the next start: read when the first component subscribes, and
// changed only through the actions here (or at a restart), so any screen can show it, e.g. why a move at start failed.
import { get, readable, writable, type Readable } from 'svelte/store';
import type { DataFolderCandidate, DataFolderInfo } from '../../../src-shared/contract.js';
import { api } from '../api.js';

/** What the data-folder store holds. */
export interface DataFolderState {
  /** The folder in use and the one for the next start, or null until read. */
  folder: DataFolderInfo | null;
  /** Why it could not be read (an ApiError, see errorText), or null. */
  error: unknown;
}

const state = writable<DataFolderState>({ folder: null, error: null });

/** The data folder in use and the one chosen for the next start. */
export const dataFolder: Readable<DataFolderState> = readable(get(state), (set) => {
  const unsubscribe = state.subscribe(set);
  void api.dataFolder().then(keep, (caught: unknown) => state.update((held) => ({ ...held, error: caught })));
  return unsubscribe;
});

function keep(folder: DataFolderInfo): void {
  state.set({ folder, error: null });
}

/** Opens the folder dialog: the folder picked and what it holds, or null when cancelled (nothing is saved yet). */
export function pickDataFolder(): Promise<DataFolderCandidate | null> {
  return api.pickDataFolder();
}

/** Makes the folder picked last the data folder from the next start on; throws when it was refused. */
export async function confirmDataFolder(): Promise<void> {
  keep(await api.confirmDataFolder());
}

/** Drops a change not made yet: the next start keeps the folder in use. Throws when it was refused. */
export async function keepCurrentDataFolder(): Promise<void> {
  keep(await api.cancelDataFolderChange());
}
