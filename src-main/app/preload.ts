// The sandboxed preload: exposes `window.funscribe`, built from the contract's method and event lists.
// ipcRenderer itself is never exposed, and listeners get the event payload only, never the IPC event object.
// Bundled by vite into out/preload/preload.cjs, because a sandboxed preload cannot require local files.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  API_METHODS,
  eventChannel,
  isApiEvent,
  methodChannel,
  type ApiEventMap,
  type ApiEventName,
  type ApiResult,
  type FunscribeBridge,
  type Unsubscribe,
} from '../../src-shared/contract.js';

/** Calls one method; a failure of IPC itself (e.g. an argument that cannot be cloned) also becomes data. */
async function invoke(channel: string, args: unknown[]): Promise<ApiResult<unknown>> {
  try {
    return (await ipcRenderer.invoke(channel, ...args)) as ApiResult<unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'INTERNAL', message: `The request could not be sent: ${message}` } };
  }
}

function on<E extends ApiEventName>(event: E, listener: (payload: ApiEventMap[E]) => void): Unsubscribe {
  if (!isApiEvent(event)) throw new TypeError(`Unknown FunScribe event: ${String(event)}`);
  const channel = eventChannel(event);
  const forward = (_event: IpcRendererEvent, payload: ApiEventMap[E]): void => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

const methods = Object.fromEntries(
  API_METHODS.map((method) => [method, (...args: unknown[]) => invoke(methodChannel(method), args)]),
);

const bridge = {
  ...methods,
  on,
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
} as FunscribeBridge;

contextBridge.exposeInMainWorld('funscribe', bridge);
