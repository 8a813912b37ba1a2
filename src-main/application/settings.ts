// Reading and changing the settings, reading hotword text for the settings' import, the speaker models the settings
// choose from (with download progress), and whether the library takes writes (the data folder: data-folder.ts).
import type { ApiHandlers } from '../../src-shared/contract.js';
import { importHotwords } from '../asr/hotwords.js';
import type { FunscribeError } from '../util/errors.js';
import type { ApplicationParts } from './application-parts.js';
import type { EmitEvent } from './events.js';
import { modelOperations } from './models.js';

/** The settings operations of the contract, and whether the library takes writes. */
export interface SettingsOperations extends Pick<
  ApiHandlers,
  'getSettings' | 'setSettings' | 'importHotwords' | 'listSpeakerModels' | 'downloadSpeakerModel'
> {
  /** Why the library takes no writes (it was found damaged when it was opened), or null when it does. */
  libraryWriteRefusal(): FunscribeError | null;
}

/** The settings operations on one library; a model download's progress is sent as `speaker-model:progress`. */
export function settingsOperations(parts: ApplicationParts, emit: EmitEvent): SettingsOperations {
  const models = modelOperations(parts);
  return {
    getSettings: async () => parts.settings.get(),
    setSettings: async (patch) => parts.updateSettings(patch),
    importHotwords: async (text) => importHotwords(text),
    listSpeakerModels: () => models.listModels(),
    downloadSpeakerModel: async (id) => {
      await models.downloadModel(id, {
        onProgress: ({ modelId, bytesDone, bytesTotal }) =>
          emit('speaker-model:progress', { modelId, doneBytes: bytesDone, totalBytes: bytesTotal }),
      });
      return models.listModels();
    },
    libraryWriteRefusal: () => parts.writeRefusal(),
  };
}
