// Short notices at the bottom of the window ("Meeting deleted · Undo"), shown by the shell's toast region.
import { writable, type Readable } from 'svelte/store';

/** A button on a toast, such as Undo; running it closes the toast. */
export interface ToastAction {
  label: string;
  run: () => unknown;
}

/** What to show: a message, an optional action and how long it stays (ms; 0 keeps it until closed). */
export interface ToastRequest {
  message: string;
  action?: ToastAction;
  timeoutMs?: number;
  /**
   * Closes the toast early when something happens (the meeting its Undo would restore was purged): called with the
   * toast's close, it returns the unsubscribe that is called when the toast goes, however it goes.
   */
  closeOn?: (close: () => void) => () => void;
}

/** A toast on screen. */
export interface Toast extends ToastRequest {
  id: number;
  timeoutMs: number;
}

/** How long a toast stays: longer when it offers an action, so there is time to take it. */
export const TOAST_TIMEOUT_MS = { plain: 5_000, withAction: 10_000 } as const;

/** Most toasts on screen at once; a new one pushes out the oldest. */
const MAX_TOASTS = 4;

const state = writable<Toast[]>([]);
let lastId = 0;
/** The unsubscribe of each toast on screen that has a `closeOn`. */
const stopWatching = new Map<number, () => void>();

/** Keeps the toasts `keep` chooses, and stops watching for those that went. */
function keepToasts(keep: (shown: Toast[]) => Toast[]): void {
  state.update((shown) => {
    const kept = keep(shown);
    for (const gone of shown.filter((toast) => !kept.includes(toast))) {
      stopWatching.get(gone.id)?.();
      stopWatching.delete(gone.id);
    }
    return kept;
  });
}

/** The toasts on screen, oldest first. */
export const toasts: Readable<Toast[]> = { subscribe: state.subscribe };

/** Shows a toast and returns its id (for dismissToast). The shell's region closes it after `timeoutMs`. */
export function showToast(request: ToastRequest): number {
  const id = ++lastId;
  const timeoutMs =
    request.timeoutMs ?? (request.action ? TOAST_TIMEOUT_MS.withAction : TOAST_TIMEOUT_MS.plain);
  keepToasts((shown) => [...shown, { ...request, id, timeoutMs }].slice(-MAX_TOASTS));
  if (request.closeOn)
    stopWatching.set(
      id,
      request.closeOn(() => dismissToast(id)),
    );
  return id;
}

/** Closes a toast (nothing happens when it is already gone). */
export function dismissToast(id: number): void {
  keepToasts((shown) => shown.filter((toast) => toast.id !== id));
}
