// What a meeting plays and how the page gets it: the compact audio copy, else the file it was transcribed from if it
// is still there, else nothing (and why). The page receives an opaque media URL, never a path; the media protocol
// (Electron) and the test bridge's HTTP route answer that URL with the file through the same range responses.
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ApiHandlers } from '../../src-shared/contract.js';
import type { MeetingAudio, MissingAudioReason, WaveformPeaks } from '../../src-shared/types.js';
import { AUDIO_COPY_EXTENSION } from '../audio/audio-copy.js';
import { audioDirOf } from '../audio/audio-files.js';
import { emptyResponse, fileResponse, type MediaResponse } from '../audio/media-response.js';
import {
  peaksDirOf,
  readCachedPeaks,
  readCachedProbe,
  sameAudioFile,
  writeCachedPeaks,
  writeCachedProbe,
  type AudioFileKey,
  type CachedPeaks,
  type CachedProbe,
} from '../audio/peaks-cache.js';
import { probeMedia } from '../audio/probe.js';
import { computeWaveformPeaks, type ComputedPeaks } from '../audio/waveform-peaks.js';
import type { StoredMeetingSummary } from '../store/stored-meeting.js';
import { FunscribeError } from '../util/errors.js';
import type { ApplicationParts } from './application-parts.js';
import { requireMeetingSummary } from './meeting-lookup.js';
import type { MediaUrlOf } from './media-urls.js';

/** The audio file a meeting plays, or why there is none. */
export type PlayableAudio =
  | { state: 'copy' | 'source'; path: string; key: AudioFileKey }
  | { state: 'missing'; reason: MissingAudioReason };

/** The meeting's audio operations: the contract's two and the answer to a media URL. */
export interface MediaOperations extends Pick<ApiHandlers, 'getMeetingAudio' | 'getWaveformPeaks'> {
  /**
   * Answers a GET or HEAD of a meeting's media URL with its audio (Range requests give 206, or 416 beyond the end);
   * 404 when `meetingId` is null, names no meeting, or the meeting has nothing to play.
   */
  meetingMediaResponse(
    meetingId: number | null,
    range: string | null,
    method: string,
  ): Promise<MediaResponse>;
}

/** The size and modification time of a non-empty regular file, or null when there is none at `path`. */
async function fileKey(path: string): Promise<AudioFileKey | null> {
  try {
    const info = await stat(path);
    return info.isFile() && info.size > 0 ? { size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

/**
 * The audio a meeting plays. Its copy is looked for in this library's audio folder (the data folder may have moved
 * since it was written); a legacy raw PCM file is no copy a player can read.
 */
export async function playableAudio(meeting: StoredMeetingSummary, dataDir: string): Promise<PlayableAudio> {
  const { audioPath, source } = meeting;
  const hasCopy = audioPath !== null && audioPath.endsWith(AUDIO_COPY_EXTENSION);
  const copy = hasCopy ? join(audioDirOf(dataDir), basename(audioPath)) : null;
  const copyKey = copy === null ? null : await fileKey(copy);
  if (copy !== null && copyKey) return { state: 'copy', path: copy, key: copyKey };
  const sourceKey = await fileKey(source);
  if (sourceKey) return { state: 'source', path: source, key: sourceKey };
  return { state: 'missing', reason: hasCopy ? 'copy-gone' : 'no-copy' };
}

/** Peaks as the contract carries them (the Int8 pairs as base64). */
function toWaveformPeaks(peaks: ComputedPeaks): WaveformPeaks {
  const { bucketsPerSecond, durationMs, minMax } = peaks;
  const bytes = Buffer.from(minMax.buffer, minMax.byteOffset, minMax.byteLength);
  return { bucketsPerSecond, durationMs, minMax: bytes.toString('base64') };
}

/** The media operations on one library; `mediaUrl` is how the front end addresses a meeting's audio. */
export function mediaOperations(parts: ApplicationParts, mediaUrl: MediaUrlOf): MediaOperations {
  const { meetings, dataDir } = parts;
  const peaksDir = peaksDirOf(dataDir);
  /** Peak computations in progress, by meeting, so that two calls decode a file once. */
  const computing = new Map<number, Promise<CachedPeaks>>();

  const computePeaks = (
    meetingId: number,
    audio: { path: string; key: AudioFileKey },
  ): Promise<CachedPeaks> => {
    const running = computing.get(meetingId);
    if (running) return running;
    const next = (async () => {
      const cached = { key: audio.key, peaks: await computeWaveformPeaks(await parts.ffmpeg(), audio.path) };
      await writeCachedPeaks(peaksDir, meetingId, cached);
      return cached;
    })().finally(() => computing.delete(meetingId));
    computing.set(meetingId, next);
    return next;
  };

  /**
   * The duration and channels of the audio a meeting plays: cached beside its peaks, probed again only when the file
   * changed; null when ffmpeg cannot read it (not cached, so a passing failure is retried at the next open).
   */
  const probeOf = async (
    meetingId: number,
    audio: { path: string; key: AudioFileKey },
  ): Promise<CachedProbe | null> => {
    const cached = await readCachedProbe(peaksDir, meetingId);
    if (cached && sameAudioFile(cached.key, audio.key)) return cached;
    const probe = await parts
      .ffmpeg()
      .then((tools) => probeMedia(tools, audio.path))
      .catch(() => null);
    if (!probe) return null;
    const probed = { key: audio.key, durationMs: probe.durationMs, channels: probe.channels };
    await writeCachedProbe(peaksDir, meetingId, probed).catch(() => undefined);
    return probed;
  };

  return {
    getMeetingAudio: async (id) => {
      const meeting = requireMeetingSummary(meetings, id);
      const audio = await playableAudio(meeting, dataDir);
      if (audio.state === 'missing') {
        const { durationMs } = meeting;
        return { state: 'missing', url: null, durationMs, channels: null, missingReason: audio.reason };
      }
      const probe = await probeOf(meeting.id, audio);
      return {
        state: audio.state,
        url: mediaUrl(meeting.id),
        durationMs: probe && probe.durationMs > 0 ? probe.durationMs : meeting.durationMs,
        channels: probe?.channels ?? null,
        missingReason: null,
      } satisfies MeetingAudio;
    },
    getWaveformPeaks: async (id) => {
      const meeting = requireMeetingSummary(meetings, id);
      const [audio, cached] = await Promise.all([
        playableAudio(meeting, dataDir),
        readCachedPeaks(peaksDir, id),
      ]);
      if (audio.state === 'missing') {
        if (cached) return toWaveformPeaks(cached.peaks);
        throw new FunscribeError(
          'AUDIO_MISSING',
          `The audio of "${meeting.title}" is gone: it has no audio copy and "${basename(meeting.source)}" is no longer where it was.`,
          { params: { reason: 'gone', title: meeting.title, file: basename(meeting.source) } },
        );
      }
      if (cached && sameAudioFile(cached.key, audio.key)) return toWaveformPeaks(cached.peaks);
      return toWaveformPeaks((await computePeaks(meeting.id, audio)).peaks);
    },
    meetingMediaResponse: async (meetingId, range, method) => {
      const meeting = meetingId === null ? null : meetings.summary(meetingId);
      if (!meeting) return emptyResponse(404);
      const audio = await playableAudio(meeting, dataDir);
      if (audio.state === 'missing') return emptyResponse(404);
      return fileResponse(audio.path, range, method);
    },
  };
}
