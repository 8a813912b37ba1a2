// The live-caption engine as the record screen shows it: its status, with whether the main engine serves the captions
// (read again whenever either engine's status changes, as a main engine of the 2pass kind becoming ready changes it),
// the progress of a start (`caption-engine:progress`), and the last failure of an action.
import { writable, type Readable } from 'svelte/store';
import type { CaptionEngineStatus, EngineProgress } from '../../../src-shared/engine-types.js';
import { api, onEvent } from '../api.js';

/** The live-caption engine as the record screen shows it (the fields the engine view shares with the main engine's). */
export interface CaptionEngineView {
  status: CaptionEngineStatus | null;
  progress: EngineProgress | null;
  pending: 'start' | 'stop' | null;
  /** The last action's failure (an ApiError, see errorText), or null. */
  error: unknown;
  /** No log lines are fetched for it: a failure's own message carries its last lines. */
  logs: string[];
}

const state = writable<CaptionEngineView>(
  { status: null, progress: null, pending: null, error: null, logs: [] },
  () => {
    const stops = [
      onEvent('caption-engine:status', () => void refreshCaptionEngine()),
      onEvent('engine:status', () => void refreshCaptionEngine()),
      onEvent('caption-engine:progress', (progress) => patch({ progress })),
    ];
    void refreshCaptionEngine();
    return () => stops.forEach((stop) => stop());
  },
);

/** The live-caption engine as the record screen shows it. */
export const captionEngineView: Readable<CaptionEngineView> = { subscribe: state.subscribe };

function patch(change: Partial<CaptionEngineView>): void {
  state.update((held) => ({ ...held, ...change }));
}

/** Reads the caption engine's status (and whether the main engine serves the captions) again. */
async function refreshCaptionEngine(): Promise<void> {
  try {
    patch({ status: await api.captionEngineStatus() });
  } catch (caught) {
    patch({ error: caught });
  }
}

/** Runs a start or stop, showing it as pending; its answer is the new status, its failure is kept. */
async function act(action: 'start' | 'stop', run: () => Promise<CaptionEngineStatus>): Promise<void> {
  patch({ pending: action, error: null, ...(action === 'start' ? { progress: null } : {}) });
  try {
    patch({ status: await run() });
  } catch (caught) {
    patch({ error: caught });
    await refreshCaptionEngine();
  } finally {
    patch({ pending: null });
  }
}

/** Starts the caption engine (nothing starts when the main engine serves the captions); resolves when ready or failed. */
export function startCaptionEngine(): Promise<void> {
  return act('start', () => api.startCaptionEngine());
}

/** Stops the caption engine, cancelling a start in flight. */
export function stopCaptionEngine(): Promise<void> {
  return act('stop', () => api.stopCaptionEngine());
}
