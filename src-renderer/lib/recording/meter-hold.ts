// The level meters' pace: each chunk (100 ms) brings a peak per channel, but the meters move at every other chunk
// and show the loudest peak since they last moved. Each move is a frame the renderer, its compositor and the GPU
// process draw; at 5 moves a second instead of 10 the record screen cost about 1.5 % of a core less while recording
// (bench/recording-cpu.ts), and a meter still follows speech syllable by syllable.

/** Chunks per meter move. */
export const CHUNKS_PER_METER_MOVE = 2;

/** Holds the loudest peak per channel over the chunks between two meter moves. */
export class MeterHold {
  private loudest: number[] = [];
  private chunks = 0;

  /** Takes one chunk's peaks; returns the levels to show when the meters move now, else null. */
  take(peaks: readonly number[]): number[] | null {
    this.loudest = peaks.map((peak, channel) => Math.max(peak, this.loudest[channel] ?? 0));
    this.chunks += 1;
    if (this.chunks < CHUNKS_PER_METER_MOVE) return null;
    const levels = this.loudest;
    this.loudest = [];
    this.chunks = 0;
    return levels;
  }
}
