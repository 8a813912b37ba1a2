// Many reports, one action: what a store does when the main process reports a burst of changes.

/** Changes reported within this time of each other (a batch finishing, a folder imported) cause one action. */
const CHANGE_BATCH_MS = 100;

/** A function that runs `action` once, `ms` after the first of the calls made within that time. */
export function batched(action: () => void, ms = CHANGE_BATCH_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    timer ??= setTimeout(() => {
      timer = null;
      action();
    }, ms);
  };
}
