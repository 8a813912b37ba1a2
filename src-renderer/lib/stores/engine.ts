// The managed engine and the engine checks as the settings and the first run show them: the status (kept in step by
// `engine:status`), the progress of a start (`engine:progress`), the last check of every server, what Start will
// download, and the last failure of an action. One copy for every screen, so a start begun in one shows in the other.
import { get, writable, type Readable } from 'svelte/store';
import type { EngineHealthReport } from '../../../src-shared/contract.js';
import type { EngineDownloadPlan, EngineProgress, EngineStatus } from '../../../src-shared/engine-types.js';
import { api, onEvent } from '../api.js';

/** What is being done to the engine now. */
export type EngineAction = 'start' | 'stop' | 'check' | null;

/** The engine state the screens show. */
export interface EngineView {
  status: EngineStatus | null;
  progress: EngineProgress | null;
  /** The last check of each engine, by its id (the server address; `managed` for the managed one). */
  checks: Record<string, EngineHealthReport>;
  plan: EngineDownloadPlan | null;
  /** Why the plan could not be made (an ApiError), or null. */
  planError: unknown;
  /** The last log lines of a failed engine's container. */
  logs: string[];
  pending: EngineAction;
  /** The last action's failure (an ApiError, see errorText), or null. */
  error: unknown;
}

const LOG_LINES = 40;

const INITIAL: EngineView = {
  status: null,
  progress: null,
  checks: {},
  plan: null,
  planError: null,
  logs: [],
  pending: null,
  error: null,
};

const state = writable<EngineView>(INITIAL, () => {
  const stops = [
    onEvent('engine:status', (status) => {
      state.update((held) => ({ ...held, status }));
      void loadLogs(status);
    }),
    onEvent('engine:progress', (progress) => state.update((held) => ({ ...held, progress }))),
  ];
  return () => stops.forEach((stop) => stop());
});

/** The engine as the screens show it. */
export const engineView: Readable<EngineView> = { subscribe: state.subscribe };

function patch(change: Partial<EngineView>): void {
  state.update((held) => ({ ...held, ...change }));
}

/** The last log lines of a failed engine's container (none when it has no container). */
async function loadLogs(status: EngineStatus): Promise<void> {
  const logs = status.state === 'failed' && status.container ? await api.engineLogs(LOG_LINES) : [];
  patch({ logs });
}

/** Reads the managed engine's status (and a failed one's log lines) again. */
export async function refreshEngine(): Promise<void> {
  try {
    const status = await api.engineStatus();
    patch({ status });
    await loadLogs(status);
  } catch (caught) {
    patch({ error: caught });
  }
}

/** Asks what Start will download; only when Docker can be used (the plan needs it). */
export async function loadDownloadPlan(): Promise<void> {
  try {
    patch({ plan: await api.engineDownloadPlan(), planError: null });
  } catch (caught) {
    patch({ plan: null, planError: caught });
  }
}

/** Runs one action on the engine, showing it as pending and keeping its failure. */
async function act(action: Exclude<EngineAction, null>, run: () => Promise<void>): Promise<void> {
  patch({ pending: action, error: null, ...(action === 'start' ? { progress: null } : {}) });
  try {
    await run();
  } catch (caught) {
    patch({ error: caught });
    if (action !== 'check') await refreshEngine();
  } finally {
    if (get(state).pending === action) patch({ pending: null });
  }
}

/** Starts the managed engine (progress arrives as events); resolves when it is ready or failed. */
export function startEngine(): Promise<void> {
  return act('start', async () => patch({ status: await api.startEngine() }));
}

/** Stops the managed engine, cancelling a start in flight. */
export function stopEngine(): Promise<void> {
  return act('stop', async () => patch({ status: await api.stopEngine() }));
}

/** Checks every engine of the current mode with a tiny test transcription. */
export function checkEngines(): Promise<void> {
  return act('check', async () => {
    const results = await api.checkEngines();
    patch({ checks: Object.fromEntries(results.map((result) => [result.engineId, result])) });
  });
}
