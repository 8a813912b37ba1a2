// The page side of the browser test bridge, injected before the app loads (Playwright addInitScript). It builds
// `window.funscribe` with the preload's shape: every method resolves to ApiResult data, `on` subscribes to events.
// The function is serialised into the page, so it uses only browser globals, typed here by hand (this project's
// Node tsconfig has no DOM library).
import type { FunscribeBridge } from '../../../src-shared/contract.js';

/** The browser's WebSocket, as far as the bridge uses it. */
interface PageSocket {
  addEventListener(
    type: 'open' | 'message',
    listener: (event: { data?: unknown }) => void,
    options?: { once: boolean },
  ): void;
  send(data: string): void;
}

/** The page globals the bridge touches. */
interface PageGlobals {
  location: { host: string; href: string };
  WebSocket: new (url: string) => PageSocket;
  btoa(binary: string): string;
  funscribe?: FunscribeBridge;
}

/** Installs `window.funscribe`; `filesDir` is where dropped/picked files are found (a browser File has no path). */
export function installBridge({ methods, filesDir }: { methods: readonly string[]; filesDir: string }): void {
  const page = globalThis as unknown as PageGlobals;
  const socket = new page.WebSocket(`ws://${page.location.host}/bridge`);
  const opened = new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
  const pending = new Map<number, (result: unknown) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as {
      id?: number;
      result?: unknown;
      event?: string;
      payload?: unknown;
    };
    if (data.id !== undefined) {
      pending.get(data.id)?.(data.result);
      pending.delete(data.id);
    } else if (data.event) {
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
    }
  });
  // JSON has no bytes: a Uint8Array argument (an audio chunk) travels as base64 in an object tagged `$bytes`, which
  // bridge-server.ts turns back into a Uint8Array, as Electron's structured clone keeps it.
  const base64 = (bytes: Uint8Array): string => {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return page.btoa(binary);
  };
  const tagBytes = (_key: string, value: unknown): unknown =>
    value instanceof Uint8Array ? { $bytes: base64(value) } : value;
  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    await opened;
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, args, page: page.location.href }, tagBytes));
    });
  };
  const bridge: Record<string, unknown> = Object.fromEntries(
    methods.map((method) => [method, (...args: unknown[]) => call(method, args)]),
  );
  bridge.on = (event: string, listener: (payload: unknown) => void) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  bridge.pathForFile = (file: { name: string }) => `${filesDir}/${file.name}`;
  page.funscribe = bridge as unknown as FunscribeBridge;
}
