// The headless recording operation of the application service: a whole recording from PulseAudio through ffmpeg
// (`funscribe record`). The renderer's recordings are live recordings (live-recordings.ts).
import type { TranscribeSettings } from '../../src-shared/types.js';
import type { FfmpegTools } from '../audio/ffmpeg-locate.js';
import { FunscribeError, toErrorInfo } from '../util/errors.js';
import { monoMix, type CaptionStarter, type RecordingEventListener } from './live-recordings.js';
import { DEFAULT_SOURCE, startPulseCapture, type CaptureEnd } from './pulse-capture.js';
import { RecordingSession, type RecordingParts, type StoppedRecording } from './recording-session.js';

/** A headless recording from PulseAudio. */
export interface PulseRecordingOptions {
  /** The PulseAudio source of the microphone (default: the default source). */
  device?: string;
  /** Record what the computer plays as the right channel (the microphone left). */
  systemAudio: boolean;
  /** Stop after this many seconds (default: when `signal` fires). */
  durationS?: number;
  /** The settings its transcription job is to use. */
  settings: TranscribeSettings;
  /** Stops the recording cleanly (Ctrl-C). */
  signal: AbortSignal;
  /** Told when the first audio is in the journal. */
  onStarted?: (session: RecordingSession) => void;
  /** Live captions while recording (to the job's server when it is a 2pass server), told to this listener. */
  onCaptionEvent?: RecordingEventListener;
}

/** What the recording operations need: the library's parts, ffmpeg and (for live captions) the caption starter. */
export interface RecordingOperationParts extends RecordingParts {
  ffmpeg(): Promise<FfmpegTools>;
  startCaptions?: CaptionStarter;
}

/** The recording operations. */
export interface RecordingOperations {
  /**
   * Records from PulseAudio until `durationS` or `signal`, and returns the kept recording. When the input ends by
   * itself, what was captured is returned with the error; nothing captured, or a full disk, throws.
   */
  recordFromPulse(options: PulseRecordingOptions): Promise<StoppedRecording>;
}

/** Why a capture that nobody stopped ended: RECORDING_INPUT_FAILED naming the device and what to do. */
function inputEndedError(source: string, end: CaptureEnd, durationMs: number): FunscribeError {
  const why = end.message ?? `ffmpeg stopped with exit code ${end.exitCode ?? 'none'}`;
  if (durationMs === 0) {
    return new FunscribeError(
      'RECORDING_INPUT_FAILED',
      `Could not record from the PulseAudio source "${source}": ${why}. List the sources with \`pactl list short sources\` and name one with --device.`,
    );
  }
  const seconds = (durationMs / 1000).toFixed(1);
  return new FunscribeError(
    'RECORDING_INPUT_FAILED',
    `The audio input "${source}" ended after ${seconds} s (${why}), so the recording stopped. The ${seconds} s recorded are kept and transcribed; check that the device is still connected before recording again.`,
  );
}

/** The recording operations on one opened library. */
export function recordingOperations(parts: RecordingOperationParts): RecordingOperations {
  return {
    async recordFromPulse(options) {
      if (process.platform !== 'linux') {
        throw new FunscribeError(
          'RECORDING_UNSUPPORTED',
          'Recording from the command line uses PulseAudio (or PipeWire), which Linux has; on this system record in the FunScribe app.',
        );
      }
      const { ffmpeg } = await parts.ffmpeg();
      const session = RecordingSession.start(parts, {
        channels: options.systemAudio ? 2 : 1,
        settings: options.settings,
        afterFailedWrite: 'recovered',
      });
      const { onCaptionEvent } = options;
      const captions =
        onCaptionEvent && parts.startCaptions
          ? parts.startCaptions(session.id, options.settings, onCaptionEvent)
          : null;
      const capture = startPulseCapture(
        { ffmpeg, device: options.device, systemAudio: options.systemAudio, durationS: options.durationS },
        (chunk) => {
          session.append(chunk);
          captions?.push(monoMix(chunk.pcm, session.channels));
          if (chunk.seq === 0) options.onStarted?.(session);
        },
      );
      const stop = (): void => capture.stop();
      options.signal.addEventListener('abort', stop);
      if (options.signal.aborted) stop();
      const end = await capture.ended.finally(() => options.signal.removeEventListener('abort', stop));
      await captions?.end();
      if (session.error) {
        session.stop();
        throw session.error;
      }
      const ended =
        end.requested || options.signal.aborted
          ? null
          : inputEndedError(options.device ?? DEFAULT_SOURCE, end, session.durationMs);
      const stopped = session.stop(ended && toErrorInfo(ended));
      if (ended && stopped.durationMs === 0) throw ended;
      return stopped;
    },
  };
}
