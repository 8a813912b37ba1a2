// Lists the audio inputs while recording, so that Chromium notices a microphone that went away. On Linux, Chromium 156
// did not notice a PulseAudio source coming or going until the inputs were listed (it is told of sound cards through
// udev; a virtual source, and likely a Bluetooth headset, has no card of its own), and PulseAudio moved the recording to
// another input without a word. Each listing makes Chromium compare the inputs with its last list: it fires
// `devicechange` and stops the capture of a device that is gone, which ends its track (~50 ms after the listing, with
// PulseAudio 16).

/**
 * How often the inputs are listed while recording, in ms. Each listing costs the renderer, the browser process and
 * Chromium's capture services some CPU (listing every second took 0.5–1 % of a core in bench/recording-cpu.ts); every
 * two seconds notices a microphone that went away within about two.
 */
const LISTING_INTERVAL_MS = 2000;

/** Lists the inputs every two seconds, and once when one of `tracks` ends; returns what stops it. */
export function watchInputs(tracks: readonly MediaStreamTrack[]): () => void {
  const list = (): void => void navigator.mediaDevices.enumerateDevices().catch(() => undefined);
  const timer = setInterval(list, LISTING_INTERVAL_MS);
  for (const track of tracks) track.addEventListener('ended', list, { once: true });
  return () => {
    clearInterval(timer);
    for (const track of tracks) track.removeEventListener('ended', list);
  };
}
