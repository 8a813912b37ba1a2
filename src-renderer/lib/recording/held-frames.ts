// How much of the inputs' audio a starved capture still holds when it is asked to finish. The capture renders to no
// device, and that clock skips the renders it missed when the renderer is starved: the inputs' audio of that time
// waits at the graph's input as latency, and the recording would end that much short. How far the context's clock
// fell behind the page's since the start, beyond one render block of jitter, is that wait.

/** The most audio a finish waits for, in seconds (a clock that fell further behind is cut there). */
export const MAX_HELD_SECONDS = 5;

/**
 * The frames at `rate` still waiting at the input: how much further the context's time (`contextLag`, seconds of page
 * time minus context time) lags now than it did at the start, less `blockSeconds` of jitter; 0..MAX_HELD_SECONDS.
 */
export function heldFrames(lagAtStart: number, lagNow: number, blockSeconds: number, rate: number): number {
  const held = Math.min(MAX_HELD_SECONDS, lagNow - lagAtStart - blockSeconds);
  return held > 0 ? Math.round(held * rate) : 0;
}

/** Page time minus the context's time, in seconds: it grows by what the context's clock skipped. */
export function contextLag(context: BaseAudioContext): number {
  return performance.now() / 1000 - context.currentTime;
}
