// The recordings the app is making now, by id: the renderer's chunks go to their journals (and, mixed to mono, to
// their live captions), a stop keeps the recording and queues its transcription unless it is to be transcribed later,
// and the library's close stops every one of them the same way.
import { EventEmitter } from 'node:events';
import type {
  ApiEventMap,
  CaptionState,
  FinishedRecording,
  RecordingInfo,
} from '../../src-shared/contract.js';
import type { ErrorInfo, TranscribeSettings } from '../../src-shared/types.js';
import { pcmSamples } from '../audio/pcm.js';
import type { JobQueue } from '../jobs/queue.js';
import { FunscribeError } from '../util/errors.js';
import { finishAfterFailedWrite } from './failed-write.js';
import { MonitorMixedRecording } from './monitor-mix.js';
import { queueRecordingJob } from './recording-job.js';
import { RecordingSession, type RecordingChunk, type RecordingParts } from './recording-session.js';

/** The events of live recordings, as the contract names them. */
export type RecordingEventMap = Pick<
  ApiEventMap,
  'recording:caption' | 'recording:captions-state' | 'recording:system-audio' | 'recording:system-audio-level'
>;

/** The name of an event of live recordings. */
export type RecordingEventName = keyof RecordingEventMap;

/** Told every event of the live recordings. */
export type RecordingEventListener = <E extends RecordingEventName>(
  event: E,
  payload: ApiEventMap[E],
) => void;

/** The live captions of one recording: fed the mono mix as it is recorded, ended when the recording stops. */
export interface CaptionFeed {
  /** Takes 16 kHz mono s16le samples; never blocks and never throws (the journal comes first). */
  push(mono: Int16Array): void;
  /** Ends the captions (the last sentence is awaited for a bounded time); never rejects. */
  end(): Promise<void>;
}

/** Starts the live captions of a recording (with its job's hotwords and ITN), telling `emit` their replies and states. */
export type CaptionStarter = (
  recordingId: string,
  settings: TranscribeSettings,
  emit: RecordingEventListener,
) => CaptionFeed;

/** What live recordings need: the library's parts, the job queue and (for captions) a way to start them. */
export interface LiveRecordingParts extends RecordingParts {
  queue: JobQueue;
  /** Starts live captions; absent: captions are 'unavailable'. */
  startCaptions?: CaptionStarter;
  /**
   * The ffmpeg that records the system audio of two-channel recordings from the PulseAudio/PipeWire monitor; absent:
   * the page sends both channels.
   */
  monitorFfmpeg?: () => Promise<string>;
}

/** A recording to start. */
export interface LiveRecordingOptions {
  channels: 1 | 2;
  /** Live captions while recording. */
  captions: boolean;
  /** Queue its transcription when it stops (false: record only, transcribe later). */
  transcribe: boolean;
  /** The settings its transcription job uses. */
  settings: TranscribeSettings;
  /** Its title in the interface language (the journal's and the meeting's name); absent: English. */
  title?: string;
}

interface LiveRecording {
  session: RecordingSession;
  transcribe: boolean;
  captions: CaptionFeed | null;
  /** Set when main records the system audio (the page sends the microphone alone). */
  monitor: MonitorMixedRecording | null;
  stopping: Promise<FinishedRecording> | null;
}

/** The error for a recording this process is not making. */
function notLive(id: string): FunscribeError {
  return new FunscribeError('NOT_FOUND', `There is no recording ${id} in progress.`, {
    params: { reason: 'recording', id },
  });
}

/** Averages interleaved stereo s16le to mono (the engine hears one channel); mono is read as it is, without a copy. */
export function monoMix(pcm: Uint8Array, channels: 1 | 2): Int16Array {
  const samples = pcmSamples(pcm);
  if (channels === 1) return samples;
  const mono = new Int16Array(samples.length / 2);
  for (let i = 0; i < mono.length; i++) mono[i] = (samples[2 * i]! + samples[2 * i + 1]!) >> 1;
  return mono;
}

/** The recordings in progress in this process. */
export class LiveRecordings {
  private readonly live = new Map<string, LiveRecording>();
  private readonly events = new EventEmitter();

  constructor(private readonly parts: LiveRecordingParts) {}

