// The small part of sherpa-onnx-node (a CommonJS package without type declarations) that FunScribe uses.
declare module 'sherpa-onnx-node' {
  /** Samples in [-1, 1] at the given rate. */
  export interface Waveform {
    sampleRate: number;
    samples: Float32Array;
  }

  /** A feature stream: feed samples, then say the input has ended. */
  export interface OnlineStream {
    acceptWaveform(waveform: Waveform): void;
    inputFinished(): void;
  }

  /** Options of the speaker-embedding extractor. */
  export interface SpeakerEmbeddingExtractorConfig {
    model: string;
    numThreads?: number;
    debug?: boolean;
    provider?: string;
  }

  /** Loads a WeSpeaker/3D-Speaker ONNX model; throws "Please check your config!" when the file is missing. */
  export class SpeakerEmbeddingExtractor {
    constructor(config: SpeakerEmbeddingExtractorConfig);
    readonly dim: number;
    createStream(): OnlineStream;
    isReady(stream: OnlineStream): boolean;
    /** Pass `enableExternalBuffer = false` under Electron (its V8 memory cage forbids external buffers). */
    compute(stream: OnlineStream, enableExternalBuffer?: boolean): Float32Array;
  }

  /** The CommonJS `module.exports` object, as an ES default import sees it. */
  const sherpa: {
    SpeakerEmbeddingExtractor: typeof SpeakerEmbeddingExtractor;
    version: string;
  };
  export default sherpa;
}
