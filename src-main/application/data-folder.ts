// The settings' data folder: where the library lives, a folder picked for the next start (what it holds, said before
// it is confirmed), confirming or dropping that change. The change itself is made at start (data-folder-change.ts).
import type { ApiHandlers, DataFolderCandidate, DataFolderInfo } from '../../src-shared/contract.js';
import { readDataFolderLocation, writeDataFolderLocation } from '../util/data-dir.js';
import { FunscribeError } from '../util/errors.js';
import type { ApplicationParts, DataFolderChoice } from './application-parts.js';
import { assessDataFolder, refusalOf } from './data-folder-change.js';

/** The data-folder operations of the contract. */
export type DataFolderOperations = Pick<
  ApiHandlers,
  'dataFolder' | 'pickDataFolder' | 'confirmDataFolder' | 'cancelDataFolderChange'
>;

/** The choice of this front end, or FORBIDDEN when the folder is fixed (FUNSCRIBE_DATA_DIR, --data-dir, the CLI). */
function choiceOf(parts: ApplicationParts): DataFolderChoice {
  if (parts.dataFolderChoice) return parts.dataFolderChoice;
  throw new FunscribeError(
    'FORBIDDEN',
    `The data folder is fixed to ${parts.dataDir} here (by FUNSCRIBE_DATA_DIR or --data-dir), so it cannot be changed in the settings.`,
  );
}

/** The data-folder operations on one library; `parts.dataFolderChoice` is read at each call. */
export function dataFolderOperations(parts: ApplicationParts): DataFolderOperations {
  let picked: DataFolderCandidate | null = null;
  const assess = (path: string, choice: DataFolderChoice): DataFolderCandidate =>
    assessDataFolder(path, parts.dataDir, choice);
  const info = (): DataFolderInfo => {
    const choice = parts.dataFolderChoice;
    if (!choice) return { path: parts.dataDir, changeable: false, next: null, error: null };
    const location = readDataFolderLocation(choice.locationFile);
    return {
      path: parts.dataDir,
      changeable: true,
      next: location.next === null ? null : assess(location.next, choice),
      error: location.error,
    };
  };
  return {
    dataFolder: async () => info(),
    pickDataFolder: async () => {
      const choice = choiceOf(parts);
      const path = await choice.pickFolder();
      picked = path === null ? null : assess(path, choice);
      return picked;
    },
    confirmDataFolder: async () => {
      const choice = choiceOf(parts);
      if (picked === null) throw new FunscribeError('INVALID_ARGUMENT', 'Choose a folder first.');
      const candidate = assess(picked.path, choice);
      const refusal = refusalOf(candidate);
      if (refusal) throw refusal;
      writeDataFolderLocation(choice.locationFile, {
        current: parts.dataDir,
        next: candidate.path,
        error: null,
      });
      picked = null;
      return info();
    },
    cancelDataFolderChange: async () => {
      const choice = choiceOf(parts);
      const { current } = readDataFolderLocation(choice.locationFile);
      writeDataFolderLocation(choice.locationFile, { current, next: null, error: null });
      picked = null;
      return info();
    },
  };
}
