// The renderer's single seam to the main process: a typed client over `window.funscribe`.
// Calls resolve to their value or throw an ApiError whose `code` the UI can act on.
import {
  API_METHODS,
  ApiError,
  unwrapResult,
  type ApiArgs,
  type ApiClient,
  type ApiEventMap,
  type ApiEventName,
  type ApiMethodName,
  type ApiResult,
  type ApiReturn,
  type FunscribeBridge,
  type Unsubscribe,
} from '../../src-shared/contract.js';

declare global {
  interface Window {
    /** Exposed by the preload (or by the browser test bridge). */
    funscribe?: FunscribeBridge;
  }
}

export { ApiError };

function bridge(): FunscribeBridge {
  if (!window.funscribe) {
    throw new ApiError({ code: 'NO_BRIDGE', message: 'FunScribe is not connected to its main process.' });
  }
  return window.funscribe;
}

function client<K extends ApiMethodName>(method: K): (...args: ApiArgs<K>) => Promise<ApiReturn<K>> {
  return async (...args) => {
    const call = bridge()[method] as (...args: ApiArgs<K>) => Promise<ApiResult<ApiReturn<K>>>;
    return unwrapResult(await call(...args));
  };
}

/** Every API method, e.g. `await api.listMeetings({ limit: 50 })`. */
export const api = Object.fromEntries(API_METHODS.map((method) => [method, client(method)])) as ApiClient;

/** Listens to one main-process event; returns the function that stops listening. */
export function onEvent<E extends ApiEventName>(
  event: E,
  listener: (payload: ApiEventMap[E]) => void,
): Unsubscribe {
  return bridge().on(event, listener);
}

/** The file-system path of a dropped or picked file, or null when it is not a file on disk. */
export function pathForFile(file: File): string | null {
  return bridge().pathForFile(file) || null;
}

/** A message to show for anything a call threw. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a user action and returns the message to show, or null when it succeeded. */
export async function attempt(action: () => Promise<unknown>): Promise<string | null> {
  try {
    await action();
    return null;
  } catch (caught) {
    return errorMessage(caught);
  }
}
