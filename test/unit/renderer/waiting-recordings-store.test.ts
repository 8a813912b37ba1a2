// The waiting-recordings store over a stand-in bridge: listed when first read, listed again once per batch when a job
// is queued or done and when a recording stops in this window, not on a running job's progress; and it stops
// listening when nobody reads it.
import { get, writable } from 'svelte/store';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FinishedRecording, RecordingSummary } from '../../../src-shared/contract.js';
import type { JobInfo } from '../../../src-shared/types.js';
import type * as WaitingStore from '../../../src-renderer/lib/stores/waiting-recordings.js';

const RECORDER = '../../../src-renderer/lib/stores/recorder.js';

function recording(id: string): RecordingSummary {
  return { id, title: `Recording ${id}`, startedAt: 0, durationMs: 5000, channels: 1, jobId: null };
}

/** A bridge whose listRecordings answers `waiting`, and whose job:update listeners the test can call. */
function standInBridge() {
  const waiting: RecordingSummary[] = [recording('a')];
  let listings = 0;
  const listeners = new Set<(job: JobInfo) => void>();
  const bridge = {
    listRecordings: async () => {
      listings += 1;
      return { ok: true, value: [...waiting] };
    },
    on: (_event: string, listener: (job: JobInfo) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    bridge,
    waiting,
    listings: () => listings,
    emitJob: (status: JobInfo['status']) =>
      listeners.forEach((listener) => listener({ id: 'job', status } as JobInfo)),
    listenerCount: () => listeners.size,
  };
}

async function loadStore(bridge: object) {
  const finished = writable<FinishedRecording | null>(null);
  vi.stubGlobal('window', { funscribe: bridge });
  vi.resetModules();
  // The recorder store's last stopped recording, without capture (there is no browser here).
  vi.doMock(RECORDER, () => ({
    recorder: {
      subscribe: (run: (value: object) => void) => finished.subscribe((f) => run({ finished: f })),
    },
  }));
  const store: typeof WaitingStore = await import('../../../src-renderer/lib/stores/waiting-recordings.js');
  return { store, finished };
}

const ids = (store: typeof WaitingStore): string[] =>
  get(store.waitingRecordings).recordings.map((entry) => entry.id);

describe('waiting recordings store', () => {
  beforeEach(() => {
    vi.unstubAllGlobals();
    vi.doUnmock(RECORDER);
  });

  it('lists again once per batch of queued or done jobs and after a stop, not on progress', async () => {
    const stand = standInBridge();
    const { store, finished } = await loadStore(stand.bridge);
    const stop = store.waitingRecordings.subscribe(() => undefined);
    await vi.waitFor(() => expect(ids(store)).toEqual(['a']));
    expect(stand.listings()).toBe(1);

    stand.emitJob('running');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(stand.listings()).toBe(1);

    stand.waiting.splice(0, 1);
    stand.emitJob('done');
    stand.emitJob('queued');
    await vi.waitFor(() => expect(ids(store)).toEqual([]));
    expect(stand.listings()).toBe(2);

    stand.waiting.push(recording('b'));
    finished.set({ id: 'b' } as FinishedRecording);
    await vi.waitFor(() => expect(ids(store)).toEqual(['b']));
    expect(stand.listings()).toBe(3);

    stop();
    expect(stand.listenerCount()).toBe(0);
  });
});
