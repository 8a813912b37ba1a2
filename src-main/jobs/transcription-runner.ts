// The transcription pipeline behind a job: decode once, transcribe over websocket, label speakers, save atomically.
import { basename, join, resolve } from 'node:path';
import type { DecodedAudio, ErrorInfo } from '../../src-shared/types.js';
import type { NewMeeting } from '../store/new-meeting.js';
import type { OfflineTranscript } from '../asr/offline-session.js';
import { transcribeWithSentenceTimes } from '../asr/utterance-transcriber.js';
import { AUDIO_COPY_EXTENSION, startAudioCopy, type AudioCopyTask } from '../audio/audio-copy.js';
import { removeQuietly } from '../audio/audio-files.js';
import { decodeToPcm } from '../audio/decode.js';
import type { FfmpegTools } from '../audio/ffmpeg-locate.js';
import { probeMedia } from '../audio/probe.js';
import { meetingSpeakers } from '../speakers/labelling/meeting-speakers.js';
import { labelSpeakers, type ModelWindowEmbedder } from '../speakers/labelling/speaker-stage.js';
import { FunscribeError, throwIfAborted, toErrorInfo } from '../util/errors.js';
import { isConnectionFailure } from '../engine/pool/engine-failures.js';
import type { EnginePool } from '../engine/pool/engine-pool.js';
import { meetingTitle } from './meeting-title.js';
import type { JobContext, JobRunner, JobSpec } from './queue.js';

/** What the runner needs from the rest of the app. */
export interface TranscriptionRunnerDeps {
  /** Finds ffmpeg (called once per job; the services cache it). */
  ffmpeg: () => Promise<FfmpegTools>;
  /** Where the decoded PCM files of running jobs and the meetings' audio copies are written. */
  audioDir: string;
  /** Whether a compact copy of each meeting's audio is kept for playback (asked per job); default yes. */
  keepAudioCopies?: () => boolean;
  /** Told when a meeting is saved without its audio copy because the copy failed (for logs and tests). */
  onAudioCopyFailed?: (failure: { jobId: string; error: ErrorInfo }) => void;
  /** Stores the meeting and links it to the job in one transaction; returns the meeting id. */
  saveJobMeeting: (jobId: string, meeting: NewMeeting) => number;
  /** The engines for jobs that name no server; without it such jobs fail with INVALID_ARGUMENT. */
  pool?: EnginePool;
  /** The managed engine's pool, for jobs that ask for it whatever the settings say (the same as `pool` in managed mode). */
  managedPool?: () => EnginePool;
  /** Speaker-model embeddings for the speaker stage; without it voices are told apart by MFCC statistics. */
  embedWithModel?: ModelWindowEmbedder;
  /** Told each time a transcription is tried again after a connection-level failure (for logs and tests). */
  onRetry?: (retry: TranscribeRetry) => void;
}

/** A transcription about to be tried again: the attempt number it starts, and why the previous one failed. */
export interface TranscribeRetry {
  jobId: string;
  attempt: number;
  /** The engine the previous attempt failed on. */
  engineId: string;
  error: ErrorInfo;
}

/**
 * How many times a pooled job's transcription is tried when the connection fails (lost, refused, timed out). Each
 * wait for an engine is bounded by the pool's `unavailableTimeoutMs`, so the total wait is at most this many times it.
 */
export const MAX_TRANSCRIBE_ATTEMPTS = 4;

/** Transcribes the decoded PCM once on the server at `url`, reporting the transcribe stage's progress. */
function transcribeAt(
  url: string,
  allowSelfSignedTls: boolean,
  job: JobSpec,
  pcmPath: string,
  { signal, report }: JobContext,
): Promise<OfflineTranscript> {
  return transcribeWithSentenceTimes({
    url,
    pcmPath,
    wavName: basename(job.file),
    hotwords: job.settings.hotwords,
    itn: job.settings.itn,
    allowSelfSignedTls,
    signal,
    onProgress: (fraction) => report('transcribe', fraction),
  });
}

/**
 * The transcribe stage: on the job's own server when it names one (one try, as asked), else on pooled engines, trying
 * the same PCM again from the start on the next healthy engine (or the same one once it is back) after a
 * connection-level failure, up to MAX_TRANSCRIBE_ATTEMPTS times.
 */
