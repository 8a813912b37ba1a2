// Child process entry: loads a speaker-embedding ONNX model with sherpa-onnx and embeds windows on request.
// It runs apart from the app because a damaged model makes the native code abort or segfault.
// argv: <model path> <threads>. Under Node it talks over the IPC channel and exits when the parent goes away; as an
// Electron utility process it talks over process.parentPort and ends with the app.
import sherpa from 'sherpa-onnx-node';
import type { SpeakerEmbeddingExtractor } from 'sherpa-onnx-node';
import { EMBEDDING_SAMPLE_RATE, type EmbedRequest, type WorkerReply } from './worker-protocol.js';

/** The message port of an Electron utility process (absent under Node). */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: EmbedRequest }) => void): void;
}
const parentPort = (process as { parentPort?: ParentPort }).parentPort;

/** Sends a reply; `then` runs once a Node parent has it (a utility process is stopped by its parent instead). */
function reply(message: WorkerReply, then?: () => void): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message, undefined, undefined, () => then?.());
}

function onRequest(listener: (request: EmbedRequest) => void): void {
  if (parentPort) parentPort.on('message', ({ data }) => listener(data));
  else process.on('message', listener);
}

function embedWindow(extractor: SpeakerEmbeddingExtractor, samples: Float32Array): Float32Array {
  const stream = extractor.createStream();
  stream.acceptWaveform({ sampleRate: EMBEDDING_SAMPLE_RATE, samples });
  stream.inputFinished();
  // sherpa returns uninitialised memory when no feature frame is ready, so refuse instead.
  if (!extractor.isReady(stream))
    throw new Error(`window of ${samples.length} samples is too short for one frame`);
  return extractor.compute(stream, false); // false: no external buffer (Electron forbids them)
}

function serve(extractor: SpeakerEmbeddingExtractor): void {
  onRequest((request) => {
    try {
      reply({
        type: 'vectors',
        id: request.id,
        vectors: request.windows.map((w) => embedWindow(extractor, w)),
      });
    } catch (error) {
      reply({ type: 'error', id: request.id, message: (error as Error).message });
    }
  });
  reply({ type: 'ready', dim: extractor.dim });
}

process.on('disconnect', () => process.exit(0));
const [model = '', threads = '1'] = process.argv.slice(2);
try {
  serve(new sherpa.SpeakerEmbeddingExtractor({ model, numThreads: Number(threads) }));
} catch (error) {
  reply({ type: 'load-error', message: (error as Error).message }, () => process.disconnect());
}
