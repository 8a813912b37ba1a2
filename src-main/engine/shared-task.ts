// One operation shared by every caller that asks while it runs; it is cancelled only when all of them have given up.
import { FunscribeError } from '../util/errors.js';

/** Runs at most one instance of an async operation at a time and lets callers join the running one. */
export class SharedTask<T> {
  private flight: { promise: Promise<T>; controller: AbortController; waiting: number } | null = null;

  /** Whether the operation is running. */
  get running(): boolean {
    return this.flight !== null;
  }

  /** Joins the running operation or starts `operation`; `signal` cancels this caller (and the operation if last). */
  join(operation: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!this.flight) {
      const controller = new AbortController();
      const promise = operation(controller.signal).finally(() => {
        this.flight = null;
      });
      this.flight = { promise, controller, waiting: 0 };
    }
    const flight = this.flight;
    flight.waiting++;
    if (!signal) return flight.promise;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        if (--flight.waiting === 0) flight.controller.abort();
        reject(new FunscribeError('CANCELLED', 'Cancelled.'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Cancels the running operation for every caller. */
  cancel(): void {
    this.flight?.controller.abort();
  }
}
