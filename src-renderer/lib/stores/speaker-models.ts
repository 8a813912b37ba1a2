// The speaker models the settings choose from: the catalog with what is installed and which one labels voices, listed
// when the first component subscribes and again when the saved choice changes, and the download under way as
// `speaker-model:progress` reports it.
import { get, readable, writable, type Readable } from 'svelte/store';
import type { SpeakerModelList } from '../../../src-shared/contract.js';
import { api, onEvent } from '../api.js';
import { loadSettings, settings, updateSettings } from './settings.js';

/** A model download under way: bytes done of bytes in all. */
export interface ModelDownload {
  id: string;
  done: number;
  total: number;
}

/** What the speaker-models store holds. */
export interface SpeakerModelsState {
  /** The catalog, or null until it is listed. */
  list: SpeakerModelList | null;
  downloading: ModelDownload | null;
  /** Why listing, downloading or choosing failed (an ApiError, see errorText), or null. */
  error: unknown;
}

/** The choice that means "no model: voice statistics". */
export const NO_SPEAKER_MODEL = 'none';

const state = writable<SpeakerModelsState>({ list: null, downloading: null, error: null });

/** The speaker models and the download this window started; follows its progress while subscribed. */
export const speakerModels: Readable<SpeakerModelsState> = readable(get(state), (set) => {
  const unsubscribe = state.subscribe(set);
  void listSpeakerModels();
  const stopListening = onEvent('speaker-model:progress', ({ modelId, doneBytes, totalBytes }) =>
    state.update((held) =>
      held.downloading?.id === modelId
        ? { ...held, downloading: { id: modelId, done: doneBytes, total: totalBytes } }
        : held,
    ),
  );
  const stopFollowing = settings.subscribe((saved) => {
    const list = get(state).list;
    if (saved && list && saved.speakerModel !== list.selected) void listSpeakerModels();
  });
  return () => {
    stopFollowing();
    stopListening();
    unsubscribe();
  };
});

/** Counts every listing started, so that only the newest one's answer is kept. */
let generation = 0;

/** Lists the catalog again (what is installed, which is chosen). */
async function listSpeakerModels(): Promise<void> {
  const mine = ++generation;
  try {
    const list = await api.listSpeakerModels();
    if (mine === generation) state.update((held) => ({ ...held, list, error: null }));
  } catch (caught) {
    if (mine === generation) state.update((held) => ({ ...held, error: caught }));
  }
}

/**
 * Makes `id` (or NO_SPEAKER_MODEL) the model that labels voices, downloading it first unless it is installed; a
 * failure lands in the store's error and the settings are loaded again, so the choice shown is the one saved.
 */
export async function chooseSpeakerModel(id: string): Promise<void> {
  const model = get(state).list?.models.find((entry) => entry.id === id);
  state.update((held) => ({ ...held, error: null }));
  try {
    if (model && !model.installed) {
      state.update((held) => ({ ...held, downloading: { id, done: 0, total: model.sizeBytes } }));
      const list = await api.downloadSpeakerModel(id);
      generation += 1;
      state.update((held) => ({ ...held, list }));
    }
    // The saved choice comes back through the settings store, which lists the models again.
    await updateSettings({ speakerModel: id === NO_SPEAKER_MODEL ? null : id });
  } catch (caught) {
    state.update((held) => ({ ...held, error: caught }));
    await loadSettings();
  } finally {
    state.update((held) => ({ ...held, downloading: null }));
  }
}
