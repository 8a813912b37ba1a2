// Captured audio as the journal takes it: float samples to s16le (clipped, not wrapped), channels interleaved
// (microphone left, system audio right), cut into numbered chunks of about 100 ms with each channel's peak for the meter.
// Pure code with no browser globals: the capture worklet runs it, and the unit tests run it in Node.

/** The journal's sample rate. */
export const CAPTURE_RATE = 16_000;

/** Frames per chunk: 100 ms at 16 kHz. */
export const CHUNK_FRAMES = 1600;

/** One chunk of s16le interleaved frames with the peak of each channel (0..1), ready to append. */
export interface PcmChunk {
  pcm: Uint8Array<ArrayBuffer>;
  peaks: number[];
}

/** A float sample in [-1, 1] as a 16-bit sample; anything beyond full scale is clipped to it. */
export function toS16(sample: number): number {
  if (Number.isNaN(sample)) return 0;
  return Math.round(Math.max(-1, Math.min(1, sample)) * 32767);
}

/** Collects equally long blocks of every channel and hands out whole chunks of `framesPerChunk` frames. */
export class PcmChunker {
  private readonly frames: Int16Array;
  private readonly peaks: number[];
  private filled = 0;

  constructor(
    private readonly channels: number,
    private readonly framesPerChunk = CHUNK_FRAMES,
  ) {
    this.frames = new Int16Array(framesPerChunk * channels);
    this.peaks = new Array<number>(channels).fill(0);
  }

  /** Adds one block per channel (all the same length) and returns the chunks it completes. */
  push(blocks: readonly Float32Array[]): PcmChunk[] {
    if (blocks.length !== this.channels) throw new RangeError(`expected ${this.channels} channels`);
    const length = blocks[0]!.length;
    if (blocks.some((block) => block.length !== length))
      throw new RangeError('channel blocks differ in length');
    const chunks: PcmChunk[] = [];
    for (let i = 0; i < length; i++) {
      for (let c = 0; c < this.channels; c++) {
        const sample = toS16(blocks[c]![i]!);
        this.frames[this.filled * this.channels + c] = sample;
        this.peaks[c] = Math.max(this.peaks[c]!, Math.abs(sample) / 32767);
      }
      this.filled += 1;
      if (this.filled === this.framesPerChunk) chunks.push(this.take());
    }
    return chunks;
  }

  /** The frames collected since the last whole chunk, as a shorter chunk (null when there are none). */
  flush(): PcmChunk | null {
    return this.filled === 0 ? null : this.take();
  }

  private take(): PcmChunk {
    // Int16Array is in the machine's byte order: little-endian on every platform Electron runs on.
    const samples = this.frames.slice(0, this.filled * this.channels);
    const chunk = { pcm: new Uint8Array(samples.buffer), peaks: [...this.peaks] };
    this.filled = 0;
    this.peaks.fill(0);
    return chunk;
  }
}
