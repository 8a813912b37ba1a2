// The meetings of the library: list, open, rename, correct a sentence, delete (with undo from the page, at once from
// the command line) with their files, search, and export to one file.
import type { ApiHandlers } from '../../src-shared/contract.js';
import type { ExportFormat } from '../../src-shared/types.js';
import { checkExportFile, writeExportFile } from '../export/export-destination.js';
import { exportFileName, exportMeeting } from '../export/index.js';
import { deleteMeetingAndFiles, type MeetingFilesRemoval } from '../store/meeting-removal.js';
import type { StoredMeeting, StoredMeetingSummary } from '../store/stored-meeting.js';
import type { ApplicationParts } from './application-parts.js';
import type { EmitEvent } from './events.js';
import { requireMeeting, requireMeetingSummary } from './meeting-lookup.js';
import { MEETING_UNDO_WINDOW_MS, startMeetingPurger } from './meeting-purge.js';
import { pageMeeting, pageMeetingSummary } from './page-meetings.js';

/** A deleted meeting and what happened to its audio files. */
export interface DeletedMeeting extends MeetingFilesRemoval {
  meeting: StoredMeeting;
}

/** The meeting operations: the contract's and the command line's (which names meetings by the id as typed). */
export interface MeetingOperations extends Pick<
  ApiHandlers,
  | 'listMeetings'
  | 'getMeeting'
  | 'getSegmentTokens'
  | 'renameMeeting'
  | 'deleteMeeting'
  | 'restoreMeeting'
  | 'editSegmentText'
  | 'search'
  | 'exportMeeting'
> {
  /** The meetings with the paths of their files, for the command line (the page's list has no paths). */
  listStoredMeetings(request: { limit: number }): StoredMeetingSummary[];
  /** The meeting whose id a person typed, or NOT_FOUND saying where the ids are listed. */
  findMeeting(typedId: string): StoredMeeting;
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
  const purger = startMeetingPurger({
    meetings,
    dataDir,
    windowMs: parts.meetingUndoWindowMs ?? MEETING_UNDO_WINDOW_MS,
    onPurged: (meetingId) => emit('meeting:purged', { meetingId }),
  });
  const removeMeeting = async (id: number | string): Promise<DeletedMeeting> => {
    const meeting = requireMeeting(meetings, id);
    const files = await deleteMeetingAndFiles(meetings, dataDir, meeting.id);
    emit('library:changed', { meetingId: meeting.id });
    return { meeting, ...files };
  };
  return {
    listMeetings: async (request) => meetings.list(request).map(pageMeetingSummary),
    getMeeting: async (id) => pageMeeting(requireMeeting({ get: (found) => meetings.getSlim(found) }, id)),
    getSegmentTokens: async (id, segmentIds) =>
      requireMeeting({ get: (found) => meetings.segmentTokens(found, segmentIds) }, id),
    renameMeeting: async (id, title) => {
      requireMeetingSummary(meetings, id);
      meetings.rename(id, title);
      emit('library:changed', { meetingId: id });
    },
    deleteMeeting: async (id) => {
      meetings.markAsDeleted(id);
      purger.schedule(id);
      emit('library:changed', { meetingId: id });
    },
    restoreMeeting: async (id) => {
      meetings.restoreDeleted(id);
      purger.cancel(id);
      emit('library:changed', { meetingId: id });
    },
    editSegmentText: async (id, segmentId, text) => {
      const segment = meetings.editSegmentText(id, segmentId, text);
      emit('library:changed', { meetingId: id });
      return segment;
    },
    search: async (request) => parts.search.search(request),
    exportMeeting: async (id, format) => {
      const meeting = requireMeeting(meetings, id);
      return { fileName: exportFileName(meeting, format), content: exportMeeting(meeting, format) };
    },
    listStoredMeetings: (request) => meetings.list(request),
    findMeeting: (typedId) => requireMeeting(meetings, typedId),
    deleteMeetingWithFiles: removeMeeting,
    exportMeetingToFile: async (typedId, format, out, force) => {
      const target = await checkExportFile(out, { dataDir, force });
      const content = exportMeeting(requireMeeting(meetings, typedId), format);
      await writeExportFile(target, content, force);
    },
  };
}