async function transcribeStage(
  deps: TranscriptionRunnerDeps,
  job: JobSpec,
  pcmPath: string,
  context: JobContext,
): Promise<OfflineTranscript> {
  const { serverUrl, managedEngine } = job.settings;
  if (serverUrl) return transcribeAt(serverUrl, job.settings.allowSelfSignedTls, job, pcmPath, context);
  const pool = managedEngine ? deps.managedPool?.() : deps.pool;
  if (!pool) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      managedEngine
        ? 'This job asks for the managed engine (FunASR in Docker), which is not set up here.'
        : 'No FunASR server is set for this job and no engine is set up.',
    );
  }
  for (let attempt = 1; ; attempt++) {
    context.report('transcribe', 0);
    const lease = await pool.acquire(context.signal);
    try {
      const transcript = await transcribeAt(lease.url, lease.allowSelfSignedTls, job, pcmPath, context);
      lease.release();
      return transcript;
    } catch (error) {
      lease.reportFailure(error);
      if (!isConnectionFailure(error) || attempt >= MAX_TRANSCRIBE_ATTEMPTS) throw error;
      throwIfAborted(context.signal);
      deps.onRetry?.({
        jobId: job.id,
        attempt: attempt + 1,
        engineId: lease.engineId,
        error: toErrorInfo(error),
      });
    }
  }
}

/** Starts the playback copy of the decoded audio (stereo when decoded so) at `path`, or null when none is kept. */
function startCopy(
  deps: TranscriptionRunnerDeps,
  tools: FfmpegTools,
  decoded: DecodedAudio,
  path: string,
  signal: AbortSignal,
): AudioCopyTask | null {
  if (deps.keepAudioCopies && !deps.keepAudioCopies()) return null;
  const source = decoded.stereoPcmPath
    ? { pcmPath: decoded.stereoPcmPath, channels: 2 as const }
    : { pcmPath: decoded.pcmPath, channels: 1 as const };
  return startAudioCopy(tools, source, path, signal);
}

/**
 * The save stage's first step: waits for the playback copy (reporting its progress) and returns its path, or null when
 * none is kept or it failed (the meeting is saved without it; a cancel still cancels the job).
 */
async function finishedCopy(
  deps: TranscriptionRunnerDeps,
  jobId: string,
  copy: AudioCopyTask | null,
  path: string,
  { signal, report }: JobContext,
): Promise<string | null> {
  if (!copy) return null;
  try {
    await copy.finish((fraction) => report('save', fraction));
    return path;
  } catch (error) {
    throwIfAborted(signal);
    deps.onAudioCopyFailed?.({ jobId, error: toErrorInfo(error) });
    return null;
  }
}

/**
 * The outcome of a file in which the server heard nothing: an error (not a meeting without sentences), so the library
 * holds only meetings with words, the job list says why the file gave none, and the pool does not try it again.
 */
function noSpeech(file: string): FunscribeError {
  return new FunscribeError(
    'NO_SPEECH',
    `No speech was found in ${basename(file)}; nothing was added to the library.`,
    { params: { reason: 'noSpeech', file: basename(file) } },
  );
}

/**
 * Builds the job runner for file transcription. The audio copy is written while the file is transcribed. Whatever the
 * outcome, the decoded PCM files are removed when the job ends and the audio copy stays only with a saved meeting; a
 * file that cannot be removed is left for the start-up sweep.
 */
export function createTranscriptionRunner(deps: TranscriptionRunnerDeps): JobRunner {
  return async (job, context) => {
    const { signal, report } = context;
    const file = resolve(job.file);
    const outBase = join(deps.audioDir, job.id);
    const copyPath = `${outBase}${AUDIO_COPY_EXTENSION}`;
    let decoded: DecodedAudio | null = null;
    let copy: AudioCopyTask | null = null;
    let saved = false;
    try {
      report('decode', 0);
      const tools = await deps.ffmpeg();
      const probe = await probeMedia(tools, file, signal);
      decoded = await decodeToPcm(tools, file, outBase, {
        signal,
        probe,
        onProgress: (fraction) => report('decode', fraction),
      });
      copy = startCopy(deps, tools, decoded, copyPath, signal);
      report('transcribe', 0);
      const transcript = await transcribeStage(deps, { ...job, file }, decoded.pcmPath, context);
      if (transcript.sentences.length === 0) throw noSpeech(file);
      report('speakers', 0);
      const speakers = await labelSpeakers({
        pcmPath: decoded.pcmPath,
        stereoPcmPath: decoded.stereoPcmPath,
        sentences: transcript.sentences,
        setting: job.settings.speakers,
        embedWithModel: deps.embedWithModel,
        signal,
        onProgress: (fraction) => report('speakers', fraction),
      });
      const labelled = meetingSpeakers(transcript.sentences, speakers.labels);
      throwIfAborted(signal);
      report('save', 0);
      const audioPath = await finishedCopy(deps, job.id, copy, copyPath, context);
      throwIfAborted(signal);
      const createdAt = Date.now();
      const meetingId = deps.saveJobMeeting(job.id, {
        title: meetingTitle(file, createdAt),
        createdAt,
        source: file,
        durationMs: decoded.durationMs,
        audioPath,
        ...labelled,
        speakerAnalysis: speakers.analysis,
      });
      saved = true;
      return { meetingId };
    } finally {
      await copy?.stop();
      await removeQuietly([decoded?.pcmPath, decoded?.stereoPcmPath, saved ? null : copyPath]);
    }
  };
}
