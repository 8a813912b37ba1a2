// What the page and the capture worklet say to each other over the worklet node's port.

/** The processor's registered name. */
export const CAPTURE_PROCESSOR = 'funscribe-capture';

/** Frames of one render quantum (also the length of silence for an input that has no audio in one). */
export const RENDER_QUANTUM = 128;

/** Options the processor is created with. */
export interface CaptureProcessorOptions {
  /** One input per channel: the microphone, then the system audio. */
  channels: 1 | 2;
  /**
   * Frames still on their way through the graph when the page asks to finish (the context renders in blocks of its
   * base latency): the processor takes this many more before it ends, so a recording keeps its last moments.
   */
  tailFrames: number;
}

/** From the page: stop taking audio (paused), take it again, or take the tail (and what is held), flush and end. */
export type ToCaptureProcessor =
  | { type: 'pause' }
  | { type: 'resume' }
  /** `heldFrames`: audio of the time the context's clock skipped, still waiting at the input (see held-frames.ts). */
  | { type: 'finish'; heldFrames: number };

/** From the processor: a chunk of 16 kHz s16le interleaved frames with each channel's peak, or the end after a finish. */
export type FromCaptureProcessor =
  { type: 'chunk'; pcm: ArrayBuffer; peaks: number[] } | { type: 'finished' };
