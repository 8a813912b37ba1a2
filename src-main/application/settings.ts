// Reading and changing the settings, reading hotword text for the settings' import, where the library lives, and
// whether the library takes writes.
import { join } from 'node:path';
import type { ApiHandlers } from '../../src-shared/contract.js';
import { importHotwords } from '../asr/hotwords.js';
import { appDataDir, PRODUCT_NAME } from '../util/data-dir.js';
import type { FunscribeError } from '../util/errors.js';
import type { ApplicationParts } from './application-parts.js';

/** The settings operations of the contract, and whether the library takes writes. */
export interface SettingsOperations extends Pick<
  ApiHandlers,
  'getSettings' | 'setSettings' | 'importHotwords' | 'dataFolder'
> {
  /** Why the library takes no writes (it was found damaged when it was opened), or null when it does. */
  libraryWriteRefusal(): FunscribeError | null;
}

/** The settings operations on one library. */
export function settingsOperations(parts: ApplicationParts): SettingsOperations {
  return {
    getSettings: async () => parts.settings.get(),
    setSettings: async (patch) => parts.updateSettings(patch),
    importHotwords: async (text) => importHotwords(text),
    dataFolder: async () => ({
      path: parts.dataDir,
      source: parts.dataDir === join(appDataDir(), PRODUCT_NAME) ? 'default' : 'environment',
    }),
    libraryWriteRefusal: () => parts.writeRefusal(),
  };
}
