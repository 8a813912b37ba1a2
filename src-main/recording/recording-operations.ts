// The headless recording operation of the application service: a whole recording from PulseAudio through ffmpeg
// (`funscribe record`). The renderer's recordings are live recordings (live-recordings.ts).
import type { TranscribeSettings } from '../../src-shared/types.js';
import type { FfmpegTools } from '../audio/ffmpeg-locate.js';
import { FunscribeError, toErrorInfo } from '../util/errors.js';
import { monoMix, type CaptionStarter, type RecordingEventListener } from './live-recordings.js';
import { MonitorMixedRecording, type SystemAudioListener } from './monitor-mix.js';
import { DEFAULT_SOURCE, startPulseCapture, type CaptureEnd } from './pulse-capture.js';
import {
  RecordingSession,
  type RecordingChunk,
  type RecordingParts,
  type StoppedRecording,
} from './recording-session.js';

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
  /** With `systemAudio`: told when the system audio is lost (the recording goes on, silent on the right) and back. */
  onSystemAudioEvent?: SystemAudioListener;
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
      const open = (): RecordingSession =>
        RecordingSession.start(parts, {
          channels: options.systemAudio ? 2 : 1,
          settings: options.settings,
          afterFailedWrite: 'recovered',
        });
      // The system audio as the app records it: a monitor that dies leaves silence on the right while it is tried again.
      const monitor = options.systemAudio
        ? await MonitorMixedRecording.start(ffmpeg, open, options.onSystemAudioEvent ?? (() => undefined))
        : null;
      const session = monitor?.session ?? open();
      const { onCaptionEvent } = options;
      const captions =
        onCaptionEvent && parts.startCaptions
          ? parts.startCaptions(session.id, options.settings, onCaptionEvent)
          : null;
      const caption = (frames: Uint8Array): void => {
        if (frames.byteLength > 0) captions?.push(monoMix(frames, session.channels));
      };
      /** Writes a chunk of the microphone (with the monitor beside it) and returns the frames written. */
      const write = (chunk: RecordingChunk): Uint8Array => {
        if (monitor) return monitor.append(chunk);
        session.append(chunk);
        return chunk.pcm;
      };
      const capture = startPulseCapture(
        { ffmpeg, device: options.device, durationS: options.durationS },
        (chunk) => {
          caption(write(chunk));
          if (chunk.seq === 0) options.onStarted?.(session);
        },
      );
      const stop = (): void => capture.stop();
      options.signal.addEventListener('abort', stop);
      if (options.signal.aborted) stop();
      const end = await capture.ended.finally(() => options.signal.removeEventListener('abort', stop));
      // The monitor stops with the microphone; the microphone's last samples are written beside what it has.
      caption((await monitor?.stop().catch(() => null)) ?? new Uint8Array(0));
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
