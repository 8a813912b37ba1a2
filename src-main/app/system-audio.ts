// System audio (what the computer plays: the other side of a call) for a recording, on Windows and macOS: the page
// asks getDisplayMedia for audio and a screen (Electron needs a video source; the page drops that track), and the
// display-media handler answers with a screen and 'loopback' audio. On Linux main records the PulseAudio/PipeWire
// monitor itself (recording/monitor-mix.ts), so nothing is granted here. Pure rules; main.ts makes the Electron calls.

/**
 * Chromium features that make 'loopback' capture the system audio on macOS (through ScreenCaptureKit, macOS 13 and
 * later); without them Electron captures it on Windows only.
 */
export const MAC_LOOPBACK_FEATURES: readonly string[] = [
  'MacLoopbackAudioForScreenShare',
  'MacSckSystemAudioLoopbackOverride',
];

/** A `--enable-features` value: the features already there (comma-separated, may be empty) and `added`, once each. */
export function withFeatures(current: string, added: readonly string[]): string {
  const features = current.split(',').filter((feature) => feature !== '');
  return [...new Set([...features, ...added])].join(',');
}

/** What the display-media handler looks at in a request. */
export interface DisplayMediaAsk {
  audioRequested: boolean;
  /** The URL of the frame asking, or null when it is gone. */
  frameUrl: string | null;
}

/**
 * True when a getDisplayMedia request gets the system audio: the app's own page, asking for audio, on Windows or
 * macOS. Anything else is refused (the app never shares a screen).
 */
export function grantsSystemAudio(
  ask: DisplayMediaAsk,
  platform: NodeJS.Platform,
  isAppPage: (url: string) => boolean,
): boolean {
  return (
    (platform === 'win32' || platform === 'darwin') &&
    ask.audioRequested &&
    ask.frameUrl !== null &&
    isAppPage(ask.frameUrl)
  );
}
