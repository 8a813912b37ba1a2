// The speaker model a transcription job labels voices with: the chosen one, downloaded on first use. A failed download
// is remembered for a while, so that on an offline machine every later job falls back to MFCC statistics at once
// instead of trying every mirror again.
import type { InstalledSpeakerModel } from '../labelling/model-windows.js';
import { speakerModel, type MirrorRegion, type SpeakerModelEntry } from './model-catalog.js';
import { ensureModel } from './model-store.js';

/** How long after a failed download jobs stop trying again (a manual `models download` always tries). */
export const JOB_DOWNLOAD_RETRY_AFTER_MS = 10 * 60_000;

/** The settings that pick the model: its id (null: none) and which mirrors go first. */
export interface JobModelChoice {
  speakerModel: string | null;
  modelRegion: MirrorRegion;
}

/** Options of `jobSpeakerModel`: the catalog to look ids up in, and the clock (both for tests). */
export interface JobSpeakerModelOptions {
  catalog?: readonly SpeakerModelEntry[];
  now?: () => number;
}

/** Resolves the chosen model for each job (null when none is chosen); throws the download error, remembered a while. */
export function jobSpeakerModel(
  modelsDir: string,
  choice: () => JobModelChoice,
  { catalog, now = Date.now }: JobSpeakerModelOptions = {},
): () => Promise<InstalledSpeakerModel | null> {
  let failure: { id: string; at: number; error: unknown } | null = null;
  return async () => {
    const { speakerModel: id, modelRegion } = choice();
    if (!id) return null;
    if (failure?.id === id && now() - failure.at < JOB_DOWNLOAD_RETRY_AFTER_MS) throw failure.error;
    try {
      const path = await ensureModel(modelsDir, speakerModel(id, catalog), {
        preferredRegion: modelRegion,
        attemptsPerMirror: 1,
      });
      failure = null;
      return { id, path };
    } catch (error) {
      failure = { id, at: now(), error };
      throw error;
    }
  };
}
