// The kept recordings that wait to be transcribed ("record only"): listed when the first component subscribes, and
// again (once per batch) when a recording stops in this window or `job:update` says a job was queued (a recording's
// Transcribe) or is done (its recording stops waiting). Transcribing one is the action.
import { get, readable, writable, type Readable } from 'svelte/store';
import type { RecordingSummary } from '../../../src-shared/contract.js';
import type { JobInfo } from '../../../src-shared/types.js';
import { api, onEvent } from '../api.js';
import { batched } from './batched.js';
import { recorder } from './recorder.js';

interface WaitingState {
  recordings: RecordingSummary[];
  /** Why the list could not be loaded (an ApiError, see errorText), or null. */
  error: unknown;
}

const state = writable<WaitingState>({ recordings: [], error: null });

/** The recordings waiting to be transcribed, newest first, and why they could not be listed. */
export const waitingRecordings: Readable<WaitingState> = readable(get(state), (set) => {
  const unsubscribe = state.subscribe(set);
  void refreshWaitingRecordings();
  const stopListening = onEvent('job:update', (job) => {
    if (job.status === 'queued' || job.status === 'done') listAgainSoon();
  });
  let stopped = get(recorder).finished;
  const stopFollowing = recorder.subscribe(({ finished }) => {
    if (finished === stopped) return;
    stopped = finished;
    listAgainSoon();
  });
  return () => {
    stopFollowing();
    stopListening();
    unsubscribe();
  };
});

/** Changes reported close together (a folder of files queued) cause one listing. */
const listAgainSoon = batched(() => void refreshWaitingRecordings());

/** Counts every listing started, so that only the newest one's answer is kept. */
let generation = 0;

/** Lists the waiting recordings again. */
async function refreshWaitingRecordings(): Promise<void> {
  const mine = ++generation;
  try {
    const recordings = await api.listRecordings();
    if (mine === generation) state.set({ recordings, error: null });
  } catch (caught) {
    if (mine === generation) state.update((held) => ({ ...held, error: caught }));
  }
}

/** Queues a kept recording's transcription and lists the waiting ones again; throws when it was refused. */
export async function transcribeRecording(recordingId: string): Promise<JobInfo> {
  const job = await api.transcribeRecording(recordingId);
  await refreshWaitingRecordings();
  return job;
}
