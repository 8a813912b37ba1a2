// Messages between the speaker-embedding child process and its parent (sent with 'advanced' serialization,
// so Float32Arrays cross as structured clones).

/** Parent → worker: embed these 16 kHz mono windows, reply with the same `id`. */
export interface EmbedRequest {
  type: 'embed';
  id: number;
  windows: Float32Array[];
}

/** Worker → parent: the model is loaded; its embeddings have `dim` values. */
export interface ReadyReply {
  type: 'ready';
  dim: number;
}

/** Worker → parent: one vector per window of request `id`, in order. */
export interface VectorsReply {
  type: 'vectors';
  id: number;
  vectors: Float32Array[];
}

/** Worker → parent: the model could not be loaded; `message` is sherpa's technical text. */
export interface LoadErrorReply {
  type: 'load-error';
  message: string;
}

/** Worker → parent: request `id` failed; `message` is the technical text. */
export interface ErrorReply {
  type: 'error';
  id: number;
  message: string;
}

/** Everything the worker sends. */
export type WorkerReply = ReadyReply | LoadErrorReply | VectorsReply | ErrorReply;

/** Samples per second the worker feeds to sherpa. */
export const EMBEDDING_SAMPLE_RATE = 16_000;
