// The one application service: the contract's methods (Electron IPC and the browser test bridge call them) and the
// operations of the command line, on the parts of one opened library. No front end touches those parts directly.
import type { ApiHandlers } from '../../src-shared/contract.js';
import type { FunscribeError } from '../util/errors.js';
import type { ApplicationParts } from './application-parts.js';
import { engineOperations, type EngineOperations } from './engine.js';
import type { EmitEvent } from './events.js';
import { folderExportOperations, type FolderExportOperations } from './folder-exports.js';
import { jobOperations, type JobOperations } from './jobs.js';
import { meetingOperations, type MeetingOperations } from './meetings.js';
import { modelOperations, type ModelOperations } from './models.js';
import { speakerOperations, type SpeakerOperations } from './speakers.js';

/** Reading and changing the settings, and whether the library takes writes. */
export interface SettingsOperations extends Pick<ApiHandlers, 'getSettings' | 'setSettings'> {
  /** Why the library takes no writes (it was found damaged when it was opened), or null when it does. */
  libraryWriteRefusal(): FunscribeError | null;
}

/** Everything the front ends may do with an opened library; it implements the contract (`ApiHandlers`). */
export type AppService = MeetingOperations &
  FolderExportOperations &
  JobOperations &
  SettingsOperations &
  EngineOperations &
  SpeakerOperations &
  ModelOperations;

/**
 * Builds the service on the parts of one opened library. Job updates, finished meetings, changes to a meeting and
 * engine status are sent through `emit` (a front without listeners leaves it out).
 */
export function createAppService(parts: ApplicationParts, emit: EmitEvent = () => undefined): AppService {
  parts.queue.onUpdate((job) => {
    emit('job:update', job);
    if (job.status === 'done' && job.meetingId !== null)
      emit('library:changed', { meetingId: job.meetingId });
  });
  const service: AppService = {
    ...meetingOperations(parts, emit),
    ...folderExportOperations(parts),
    ...jobOperations(parts),
    getSettings: async () => parts.settings.get(),
    setSettings: async (patch) => parts.updateSettings(patch),
    libraryWriteRefusal: () => parts.writeRefusal(),
    ...engineOperations(parts, emit),
    ...speakerOperations(parts, emit),
    ...modelOperations(parts),
  };
  return service satisfies ApiHandlers;
}
