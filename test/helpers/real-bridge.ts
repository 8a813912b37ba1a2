// `window.funscribe` over the real application service, as the browser bridge builds it: every call goes through the
// IPC dispatch the desktop app uses, and events reach the renderer's listeners. Tests of renderer stores load the
// stores over it; an answer can be held back to order answers as a slow main process would.
import {
  API_METHODS,
  type ApiEventMap,
  type ApiEventName,
  type ApiMethodName,
} from '../../src-shared/contract.js';
import { pathToFileURL } from 'node:url';
import { dispatchCall } from '../../src-main/app/ipc-router.js';
import { isAppPageUrl } from '../../src-main/app/security-policy.js';
import { createAppService } from '../../src-main/application/app-service.js';
import type { Services } from '../../src-main/services.js';

type Listener = (payload: unknown) => void;

/** Where the app's page is said to be loaded from; main answers only calls from that page. */
const APP_PAGE = '/funscribe/out/renderer/index.html';

/** The bridge, and what a test sees of it and does with it. */
export interface RealBridge {
  /** What the preload puts on `window.funscribe`. */
  bridge: Record<string, unknown>;
  /** How many renderer listeners an event has now. */
  listenerCount(event: ApiEventName): number;
  /** How many answers of a method were given so far. */
  answers(method: ApiMethodName): number;
  /** Holds back the answers of `method` called from now on (the calls themselves run); returns what lets them through. */
  holdAnswers(method: ApiMethodName): () => void;
  /** Lets the answers of `method` called from now on through; those held stay held until released. */
  stopHolding(method: ApiMethodName): void;
}

/**
 * A bridge over `services`, its events sent only to the listeners the renderer added through it; its calls come from
 * `frameUrl` (default: the app's page), checked by the desktop app's own rule.
 */
export function realBridge(services: Services, frameUrl = pathToFileURL(APP_PAGE).href): RealBridge {
  const listeners = new Map<string, Set<Listener>>();
  const holds = new Map<ApiMethodName, Promise<void>>();
  const answered = new Map<ApiMethodName, number>();
  const handlers = createAppService(services, (event, payload) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  });
  const call =
    (method: ApiMethodName) =>
    async (...args: unknown[]) => {
      const hold = holds.get(method);
      const result = await dispatchCall(method, handlers, { senderFrame: { url: frameUrl } }, args, {
        isTrustedSender: (url) => isAppPageUrl(url, APP_PAGE),
      });
      await hold;
      answered.set(method, (answered.get(method) ?? 0) + 1);
      return result;
    };
  const bridge = {
    ...Object.fromEntries(API_METHODS.map((method) => [method, call(method)])),
    on: <E extends ApiEventName>(event: E, listener: (payload: ApiEventMap[E]) => void) => {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set.add(listener as Listener));
      return () => set.delete(listener as Listener);
    },
  };
  return {
    bridge,
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
    answers: (method) => answered.get(method) ?? 0,
    holdAnswers: (method) => {
      let release = (): void => undefined;
      holds.set(method, new Promise((resolve) => (release = resolve)));
      return () => {
        holds.delete(method);
        release();
      };
    },
    stopHolding: (method) => holds.delete(method),
  };
}
