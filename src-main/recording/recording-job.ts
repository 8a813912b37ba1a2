// The transcription job of a kept recording: queued with the recording's own settings and its content hash (so the
// same audio dropped later is recognised), and recorded on the recording's row.
import { TranscribeSettingsSchema } from '../../src-shared/schemas/settings.js';
import type { JobInfo } from '../../src-shared/types.js';
import { contentHashOrNull } from '../audio/content-hash.js';
import type { JobQueue } from '../jobs/queue.js';
import type { RecordingRepository, StoredRecording } from '../store/recordings-repo.js';
import { parseOrThrow } from '../util/validation.js';

/**
 * Queues the job that transcribes a recording that has ended, and records it on the recording in the same write.
 * `stillWaiting` keeps the recording in the waiting list until the job is done (see RecordingRepository.queueJob).
 */
export async function queueRecordingJob(
  queue: JobQueue,
  recordings: RecordingRepository,
  recording: StoredRecording,
  stillWaiting: boolean,
): Promise<JobInfo> {
  const settings = parseOrThrow(TranscribeSettingsSchema, recording.settings);
  const hash = await contentHashOrNull(recording.path);
  return recordings.queueJob(recording.id, () => queue.enqueue(recording.path, settings, hash), stillWaiting);
}
