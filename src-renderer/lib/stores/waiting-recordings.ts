// The kept recordings that wait to be transcribed ("record only"), listed when the record screen asks, and the action
// that queues one's transcription.
import { writable, type Readable } from 'svelte/store';
import type { RecordingSummary } from '../../../src-shared/contract.js';
import type { JobInfo } from '../../../src-shared/types.js';
import { api } from '../../lib/api.js';

interface WaitingState {
  recordings: RecordingSummary[];
  /** Why the list could not be loaded (an ApiError, see errorText), or null. */
  error: unknown;
}

const state = writable<WaitingState>({ recordings: [], error: null });

/** The recordings waiting to be transcribed, newest first, and why they could not be listed. */
export const waitingRecordings: Readable<WaitingState> = { subscribe: state.subscribe };

/** Lists the waiting recordings again (when the screen opens and after a recording stopped). */
export async function refreshWaitingRecordings(): Promise<void> {
  try {
    const recordings = await api.listRecordings();
    state.set({ recordings, error: null });
  } catch (caught) {
    state.update((held) => ({ ...held, error: caught }));
  }
}

/** Queues a kept recording's transcription and lists the waiting ones again; throws when it was refused. */
export async function transcribeRecording(recordingId: string): Promise<JobInfo> {
  const job = await api.transcribeRecording(recordingId);
  await refreshWaitingRecordings();
  return job;
}