  /** Calls `listener` with every event of the recordings (captions, system audio); returns the unsubscribe function. */
  onEvent(listener: RecordingEventListener): () => void {
    const forward = ({ event, payload }: { event: RecordingEventName; payload: never }): void =>
      listener(event, payload);
    this.events.on('event', forward);
    return () => this.events.off('event', forward);
  }

  /** Whether recording `id` is in progress in this process. */
  has(id: string): boolean {
    return this.live.has(id);
  }

  /** Whether main records the system audio of two-channel recordings (the page then sends one channel). */
  get systemAudioInMain(): boolean {
    return this.parts.monitorFfmpeg !== undefined;
  }

  /**
   * Starts a recording: its row and journal are on the disk when this resolves. With the system audio recorded here,
   * a monitor that cannot be recorded fails the start (RECORDING_INPUT_FAILED) before any row exists.
   */
  async start(options: LiveRecordingOptions): Promise<RecordingInfo> {
    const open = (): RecordingSession =>
      RecordingSession.start(this.parts, {
        channels: options.channels,
        settings: options.settings,
        title: options.title,
        // Listed as waiting until its job is queued: a stop that queues it takes it off the list in the same write,
        // so a process that ends in between leaves the recording offered for transcription, not forgotten.
        transcribeLater: true,
      });
    const emit: RecordingEventListener = (event, payload) => this.events.emit('event', { event, payload });
    const monitorFfmpeg = options.channels === 2 ? this.parts.monitorFfmpeg : undefined;
    const monitor = monitorFfmpeg
      ? await MonitorMixedRecording.start(await monitorFfmpeg(), open, emit)
      : null;
    const session = monitor?.session ?? open();
    const startCaptions = options.captions ? this.parts.startCaptions : undefined;
    const captions = startCaptions ? startCaptions(session.id, options.settings, emit) : null;
    const state: CaptionState = !options.captions ? 'off' : captions ? 'connecting' : 'unavailable';
    this.live.set(session.id, { session, transcribe: options.transcribe, captions, monitor, stopping: null });
    return { id: session.id, startedAt: session.startedAt, channels: options.channels, captions: state };
  }

  /**
   * Appends one chunk to the journal first (with the system audio recorded here, a chunk of the microphone alone,
   * interleaved with the monitor), then feeds its mono mix to the captions.
   */
  append(id: string, chunk: RecordingChunk): void {
    const recording = this.live.get(id);
    if (!recording) throw notLive(id);
    if (recording.monitor) {
      this.caption(recording, recording.monitor.append(chunk));
      return;
    }
    const before = recording.session.chunksAppended;
    recording.session.append(chunk);
    if (recording.captions && recording.session.chunksAppended > before) {
      recording.captions.push(monoMix(chunk.pcm, recording.session.channels));
    }
  }

  /** Stops a recording, keeps it and queues its transcription (unless record only or nothing was recorded). */
  stop(id: string): Promise<FinishedRecording> {
    const recording = this.live.get(id);
    if (!recording) return Promise.reject(notLive(id));
    recording.stopping ??= this.finish(recording).finally(() => this.live.delete(id));
    return recording.stopping;
  }

  /** Stops every recording in progress (the library closes): each is kept, and queued as a stop queues it. */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.live.keys()].map((id) => this.stop(id)));
  }

  private caption(recording: LiveRecording, frames: Uint8Array): void {
    if (recording.captions && frames.byteLength > 0) recording.captions.push(monoMix(frames, 2));
  }

  private async finish(recording: LiveRecording): Promise<FinishedRecording> {
    // ffmpeg stops first; a failed last write is the session's error, told below.
    await recording.monitor?.stop().then(
      (frames) => this.caption(recording, frames),
      () => undefined,
    );
    const stopped = finishAfterFailedWrite(this.parts.recordings, recording.session.stop());
    await recording.captions?.end();
    const failed: ErrorInfo | null = stopped.error;
    const stored = this.parts.recordings.get(stopped.id);
    // After a failed write it waits in the list (or for recovery), to be transcribed once the disk has room again.
    const queue = recording.transcribe && !failed && stopped.durationMs > 0 && stored?.status === 'finished';
    const job =
      queue && stored
        ? await queueRecordingJob(this.parts.queue, this.parts.recordings, stored, false)
        : null;
    return { id: stopped.id, durationMs: stopped.durationMs, jobId: job?.id ?? null, error: failed };
  }
}
