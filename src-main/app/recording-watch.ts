// Which recordings are going on, learnt from the API calls that start and stop them, so that the main process can show
// a sign of recording (the tray) whatever the window does. Pure: it wraps the handlers the IPC router is given.
import type { ApiHandlers } from '../../src-shared/contract.js';
import { toErrorInfo } from '../util/errors.js';

/** Errors of `appendRecording` after which the recording no longer goes on (the contract's full disk; gone). */
const ENDING_APPEND_ERRORS: readonly string[] = ['DISK_FULL', 'RECORDING_WRITE_FAILED', 'NOT_FOUND'];

/**
 * The same handlers, telling `onChange` when the first recording starts (true) and when the last one ends (false):
 * after `stopRecording` settles, or an `appendRecording` failure that ends the recording.
 */
export function watchRecordings(handlers: ApiHandlers, onChange: (recording: boolean) => void): ApiHandlers {
  const going = new Set<string>();
  const update = (change: () => void): void => {
    const before = going.size > 0;
    change();
    if (going.size > 0 !== before) onChange(!before);
  };
  return {
    ...handlers,
    async startRecording(options) {
      const info = await handlers.startRecording(options);
      update(() => going.add(info.id));
      return info;
    },
    async stopRecording(recordingId) {
      try {
        return await handlers.stopRecording(recordingId);
      } finally {
        update(() => going.delete(recordingId));
      }
    },
    async appendRecording(recordingId, seq, pcm) {
      try {
        return await handlers.appendRecording(recordingId, seq, pcm);
      } catch (error) {
        if (ENDING_APPEND_ERRORS.includes(toErrorInfo(error).code)) update(() => going.delete(recordingId));
        throw error;
      }
    },
  };
}
