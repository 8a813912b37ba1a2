// The tokens of a meeting's sentences, fetched only for the rows that are mounted (on screen, or being played):
// requests made in one tick are sent together, at most IPC_LIMITS.maxTokenSegmentsPerCall ids a call. The open-meeting
// store (stores/meeting-content.ts) keeps one per open meeting.
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { IPC_LIMITS } from '../../src-shared/schemas/limits.js';
import type { SegmentTokens, Token } from '../../src-shared/types.js';

/** Fetches the tokens of some sentences of one meeting (api.getSegmentTokens bound to the meeting). */
export type FetchTokens = (segmentIds: number[]) => Promise<SegmentTokens[]>;

/** Told how each fetch ended: what it failed with (clicks then seek to whole sentences), or null when it answered. */
export type ReportFailure = (failure: unknown) => void;

/** Sentences whose tokens are kept; the ones fetched longest ago are dropped first. */
const KEPT_SENTENCES = 2000;

/** The tokens fetched so far for one meeting, and the way to ask for more. */
export class SegmentTokenCache {
  private readonly fetchTokens: FetchTokens;
  private readonly kept = new SvelteMap<number, Token[]>();
  private readonly asked = new SvelteSet<number>();
  private readonly reportFailure: ReportFailure;
  private queued: number[] = [];

  /** A cache that fetches through `fetchTokens` and tells `reportFailure` how each fetch ended. */
  constructor(fetchTokens: FetchTokens, reportFailure: ReportFailure) {
    this.fetchTokens = fetchTokens;
    this.reportFailure = reportFailure;
  }

  /** The tokens of a sentence when fetched (reactive: a row re-renders when they arrive), else undefined. */
  get(segmentId: number): Token[] | undefined {
    return this.kept.get(segmentId);
  }

  /** Asks for the tokens of these sentences unless they are kept or already asked for. */
  request(segmentIds: readonly number[]): void {
    const fresh = segmentIds.filter((id) => !this.kept.has(id) && !this.asked.has(id));
    if (fresh.length === 0) return;
    for (const id of fresh) this.asked.add(id);
    if (this.queued.length === 0) queueMicrotask(() => void this.flush());
    this.queued.push(...fresh);
  }

  /** Drops a sentence's tokens (after its text was edited), so they are fetched again when needed. */
  forget(segmentId: number): void {
    this.kept.delete(segmentId);
    this.asked.delete(segmentId);
  }

  private async flush(): Promise<void> {
    const ids = this.queued;
    this.queued = [];
    for (let at = 0; at < ids.length; at += IPC_LIMITS.maxTokenSegmentsPerCall) {
      const batch = ids.slice(at, at + IPC_LIMITS.maxTokenSegmentsPerCall);
      try {
        for (const { segmentId, tokens } of await this.fetchTokens(batch)) this.keep(segmentId, tokens);
        this.reportFailure(null);
      } catch (caught) {
        this.reportFailure(caught);
      } finally {
        for (const id of batch) this.asked.delete(id);
      }
    }
  }

  private keep(segmentId: number, tokens: Token[]): void {
    this.kept.delete(segmentId);
    this.kept.set(segmentId, tokens);
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= KEPT_SENTENCES) break;
      this.kept.delete(oldest);
    }
  }
}
