// The record screen's choices, kept while the app runs so the next recording starts the same way.
import { writable } from 'svelte/store';
import type { RecorderOptions } from '../../lib/stores/recorder.js';

/** The choices for the next recording: the default microphone, raw audio, live captions, transcribe when stopped. */
export const recordOptions = writable<RecorderOptions>({
  deviceId: null,
  systemAudio: false,
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
  captions: true,
  transcribe: true,
});
