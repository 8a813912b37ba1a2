// The transcription job of a kept recording: queued with the recording's own settings and its content hash (so the
// same audio dropped later is recognised), and recorded on the recording's row.
import { TranscribeSettingsSchema } from '../../src-shared/schemas/settings.js';
import type { JobInfo } from '../../src-shared/types.js';
import { contentHashOrNull } from '../audio/content-hash.js';
import type { JobQueue } from '../jobs/queue.js';
import type { RecordingRepository, StoredRecording } from '../store/recordings-repo.js';
import { parseOrThrow } from '../util/validation.js';

/** Queues the job that transcribes a recording that has ended, and records it on the recording. */
export async function queueRecordingJob(
  queue: JobQueue,
  recordings: RecordingRepository,
  recording: StoredRecording,
): Promise<JobInfo> {
  const settings = parseOrThrow(TranscribeSettingsSchema, recording.settings);
  const job = queue.enqueue(recording.path, settings, await contentHashOrNull(recording.path));
  recordings.setJob(recording.id, job.id);
  return job;
}
