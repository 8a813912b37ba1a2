// The page side of the caption latency bench (caption-latency.ts): functions sent into the page with page.evaluate,
// so each stands alone.

/** What the page stamped (epoch ms on the page's clock, comparable with main's). */
export interface PageStamps {
  /** Each chunk the capture worklet handed to the page, in order (= by seq). */
  capturedAt: number[];
  /** Each change of the live captions' log, with the log's text after it. */
  renderedAt: { at: number; text: string }[];
}

/**
 * In the page: stamps each chunk the capture worklet hands to the page (its port's messages) and each change of the
 * live captions' log, on the page's clock (epoch ms, as the relay's).
 */
export function stampPage(): void {
  const stamps: PageStamps = { capturedAt: [], renderedAt: [] };
  (globalThis as unknown as { benchStamps: PageStamps }).benchStamps = stamps;
  const now = (): number => performance.timeOrigin + performance.now();
  const property = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage')!;
  Object.defineProperty(MessagePort.prototype, 'onmessage', {
    configurable: true,
    get(this: MessagePort) {
      return property.get!.call(this) as unknown;
    },
    set(this: MessagePort, handler: ((event: MessageEvent) => void) | null) {
      property.set!.call(
        this,
        handler &&
          function (this: MessagePort, event: MessageEvent<{ type?: string }>) {
            if (event.data?.type === 'chunk') stamps.capturedAt.push(now());
            handler.call(this, event);
          },
      );
    },
  });
  new MutationObserver(() => {
    const log = document.querySelector('[role="log"]');
    const text = log?.textContent ?? '';
    if (log && text !== stamps.renderedAt.at(-1)?.text) stamps.renderedAt.push({ at: now(), text });
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}

/** The stamps `stampPage` collected. */
export function pageStamps(): PageStamps {
  return (globalThis as unknown as { benchStamps: PageStamps }).benchStamps;
}
