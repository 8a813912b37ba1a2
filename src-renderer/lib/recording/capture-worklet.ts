// The AudioWorklet processor of a recording, built by Vite as a file of its own (`?worker&url`) so it loads under
// the page's CSP (script-src 'self', no blob: or eval). Each input is one channel (downmixed to mono by the node);
// it resamples every channel to 16 kHz, converts to s16le interleaved and posts ~100 ms chunks to the page.
import {
  CAPTURE_PROCESSOR,
  type CaptureProcessorOptions,
  type FromCaptureProcessor,
  type ToCaptureProcessor,
} from './capture-messages.js';
import { CAPTURE_RATE, PcmChunker, type PcmChunk } from './pcm-chunks.js';
import { Resampler } from './resampler.js';

// The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: { processorOptions?: unknown });
}
declare function registerProcessor(name: string, processor: typeof AudioWorkletProcessor): void;

/** Frames of one render quantum, used as the length of silence for an input that has no audio this quantum. */
const RENDER_QUANTUM = 128;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly resamplers: Resampler[];
  private readonly chunker: PcmChunker;
  private paused = false;
  private ended = false;

  constructor(options: { processorOptions?: unknown }) {
    super(options);
    const { channels } = options.processorOptions as CaptureProcessorOptions;
    this.resamplers = Array.from({ length: channels }, () => new Resampler(sampleRate, CAPTURE_RATE));
    this.chunker = new PcmChunker(channels);
    this.port.onmessage = (event: MessageEvent<ToCaptureProcessor>) => this.obey(event.data);
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.ended) return false;
    if (this.paused) return true;
    const length = inputs.find((input) => input[0])?.[0]?.length ?? RENDER_QUANTUM;
    const blocks = this.resamplers.map((resampler, c) =>
      resampler.push(inputs[c]?.[0] ?? new Float32Array(length)),
    );
    this.post(this.chunker.push(blocks));
    return true;
  }

  private obey(message: ToCaptureProcessor): void {
    if (message.type === 'pause') this.paused = true;
    else if (message.type === 'resume') this.paused = false;
    else this.finish();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.post(this.chunker.push(this.resamplers.map((resampler) => resampler.flush())));
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
