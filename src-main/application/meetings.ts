// The meetings of the library: list, open, rename, delete with their files, search, and export to one file.
import type { ApiHandlers } from '../../src-shared/contract.js';
import type { ExportFormat, Meeting } from '../../src-shared/types.js';
import { checkExportFile, writeExportFile } from '../export/export-destination.js';
import { exportFileName, exportMeeting } from '../export/index.js';
import { deleteMeetingAndFiles, type MeetingFilesRemoval } from '../store/meeting-removal.js';
import type { ApplicationParts } from './application-parts.js';
import type { EmitEvent } from './events.js';
import { requireMeeting } from './meeting-lookup.js';

/** A deleted meeting and what happened to its audio files. */
export interface DeletedMeeting extends MeetingFilesRemoval {
  meeting: Meeting;
}

/** The meeting operations: the contract's and the command line's (which names meetings by the id as typed). */
export interface MeetingOperations extends Pick<
  ApiHandlers,
  'listMeetings' | 'getMeeting' | 'renameMeeting' | 'deleteMeeting' | 'search' | 'exportMeeting'
> {
  /** The meeting whose id a person typed, or NOT_FOUND saying where the ids are listed. */
  findMeeting(typedId: string): Meeting;
  /** Deletes the meeting whose id a person typed, then its audio files; says which files could not be removed. */
  deleteMeetingWithFiles(typedId: string): Promise<DeletedMeeting>;
  /**
   * Writes a meeting in `format` to the file `out`, which is checked before anything else (not in the data folder,
   * not an existing file unless `force`, a writable folder) and replaced only when complete.
   */
  exportMeetingToFile(typedId: string, format: ExportFormat, out: string, force: boolean): Promise<void>;
}

/** The meeting operations on one library; every change is announced as `library:changed`. */
export function meetingOperations(parts: ApplicationParts, emit: EmitEvent): MeetingOperations {
  const { meetings, dataDir } = parts;
  const removeMeeting = async (id: number | string): Promise<DeletedMeeting> => {
    const meeting = requireMeeting(meetings, id);
    const files = await deleteMeetingAndFiles(meetings, dataDir, meeting.id);
    emit('library:changed', { meetingId: meeting.id });
    return { meeting, ...files };
  };
  return {
    listMeetings: async (request) => meetings.list(request),
    getMeeting: async (id) => requireMeeting(meetings, id),
    renameMeeting: async (id, title) => {
      requireMeeting(meetings, id);
      meetings.rename(id, title);
      emit('library:changed', { meetingId: id });
    },
    deleteMeeting: async (id) => {
      await removeMeeting(id);
    },
    search: async (request) => parts.search.search(request),
    exportMeeting: async (id, format) => {
      const meeting = requireMeeting(meetings, id);
      return { fileName: exportFileName(meeting, format), content: exportMeeting(meeting, format) };
    },
    findMeeting: (typedId) => requireMeeting(meetings, typedId),
    deleteMeetingWithFiles: removeMeeting,
    exportMeetingToFile: async (typedId, format, out, force) => {
      const target = await checkExportFile(out, { dataDir, force });
      const content = exportMeeting(requireMeeting(meetings, typedId), format);
      await writeExportFile(target, content, force);
    },
  };
}
