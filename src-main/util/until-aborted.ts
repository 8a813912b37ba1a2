// Waiting on a promise that cannot be cancelled itself, but stopping the wait when a signal aborts.
import { FunscribeError } from './errors.js';

/** Settles with `promise`, or rejects with CANCELLED as soon as `signal` aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new FunscribeError('CANCELLED', 'Cancelled.'));
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
