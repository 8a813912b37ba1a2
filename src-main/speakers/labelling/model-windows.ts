// Window embeddings from an installed speaker model (CAM++ and kin) for the speaker stage: windows are read from the
// meeting's PCM file a batch at a time and embedded in the model's child process.
import { open } from 'node:fs/promises';
import { PCM_SAMPLE_RATE } from '../../audio/pcm.js';
import { throwIfAborted } from '../../util/errors.js';
import type { Window } from './assignment.js';
import { createModelEmbedder, EMBED_BATCH_SIZE, MIN_WINDOW_SAMPLES } from '../embedding/model-embedder.js';
import type { WorkerLauncher } from '../embedding/worker-process.js';
import { readSamples } from '../dsp/pcm-samples.js';
import type { ModelWindowEmbedder } from './speaker-stage.js';

/** Which model to use: its id (stored as the analysis backend) and where its verified file is, or null if none. */
export interface InstalledSpeakerModel {
  id: string;
  path: string;
}

/** Where the sample range of a window lies, at least one model frame long. */
function sampleRange({ startMs, endMs }: Window): [number, number] {
  const perMs = PCM_SAMPLE_RATE / 1000;
  const start = Math.max(0, Math.round(startMs * perMs));
  return [start, Math.max(MIN_WINDOW_SAMPLES, Math.round(endMs * perMs) - start)];
}

/**
 * The speaker stage's model path: null from the embedder when `installed()` finds no model, otherwise every window
 * embedded by the model (raw vectors; the model's embeddings are clustered by cosine without normalisation).
 */
export function modelWindowEmbedder(
  installed: () => Promise<InstalledSpeakerModel | null>,
  workerPath?: string,
  launch?: WorkerLauncher,
): ModelWindowEmbedder {
  return async (pcmPath, windows, { signal, onProgress } = {}) => {
    const model = await installed();
    if (!model) return null;
    const embedder = await createModelEmbedder({ modelPath: model.path, workerPath, launch });
    const file = await open(pcmPath, 'r');
    try {
      const embeddings = new Float32Array(windows.length * embedder.dim);
      for (let first = 0; first < windows.length; first += EMBED_BATCH_SIZE) {
        throwIfAborted(signal);
        const batch = windows.slice(first, first + EMBED_BATCH_SIZE);
        const samples = await Promise.all(batch.map((window) => readSamples(file, ...sampleRange(window))));
        const vectors = await embedder.embed(samples, { signal });
        vectors.forEach((vector, i) => embeddings.set(vector, (first + i) * embedder.dim));
        onProgress?.((first + batch.length) / windows.length);
      }
      return { mode: 'voice', backend: model.id, dim: embedder.dim, windows, embeddings };
    } finally {
      await file.close();
      await embedder.close();
    }
  };
}
