// The transcription pipeline behind a job: decode once, transcribe over websocket, label speakers, save atomically.
import { rm } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { NewMeeting } from '../api/types.js';
import { transcribeOffline } from '../asr/offline-session.js';
import { decodeToPcm } from '../audio/decode.js';
import type { FfmpegTools } from '../audio/ffmpeg-locate.js';
import { probeMedia } from '../audio/probe.js';
import { labelSingleSpeaker } from '../speakers/single-speaker.js';
import { throwIfAborted } from '../util/errors.js';
import type { JobRunner } from './queue.js';

/** What the runner needs from the rest of the app. */
export interface TranscriptionRunnerDeps {
  /** Finds ffmpeg (called once per job; the services cache it). */
  ffmpeg: () => Promise<FfmpegTools>;
  /** Where decoded PCM files are kept. */
  audioDir: string;
  /** Stores the meeting and links it to the job in one transaction; returns the meeting id. */
  saveJobMeeting: (jobId: string, meeting: NewMeeting) => number;
}

/** The share of the transcribe stage spent uploading; the rest is waiting for the recogniser. */
const UPLOAD_SHARE = 0.3;

/** Builds the job runner for file transcription. */
export function createTranscriptionRunner(deps: TranscriptionRunnerDeps): JobRunner {
  return async (job, { signal, report }) => {
    const file = resolve(job.file);
    const outBase = join(deps.audioDir, job.id);
    report('decode', 0);
    const tools = await deps.ffmpeg();
    const probe = await probeMedia(tools, file, signal);
    const decoded = await decodeToPcm(tools, file, outBase, {
      signal,
      probe,
      onProgress: (fraction) => report('decode', fraction),
    });
    try {
      report('transcribe', 0);
      const transcript = await transcribeOffline({
        url: job.settings.serverUrl,
        pcmPath: decoded.pcmPath,
        wavName: basename(file),
        hotwords: job.settings.hotwords,
        itn: job.settings.itn,
        allowSelfSignedTls: job.settings.allowSelfSignedTls,
        signal,
        onProgress: ({ phase, fraction }) =>
          report(
            'transcribe',
            phase === 'upload' ? fraction * UPLOAD_SHARE : UPLOAD_SHARE + fraction * (1 - UPLOAD_SHARE),
          ),
      });
      report('speakers', 0);
      const labelled = labelSingleSpeaker(transcript.sentences);
      throwIfAborted(signal);
      report('save', 0);
      const meetingId = deps.saveJobMeeting(job.id, {
        title: basename(file, extname(file)),
        source: file,
        durationMs: decoded.durationMs,
        audioPath: decoded.pcmPath,
        ...labelled,
      });
      return { meetingId };
    } catch (error) {
      await Promise.all(
        [decoded.pcmPath, decoded.stereoPcmPath].map((path) => path && rm(path, { force: true })),
      );
      throw error;
    }
  };
}
