// Exporting a batch of meetings into one folder (`funscribe transcribe --format`): the folder is checked before any
// work, and each meeting gets a file of its own under a free name.
import type { ErrorInfo, ExportFormat } from '../../src-shared/types.js';
import { checkExportFolder, writeExportInFolder } from '../export/export-destination.js';
import { exportFileName, exportMeeting } from '../export/index.js';
import type { StoredMeeting } from '../store/stored-meeting.js';
import { toErrorInfo } from '../util/errors.js';
import type { ApplicationParts } from './application-parts.js';

/** The export file of one meeting: the path written, or why it was not. */
export interface ExportResult {
  meetingId: number;
  file: string;
  path: string | null;
  error: ErrorInfo | null;
}

/** The folder-export operations. */
export interface FolderExportOperations {
  /** Checks a folder for exports before any work (EXPORT_FORBIDDEN inside the data folder) and returns its real path. */
  checkExportFolder(dir: string): Promise<string>;
  /**
   * Writes one export file per meeting into the checked folder, each under a free name (an existing file is never
   * replaced: "Title (2).srt" instead). One file's failure is reported in its result and the others are still written.
   */
  exportMeetingsToFolder(
    meetings: StoredMeeting[],
    format: ExportFormat,
    dir: string,
  ): Promise<ExportResult[]>;
}

/** Writes one meeting's export into the folder and says where, or why not. */
async function exportIntoFolder(
  meeting: StoredMeeting,
  format: ExportFormat,
  dir: string,
): Promise<ExportResult> {
  const about = { meetingId: meeting.id, file: meeting.source };
  try {
    const content = exportMeeting(meeting, format);
    const nameFor = (copy: number) => exportFileName(meeting, format, copy);
    return { ...about, path: await writeExportInFolder(dir, nameFor, content), error: null };
  } catch (error) {
    return { ...about, path: null, error: toErrorInfo(error) };
  }
}

/** The folder-export operations of one library (whose data folder no export may write into). */
export function folderExportOperations(parts: ApplicationParts): FolderExportOperations {
  return {
    checkExportFolder: (dir) => checkExportFolder(dir, parts.dataDir),
    exportMeetingsToFolder: async (meetings, format, dir) => {
      const results: ExportResult[] = [];
      for (const meeting of meetings) results.push(await exportIntoFolder(meeting, format, dir));
      return results;
    },
  };
}
