// The recorder's answer to the global shortcut and the tray menu: main sends 'recording:toggle-request', and a
// recording starts with the record screen's current choices, or the one going on stops, whatever screen is open.
import { get, type Readable } from 'svelte/store';
import type { RecordingToggleRequest } from '../../../src-shared/contract.js';
import { onEvent } from '../../lib/api.js';
import {
  recorder,
  startRecording,
  stopRecording,
  type RecorderOptions,
  type RecorderState,
} from '../../lib/stores/recorder.js';

/** What a request does in a phase of the recorder: start, stop, or nothing (one is under way, or nothing to stop). */
export function requestedChange(
  action: RecordingToggleRequest['action'],
  phase: RecorderState['phase'],
): 'start' | 'stop' | null {
  if (phase === 'idle') return action === 'stop' ? null : 'start';
  if (phase === 'recording' || phase === 'paused') return action === 'start' ? null : 'stop';
  return null;
}

/**
 * Follows main's start, stop and toggle requests, starting with the choices `options` holds (the record screen's);
 * returns the function that stops following them.
 */
export function followRecordingRequests(options: Readable<RecorderOptions>): () => void {
  return onEvent('recording:toggle-request', ({ action }) => {
    const change = requestedChange(action, get(recorder).phase);
    if (change === 'start') void startRecording(get(options));
    else if (change === 'stop') void stopRecording();
  });
}
