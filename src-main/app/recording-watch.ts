// Which recordings are going on, learnt from the API calls that start and stop them, so that the main process can show
// a sign of recording (the tray) whatever the window does, and stop the recordings of a page that is gone. Pure: it
// wraps the handlers the IPC router is given.
import type { ApiHandlers, FinishedRecording } from '../../src-shared/contract.js';
import { toErrorInfo } from '../util/errors.js';

/** Errors of `appendRecording` after which the recording no longer goes on (the contract's full disk; gone). */
const ENDING_APPEND_ERRORS: readonly string[] = ['DISK_FULL', 'RECORDING_WRITE_FAILED', 'NOT_FOUND'];

/** The handlers that tell when recordings start and end, and a way to stop those whose page is gone. */
export interface RecordingWatch {
  handlers: ApiHandlers;
  /**
   * Stops every recording still going on, each kept as a stop keeps it: for when the page that captured them is gone
   * (reloaded or crashed), since no more audio can come.
   */
  stopAll(): Promise<void>;
}

/**
 * Wraps the handlers, telling `onChange` when the first recording starts (true) and when the last one ends (false):
 * after `stopRecording` settles, or an `appendRecording` failure that ends the recording.
 */
export function watchRecordings(
  handlers: ApiHandlers,
  onChange: (recording: boolean) => void,
): RecordingWatch {
  const going = new Set<string>();
  const update = (change: () => void): void => {
    const before = going.size > 0;
    change();
    if (going.size > 0 !== before) onChange(!before);
  };
  const stopRecording = async (recordingId: string): Promise<FinishedRecording> => {
    try {
      return await handlers.stopRecording(recordingId);
    } finally {
      update(() => going.delete(recordingId));
    }
  };
  const watched: ApiHandlers = {
    ...handlers,
    async startRecording(options) {
      const info = await handlers.startRecording(options);
      update(() => going.add(info.id));
      return info;
    },
    stopRecording,
    async appendRecording(recordingId, seq, pcm) {
      try {
        return await handlers.appendRecording(recordingId, seq, pcm);
      } catch (error) {
        if (ENDING_APPEND_ERRORS.includes(toErrorInfo(error).code)) update(() => going.delete(recordingId));
        throw error;
      }
    },
  };
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled([...going].map(stopRecording));
  };
  return { handlers: watched, stopAll };
}
