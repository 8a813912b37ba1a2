// Many reports, one action: what a store does when the main process reports a burst of changes.

/** A function that runs `action` once, `ms` after the first of the calls made within that time. */
export function batched(action: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    timer ??= setTimeout(() => {
      timer = null;
      action();
    }, ms);
  };
}
