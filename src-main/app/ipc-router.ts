// Routes renderer calls to the API handlers: one `handle` per contract method, a sender check, argument
// validation, and every outcome returned as ApiResult data (a thrown error never crosses IPC).
// The ipcMain object is injected, so this file needs no Electron at run time.
import {
  API_METHODS,
  methodChannel,
  type ApiArgs,
  type ApiHandlers,
  type ApiMethodName,
  type ApiResult,
  type ApiReturn,
} from '../../src-shared/contract.js';
import { FunscribeError, toErrorInfo } from '../util/errors.js';
import { validateArgs } from './ipc-validate.js';

/** The part of an invoke event the router looks at: the frame that sent the call. */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string } | null;
}

/** The part of Electron's `ipcMain` the router uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** What the router needs besides ipcMain and the handlers. */
export interface IpcRouterOptions {
  /** True when a frame with this URL may call the API (the app's own page). */
  isTrustedSender: (frameUrl: string) => boolean;
  /** Called for failures that are bugs rather than user errors (code INTERNAL), e.g. to log them. */
  onInternalError?: (method: ApiMethodName, error: unknown) => void;
}

/** Runs one call: checks the sender and the arguments, awaits the handler, and wraps the outcome. */
export async function dispatchCall<K extends ApiMethodName>(
  method: K,
  handlers: ApiHandlers,
  event: InvokeEventLike,
  args: readonly unknown[],
  options: IpcRouterOptions,
): Promise<ApiResult<ApiReturn<K>>> {
  try {
    const frameUrl = event.senderFrame?.url;
    if (frameUrl === undefined || !options.isTrustedSender(frameUrl)) {
      throw new FunscribeError('FORBIDDEN', 'This page is not allowed to use the FunScribe library.');
    }
    const handler: (...valid: ApiArgs<K>) => Promise<ApiReturn<K>> = handlers[method];
    return { ok: true, value: await handler(...validateArgs(method, args)) };
  } catch (error) {
    const info = toErrorInfo(error);
    if (info.code === 'INTERNAL') options.onInternalError?.(method, error);
    return { ok: false, error: info };
  }
}

/** Registers a handler for every contract method; returns a function that removes them all again. */
export function registerIpcRouter(
  ipc: IpcMainLike,
  handlers: ApiHandlers,
  options: IpcRouterOptions,
): () => void {
  for (const method of API_METHODS) {
    ipc.handle(methodChannel(method), (event, ...args) =>
      dispatchCall(method, handlers, event, args, options),
    );
  }
  return () => {
    for (const method of API_METHODS) ipc.removeHandler(methodChannel(method));
  };
}
