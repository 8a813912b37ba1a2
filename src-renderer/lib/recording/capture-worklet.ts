// The AudioWorklet processor of a recording, built by Vite as a file of its own (`?worker&url`) so it loads under
// the page's CSP (script-src 'self', no blob: or eval). Each input is one channel (downmixed to mono by the node), at
// 16 kHz already (the context runs at the journal's rate); it converts to s16le interleaved and posts ~100 ms chunks.
import {
  CAPTURE_PROCESSOR,
  RENDER_QUANTUM,
  type CaptureProcessorOptions,
  type FromCaptureProcessor,
  type ToCaptureProcessor,
} from './capture-messages.js';
import { PcmChunker, type PcmChunk } from './pcm-chunks.js';

// The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
declare const currentFrame: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: { processorOptions?: unknown });
}
declare function registerProcessor(name: string, processor: typeof AudioWorkletProcessor): void;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly channels: number;
  private readonly chunker: PcmChunker;
  private readonly tailFrames: number;
  private paused = false;
  private ended = false;
  /** The frame at which a finish asked for ends the recording, or null while it goes on. */
  private finishAt: number | null = null;

  constructor(options: { processorOptions?: unknown }) {
    super(options);
    const { channels, tailFrames } = options.processorOptions as CaptureProcessorOptions;
    this.channels = channels;
    this.tailFrames = tailFrames;
    this.chunker = new PcmChunker(channels);
    this.port.onmessage = (event: MessageEvent<ToCaptureProcessor>) => this.obey(event.data);
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.ended) return false;
    if (this.paused) return true;
    const length = inputs.find((input) => input[0])?.[0]?.length ?? RENDER_QUANTUM;
    const blocks = Array.from(
      { length: this.channels },
      (_, c) => inputs[c]?.[0] ?? new Float32Array(length),
    );
    this.post(this.chunker.push(blocks));
    if (this.finishAt !== null && currentFrame + length >= this.finishAt) this.finish();
    return !this.ended;
  }

  private obey(message: ToCaptureProcessor): void {
    if (message.type === 'pause') this.paused = true;
    else if (message.type === 'resume') this.paused = false;
    else if (this.paused) this.finish();
    else this.finishAt ??= currentFrame + this.tailFrames + message.heldFrames;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    const last = this.chunker.flush();
    this.post(last ? [last] : []);
    this.port.postMessage({ type: 'finished' } satisfies FromCaptureProcessor);
  }

  private post(chunks: PcmChunk[]): void {
    for (const { pcm, peaks } of chunks) {
      const buffer = pcm.buffer;
      this.port.postMessage({ type: 'chunk', pcm: buffer, peaks } satisfies FromCaptureProcessor, [buffer]);
    }
  }
}

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
