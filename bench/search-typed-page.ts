// The page side of the typed search bench (search-typed.ts): functions sent into the page with page.evaluate, so
// each stands alone. The probe notes the time of every edit of the search box and of every search request and answer.
import type { FunscribeBridge } from '../src-shared/contract.js';
import type { SearchRequest } from '../src-shared/types.js';

/** Times of one typed query, in ms from its last keystroke (the last edit of the search box). */
export interface TypedTiming {
  /** Until the search request left the page (the search box waits for typing to pause first). */
  requestMs: number;
  /** Until its answer arrived in the page. */
  answerMs: number;
  /** Until the results were painted: the count shown, the hits listed, the next frame drawn. */
  paintedMs: number;
  /** The request the page sent. */
  request: unknown;
}

interface SearchCall {
  request: SearchRequest;
  sentAt: number;
  answeredAt: number | null;
}

interface TypingProbe {
  lastEditAt: number;
  calls: SearchCall[];
}

/** The page's globals the probe uses. */
interface ProbedPage {
  typingProbe?: TypingProbe;
  funscribe?: Pick<FunscribeBridge, 'search'>;
}

/** Installs the probe: edit times of the search box, and the bridge's search method wrapped to time each call. */
export function installTypingProbe(): void {
  const page = window as unknown as ProbedPage;
  const probe: TypingProbe = { lastEditAt: 0, calls: [] };
  page.typingProbe = probe;
  document.addEventListener(
    'input',
    (event) => {
      if (event.target instanceof HTMLInputElement && event.target.type === 'search')
        probe.lastEditAt = event.timeStamp;
    },
    true,
  );
  const bridge = page.funscribe!;
  const search = bridge.search.bind(bridge);
  bridge.search = async (request) => {
    const call: SearchCall = { request, sentAt: performance.now(), answeredAt: null };
    probe.calls.push(call);
    const answer = await search(request);
    call.answeredAt = performance.now();
    return answer;
  };
}

/**
 * Waits until the results of `query` (typed last) are painted, hits or "nothing found"; their timing from the last
 * keystroke. Fails after `deadlineMs`.
 */
export async function waitForTypedResults({
  query,
  deadlineMs,
}: {
  query: string;
  deadlineMs: number;
}): Promise<TypedTiming> {
  const probe = (window as unknown as ProbedPage).typingProbe!;
  const shown = (): SearchCall | null => {
    const call = probe.calls.findLast((c) => c.request.query === query && c.sentAt >= probe.lastEditAt);
    if (!call || call.answeredAt === null) return null;
    const status = document.querySelector('#search-panel [role=status]')?.textContent ?? '';
    const listed = document.querySelector('#search-panel .hits li, #search-panel .empty') !== null;
    return listed && /\d/u.test(status) ? call : null;
  };
  const call = await new Promise<SearchCall>((resolve, reject) => {
    const found = shown();
    if (found) return resolve(found);
    const observer = new MutationObserver(() => {
      const done = shown();
      if (!done) return;
      observer.disconnect();
      clearTimeout(deadline);
      resolve(done);
    });
    const deadline = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`No results for "${query}" were shown within ${deadlineMs} ms`));
    }, deadlineMs);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const paintedAt = await new Promise<number>((resolve) =>
    requestAnimationFrame(() => resolve(performance.now())),
  );
  return {
    requestMs: call.sentAt - probe.lastEditAt,
    answerMs: call.answeredAt! - probe.lastEditAt,
    paintedMs: paintedAt - probe.lastEditAt,
    request: call.request,
  };
}
