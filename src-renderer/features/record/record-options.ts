// The record screen's choices, kept in the settings so that the next start of the app records the same way.
import { derived, type Readable } from 'svelte/store';
import { DEFAULT_RECORD_SETTINGS, type RecordSettings } from '../../../src-shared/schemas/settings.js';
import type { RecorderOptions } from '../../lib/stores/recorder.js';
import { settings } from '../../lib/stores/settings.js';

/** The settings of the record screen as held now (their defaults until the settings are loaded). */
export const recordSettings: Readable<RecordSettings> = derived(
  settings,
  (held): RecordSettings => held ?? DEFAULT_RECORD_SETTINGS,
);

/** The choices for the next recording, as the recorder takes them. */
export const recordOptions: Readable<RecorderOptions> = derived(recordSettings, (chosen) => ({
  microphone: chosen.recordMicrophone,
  systemAudio: chosen.recordSystemAudio,
  echoCancellation: chosen.recordEchoCancellation,
  noiseSuppression: chosen.recordNoiseSuppression,
  autoGainControl: chosen.recordAutoGainControl,
  captions: chosen.recordCaptions,
  transcribe: chosen.recordTranscribe,
}));
