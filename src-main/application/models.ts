// The speaker-embedding models: which are installed and in use, download (verified, with progress), import a file,
// choose the one that labels voices, remove one.
import type { SpeakerModelList } from '../../src-shared/contract.js';
import type { ModelDownloadProgress } from '../speakers/models/model-download.js';
import { speakerModel } from '../speakers/models/model-catalog.js';
import { ensureModel, importModelFile, installedModel, removeModel } from '../speakers/models/model-store.js';
import type { ApplicationParts } from './application-parts.js';

/** How a download runs. */
export interface ModelDownload {
  /** Where downloads try first, saved for later (validated as the setting): global or cn. */
  region?: string;
  /** Stops the download with CANCELLED; the partial file is kept for a later resume. */
  signal?: AbortSignal;
  onProgress?: (progress: ModelDownloadProgress) => void;
}

/** The model operations. */
export interface ModelOperations {
  /** The catalog with what is installed and which model labels voices. */
  listModels(): Promise<SpeakerModelList>;
  /** Downloads and verifies a model unless it is installed; returns its display name and path. */
  downloadModel(id: string, options: ModelDownload): Promise<{ name: string; path: string }>;
  /** Installs a model file the user downloaded (checked against the catalog); returns its id and installed path. */
  importModel(file: string): Promise<{ modelId: string; path: string }>;
  /**
   * Chooses the model that labels voices from now on ('none': voice statistics), saving `region` first when given;
   * says whether the chosen one is installed yet (it is downloaded on first use).
   */
  useModel(id: string, region?: string): Promise<{ chosen: string | null; installed: boolean }>;
  /** Deletes an installed model (one that is not there is fine). */
  removeModel(id: string): Promise<void>;
}

/** The model operations on one library's models folder and settings. */
export function modelOperations(parts: ApplicationParts): ModelOperations {
  const dir = parts.speakerModelsDir;
  const catalog = parts.speakerModels;
  const entry = (id: string) => speakerModel(id, catalog);
  const saveRegion = (region: string | undefined): void => {
    if (region !== undefined) parts.updateSettings({ modelRegion: region });
  };
  return {
    listModels: async () => {
      const { speakerModel: selected, modelRegion: region } = parts.settings.get();
      const models = await Promise.all(
        catalog.map(async (model) => ({
          id: model.id,
          name: model.displayName,
          language: model.language,
          sizeBytes: model.sizeBytes,
          installed: (await installedModel(dir, model)) !== null,
          selected: model.id === selected,
        })),
      );
      return { selected, region, models };
    },
    downloadModel: async (id, { region, signal, onProgress }) => {
      const model = entry(id);
      saveRegion(region);
      const preferredRegion = parts.settings.get().modelRegion;
      const path = await ensureModel(dir, model, { signal, preferredRegion, onProgress });
      return { name: model.displayName, path };
    },
    importModel: (file) => importModelFile(dir, file, { catalog }),
    useModel: async (id, region) => {
      const chosen = id === 'none' ? null : entry(id).id;
      saveRegion(region);
      parts.updateSettings({ speakerModel: chosen });
      return { chosen, installed: chosen !== null && (await installedModel(dir, entry(chosen))) !== null };
    },
    removeModel: (id) => removeModel(dir, entry(id)),
  };
}
