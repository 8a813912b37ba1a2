// Recovery of the recordings whose process stopped while recording (a crash, a kill, a power cut): each journal is
// cut at its last whole frame and kept where it is, and a job to transcribe it is queued in the same transaction as
// the row is marked recovered. Run at every start; running it again changes nothing, and it never deletes audio.
import { randomUUID } from 'node:crypto';
import { contentHashOrNull } from '../audio/content-hash.js';
import { currentOwner, isOwnerGone } from '../jobs/job-owner.js';
import type { JobOwner } from '../store/jobs-repo.js';
import type { StoredRecording } from '../store/recordings-repo.js';
import { toErrorInfo } from '../util/errors.js';
import type { RecordingParts } from './recording-session.js';
import { journalMs, repairJournal } from './wav-journal.js';

/** A recording brought back by recovery. */
export interface RecoveredRecording {
  id: string;
  path: string;
  durationMs: number;
  /** The job queued to transcribe it (null when nothing was recorded). */
  jobId: string | null;
}

/** Repairs one recording this process has claimed and queues its job (none for an empty one). */
async function recoverOne(parts: RecordingParts, recording: StoredRecording): Promise<RecoveredRecording> {
  const format = { sampleRate: recording.sampleRate, channels: recording.channels };
  const dataBytes = repairJournal(recording.path, format) ?? 0;
  const durationMs = journalMs(format, dataBytes);
  const job =
    dataBytes > 0
      ? {
          id: randomUUID(),
          file: recording.path,
          settings: recording.settings,
          contentHash: await contentHashOrNull(recording.path),
        }
      : null;
  parts.recordings.recover(recording.id, { durationMs, error: recording.error }, job);
  return { id: recording.id, path: recording.path, durationMs, jobId: job?.id ?? null };
}

/**
 * Recovers every recording in progress whose process is gone (or that its process gave up): the queued jobs belong
 * to nobody, so the desktop app transcribes them when it starts. A recording that cannot be recovered now (the disk
 * is still full) is told to `onFailure` and left for the next start.
 */
export async function recoverRecordings(
  parts: RecordingParts,
  onFailure: (recordingPath: string, error: { code: string; message: string }) => void,
  owner: JobOwner = currentOwner(),
): Promise<RecoveredRecording[]> {
  const recovered: RecoveredRecording[] = [];
  for (const { recording, owner: stored } of parts.recordings.inProgress()) {
    if (stored !== null && !isOwnerGone(stored)) continue;
    try {
      if (!parts.recordings.claim(recording.id, stored?.token ?? null, owner)) continue;
      recovered.push(await recoverOne(parts, recording));
    } catch (error) {
      onFailure(recording.path, toErrorInfo(error));
    }
  }
  return recovered;
}
