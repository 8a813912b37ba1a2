// Asking the system for the right to record before capture starts. Only the desktop app can ask the operating system
// (src-main/app/recording-access.ts replaces this); in a browser, such as the test bridge, the browser asks the user
// itself when the page starts capturing, so there is nothing to ask first. Either way the answer says whether main
// records the system audio itself (Linux: the PulseAudio/PipeWire monitor), so the page sends the microphone alone.

import type { RecordingAccess } from '../../src-shared/contract.js';

/** The operation that asks for the right to record the microphone and, optionally, the system audio. */
export interface RecordingAccessOperations {
  requestRecordingAccess(systemAudio: boolean): Promise<RecordingAccess>;
}

/** The front ends without an operating-system check of their own (the browser test bridge): nothing to ask first. */
export function browserRecordingAccess(systemAudioInMain: boolean): RecordingAccessOperations {
  return { requestRecordingAccess: () => Promise.resolve({ systemAudioInMain }) };
}
