// Recording from the app: the contract's recording methods on the library's live recordings. A recording's job uses
// the saved settings; a two-channel recording (the microphone left, the system audio right) labels its speakers by
// channel, so "me" and "them" come out at once.
import type { ApiHandlers, AppSettings, RecordingSummary } from '../../src-shared/contract.js';
import type { JobInfo, TranscribeSettings } from '../../src-shared/types.js';
import { isOwnerGone, isThisProcess } from '../jobs/job-owner.js';
import { meetingTitle } from '../jobs/meeting-title.js';
import { finishInPlace } from '../recording/failed-write.js';
import { queueRecordingJob } from '../recording/recording-job.js';
import type { StoredRecording } from '../store/recordings-repo.js';
import { FunscribeError } from '../util/errors.js';
import { batchSettings } from './add-files.js';
import type { ApplicationParts } from './application-parts.js';

/** The recording methods of the contract. */
export type RecordingApiOperations = Pick<
  ApiHandlers,
  | 'startRecording'
  | 'appendRecording'
  | 'stopRecording'
  | 'listRecordings'
  | 'transcribeRecording'
  | 'getRecordingCaptions'
>;

/** The settings a recording's job carries: the saved ones, speakers by channel for two channels. */
function recordingSettings(settings: AppSettings, channels: 1 | 2): TranscribeSettings {
  const saved = batchSettings(settings);
  return channels === 2 ? { ...saved, speakers: 'channels' } : saved;
}

/** The stored recording with this id; NOT_FOUND/recording when there is none. */
function requireRecording(parts: ApplicationParts, id: string): StoredRecording {
  const recording = parts.recordings.get(id);
  if (recording) return recording;
  throw new FunscribeError('NOT_FOUND', `There is no recording ${id}.`, {
    params: { reason: 'recording', id },
  });
}

/** A waiting recording as the record screen lists it. */
function toSummary(recording: StoredRecording): RecordingSummary {
  return {
    id: recording.id,
    title: meetingTitle(recording.path, recording.startedAt),
    startedAt: recording.startedAt,
    durationMs: recording.durationMs ?? 0,
    channels: recording.channels,
    jobId: recording.jobId,
  };
}

/** Whether a recording whose row says it records is recording now: in this process, or in another one still alive. */
function stillRecording(parts: ApplicationParts, id: string): boolean {
  if (parts.liveRecordings.has(id)) return true;
  const owner = parts.recordings.inProgress().find(({ recording }) => recording.id === id)?.owner ?? null;
  return owner !== null && !isThisProcess(owner) && !isOwnerGone(owner);
}

/**
 * The job of a kept recording: its own job when it has one (tried again when it failed or was cancelled), else a new
 * one. Refused while it is still recording or when nothing was recorded. A recording a failed write stopped while the
 * library could not be written either (its row still says it records) is finished first, now that it may be.
 */
async function transcribeKept(parts: ApplicationParts, id: string): Promise<JobInfo> {
  let recording = requireRecording(parts, id);
  if (recording.status === 'recording') {
    if (stillRecording(parts, id)) {
      throw new FunscribeError('INVALID_ARGUMENT', 'This recording is still going on: stop it first.', {
        params: { reason: 'recordingInProgress' },
      });
    }
    finishInPlace(parts.recordings, recording, recording.error);
    recording = requireRecording(parts, id);
  }
  if (!recording.durationMs) {
    throw new FunscribeError('INVALID_ARGUMENT', 'Nothing was recorded, so there is nothing to transcribe.', {
      params: { reason: 'recordingEmpty' },
    });
  }
  const job = recording.jobId === null ? null : parts.jobs.get(recording.jobId);
  if (!job) return queueRecordingJob(parts.queue, parts.recordings, recording, true);
  return job.status === 'failed' || job.status === 'cancelled' ? parts.queue.retry(job.id) : job;
}

/** The recording operations on one library. */
export function recordingApiOperations(parts: ApplicationParts): RecordingApiOperations {
  const live = parts.liveRecordings;
  return {
    startRecording: async (options) =>
      live.start({ ...options, settings: recordingSettings(parts.settings.get(), options.channels) }),
    appendRecording: async (id, seq, pcm) => live.append(id, { seq, pcm }),
    stopRecording: (id) => live.stop(id),
    listRecordings: async () => parts.recordings.waitingForTranscription().map(toSummary),
    transcribeRecording: (id) => transcribeKept(parts, id),
    getRecordingCaptions: async (id) => parts.recordings.captions(requireRecording(parts, id).id),
  };
}
