// Asking the system for the right to record before capture starts. Only the desktop app can ask the operating system
// (src-main/app/recording-access.ts replaces this); in a browser, such as the test bridge, the browser asks the user
// itself when the page starts capturing, so there is nothing to ask first.

/** The operation that asks for the right to record the microphone and, optionally, the system audio. */
export interface RecordingAccessOperations {
  requestRecordingAccess(systemAudio: boolean): Promise<void>;
}

/** The front ends without an operating-system check of their own (the browser test bridge): nothing to ask first. */
export function browserRecordingAccess(): RecordingAccessOperations {
  return { requestRecordingAccess: () => Promise.resolve() };
}
