// The one application service: the contract's methods (Electron IPC and the browser test bridge call them) and the
// operations of the command line, on the parts of one opened library. No front end touches those parts directly.
import type { ApiHandlers } from '../../src-shared/contract.js';
import type { ApplicationParts } from './application-parts.js';
import { dataFolderOperations, type DataFolderOperations } from './data-folder.js';
import { engineOperations, type EngineOperations } from './engine.js';
import type { EmitEvent } from './events.js';
import { folderExportOperations, type FolderExportOperations } from './folder-exports.js';
import { jobOperations, type JobOperations } from './jobs.js';
import { mediaOperations, type MediaOperations } from './media.js';
import { desktopMediaUrl, type MediaUrlOf } from './media-urls.js';
import { meetingOperations, type MeetingOperations } from './meetings.js';
import { modelOperations, type ModelOperations } from './models.js';
import { recordingOperations, type RecordingOperations } from '../recording/recording-operations.js';
import { browserRecordingAccess, type RecordingAccessOperations } from './recording-access.js';
import { recordingApiOperations, type RecordingApiOperations } from './recordings.js';
import { settingsOperations, type SettingsOperations } from './settings.js';
import { speakerOperations, type SpeakerOperations } from './speakers.js';

/** Everything the front ends may do with an opened library; it implements the contract (`ApiHandlers`). */
export type AppService = MeetingOperations &
  MediaOperations &
  FolderExportOperations &
  JobOperations &
  SettingsOperations &
  DataFolderOperations &
  EngineOperations &
  SpeakerOperations &
  ModelOperations &
  RecordingOperations &
  RecordingAccessOperations &
  RecordingApiOperations;

/**
 * Builds the service on the parts of one opened library. Job updates, finished meetings, changes to a meeting and
 * engine status are sent through `emit` (a front without listeners leaves it out). `mediaUrl` addresses a meeting's
 * audio for the page (the desktop app's media protocol unless the front serves it elsewhere).
 */
export function createAppService(
  parts: ApplicationParts,
  emit: EmitEvent = () => undefined,
  mediaUrl: MediaUrlOf = desktopMediaUrl,
): AppService {
  parts.queue.onUpdate((job) => {
    emit('job:update', job);
    if (job.status === 'done' && job.meetingId !== null)
      emit('library:changed', { meetingId: job.meetingId });
  });
  parts.liveRecordings.onEvent(emit);
  const service: AppService = {
    ...meetingOperations(parts, emit),
    ...mediaOperations(parts, mediaUrl),
    ...folderExportOperations(parts),
    ...jobOperations(parts),
    ...settingsOperations(parts, emit),
    ...dataFolderOperations(parts),
    ...engineOperations(parts, emit),
    ...speakerOperations(parts, emit),
    ...modelOperations(parts),
    ...recordingOperations(parts),
    ...browserRecordingAccess(parts.liveRecordings.systemAudioInMain),
    ...recordingApiOperations(parts),
  };
  return service satisfies ApiHandlers;
}
