// The recording in progress as the record screen shows and drives it: the inputs, the capture worklet, the ordered
// delivery of its chunks to main (api.appendRecording), pause/resume, the level meter and elapsed audio, the inputs
// to choose from, why capture stopped or cannot start, the live captions main reports for it, and the system audio
// main records itself on Linux (its level, and whether it was lost or is back).
import { get, writable, type Readable } from 'svelte/store';
import { _ } from 'svelte-i18n';
import type {
  ApiEventMap,
  CaptionSentence,
  CaptionState,
  FinishedRecording,
  RecordingInfo,
  SystemAudioState,
} from '../../../src-shared/contract.js';
import type { RecordMicrophone } from '../../../src-shared/schemas/settings.js';
import type { ErrorInfo } from '../../../src-shared/types.js';
import { api, ApiError, onEvent } from '../api.js';
import { startCapture, type Capture, type Inputs } from '../recording/capture.js';
import { audioInputs, openChosenInputs } from '../recording/chosen-microphone.js';
import { recordingTitle } from '../recording/recording-title.js';
import { ChunkSender } from '../recording/chunk-sender.js';
import { MeterHold } from '../recording/meter-hold.js';
import { CAPTURE_RATE } from '../recording/pcm-chunks.js';

/** What the record screen asks for: the microphone and its processing (all off = raw audio), system audio, captions. */
export interface RecorderOptions {
  /** The microphone chosen (the default input when it is not there), or null for the default input. */
  microphone: RecordMicrophone | null;
  systemAudio: boolean;
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
  captions: boolean;
  /** Transcribe when stopped (false: record only, transcribe later). */
  transcribe: boolean;
}

/** Why capture stopped or could not start, for the screen to word: the device went away, access was refused, or
 * there is no input at all. */
export type RecorderNotice = 'device-lost' | 'permission-denied' | 'no-device';

/** The live captions of the recording in progress. */
export interface RecorderCaptions {
  state: CaptionState;
  /** The closed sentences, in order. */
  sentences: CaptionSentence[];
  /** The sentence being spoken (grey), '' when none. */
  provisional: string;
  error: ErrorInfo | null;
}

/** The system audio main records (Linux): lost mid-recording (with why, in English) or back again. */
export interface RecorderSystemAudio {
  state: SystemAudioState;
  reason: string | null;
}

/** The recorder as the screen shows it. */
export interface RecorderState {
  phase: 'idle' | 'starting' | 'recording' | 'paused' | 'stopping';
  recordingId: string | null;
  /** Audio recorded, in whole seconds as ms (paused time not counted): it changes once a second, as the clock does. */
  elapsedMs: number;
  /** The channels recorded: 1 (the microphone), or 2 (the microphone, then the system audio). */
  channels: number;
  devices: { deviceId: string; label: string }[];
  /** The input in use, or the one chosen for the next recording. */
  deviceId: string | null;
  notice: RecorderNotice | null;
  /** What stopped the recording early or kept it from starting (e.g. DISK_FULL; the audio sent is kept). */
  error: ErrorInfo | null;
  captions: RecorderCaptions;
  /** Set once main lost the system audio of the recording in progress (null: never lost, or none recorded by main). */
  systemAudio: RecorderSystemAudio | null;
  /** The last stopped recording. */
  finished: FinishedRecording | null;
}

const NO_CAPTIONS: RecorderCaptions = { state: 'off', sentences: [], provisional: '', error: null };

const INITIAL: RecorderState = {
  phase: 'idle',
  recordingId: null,
  elapsedMs: 0,
  channels: 1,
  devices: [],
  deviceId: null,
  notice: null,
  error: null,
  captions: NO_CAPTIONS,
  systemAudio: null,
  finished: null,
};

/** Errors of appendRecording that no retry fixes: main has stopped the recording, or refuses the chunk. */
const FINAL_SEND_ERRORS = new Set(['DISK_FULL', 'RECORDING_WRITE_FAILED', 'INVALID_ARGUMENT']);

/** The recording in progress: its capture, its sender, and what stops listening to its captions. */
interface Session {
  info: RecordingInfo;
  capture: Capture;
  sender: ChunkSender;
  stopListening: () => void;
  stopped: Promise<FinishedRecording | null> | null;
}

let session: Session | null = null;

const state = writable<RecorderState>(INITIAL, () => {
  const media = navigator.mediaDevices;
  const onDeviceChange = (): void => void refreshDevices();
  media?.addEventListener('devicechange', onDeviceChange);
  return () => media?.removeEventListener('devicechange', onDeviceChange);
});

/** The recorder's state. */
export const recorder: Readable<RecorderState> = { subscribe: state.subscribe };

const levels = writable<number[]>([]);

/**
 * Per channel 0..1: the peak of the last ~200 ms (the microphone, then the system audio); empty when nothing records.
 * A store of its own, as it changes with every other chunk (see MeterHold): only the meters follow it.
 */
export const recorderLevels: Readable<number[]> = { subscribe: levels.subscribe };

function patch(change: Partial<RecorderState>): void {
  state.update((held) => ({ ...held, ...change }));
}

/** An error as the state keeps it: an ApiError's code, message and params, anything else as a failed input. */
function errorInfoOf(error: unknown): ErrorInfo {
  if (error instanceof ApiError)
    return { code: error.code, message: error.message, ...(error.params && { params: error.params }) };
  return { code: 'RECORDING_INPUT_FAILED', message: error instanceof Error ? error.message : String(error) };
}

/** The notice for a refused microphone (by the system or by getUserMedia), or null when the error is something else. */
function noticeOf(error: unknown): RecorderNotice | null {
  if (error instanceof ApiError) return error.code === 'MICROPHONE_DENIED' ? 'permission-denied' : null;
  if (!(error instanceof DOMException)) return null;
  if (error.name === 'NotAllowedError' || error.name === 'SecurityError') return 'permission-denied';
  if (error.name === 'NotFoundError' || error.name === 'OverconstrainedError') return 'no-device';
  return null;
}

/** Reads the audio inputs again (labels appear once access was granted). */
export async function refreshDevices(): Promise<void> {
  patch({ devices: await audioInputs() });
}

/** Main's events that tell of one recording. */
type RecordingEventName =
  | 'recording:caption'
  | 'recording:captions-state'
  | 'recording:system-audio'
  | 'recording:system-audio-level';

/** The events of the recording about to start, followed from before main is asked to start it. */
interface RecordingEvents {
  /** Applies the held events of `recordingId` and, from now on, its events as they come (others are ignored). */
  follow(recordingId: string): void;
  stop(): void;
}

/**
 * Follows main's events of the recording about to start into the state: its captions, and the system audio main
 * records. Main may tell of the recording before its start's answer arrives (no caption server: 'unavailable' at
 * once), so the events are listened to before the start and held until `follow` names the recording. The system
 * audio's level goes to `onSystemAudioLevel`, not the state: the page's next chunk shows it.
 */
function listenToRecording(onSystemAudioLevel: (level: number) => void): RecordingEvents {
  let followed: string | null = null;
  const held: { recordingId: string; apply: () => void }[] = [];
  const on = <E extends RecordingEventName>(
    event: E,
    apply: (payload: ApiEventMap[E]) => void,
  ): (() => void) =>
    onEvent(event, (payload) => {
      if (followed === null) held.push({ recordingId: payload.recordingId, apply: () => apply(payload) });
      else if (payload.recordingId === followed) apply(payload);
    });
  const updateCaptions = (change: (captions: RecorderCaptions) => RecorderCaptions): void =>
    state.update((current) => ({ ...current, captions: change(current.captions) }));
  const stops = [
    on('recording:caption', (update) =>
      updateCaptions((captions) => ({
        ...captions,
        provisional: update.provisional,
        sentences: update.sentence ? [...captions.sentences, update.sentence] : captions.sentences,
      })),
    ),
    on('recording:captions-state', (change) =>
      updateCaptions((captions) => ({ ...captions, state: change.state, error: change.error })),
    ),
    on('recording:system-audio', (change) =>
      patch({ systemAudio: { state: change.state, reason: change.reason } }),
    ),
    on('recording:system-audio-level', ({ level }) => onSystemAudioLevel(level)),
  ];
  return {
    follow(recordingId) {
      followed = recordingId;
      for (const event of held.splice(0)) if (event.recordingId === recordingId) event.apply();
    },
    stop: () => stops.forEach((stop) => stop()),
  };
}

/**
 * Asks main for the right to record (the operating system's permission), opens the inputs, starts the recording in
 * main, and sends its audio until stopped. A refusal or a missing device sets `notice` and starts nothing.
 */
export async function startRecording(options: RecorderOptions): Promise<void> {
  if (get(state).phase !== 'idle') return;
  patch({
    phase: 'starting',
    notice: null,
    error: null,
    finished: null,
    elapsedMs: 0,
    captions: NO_CAPTIONS,
    systemAudio: null,
  });
  let inputs: Inputs;
  let systemAudioInMain: boolean;
  try {
    const access = await api.requestRecordingAccess(options.systemAudio);
    // Main records the system audio itself (Linux's monitor): the page opens and sends the microphone alone.
    systemAudioInMain = options.systemAudio && access.systemAudioInMain;
    const { microphone, echoCancellation, noiseSuppression, autoGainControl } = options;
    inputs = await openChosenInputs(microphone, {
      systemAudio: options.systemAudio && !systemAudioInMain,
      echoCancellation,
      noiseSuppression,
      autoGainControl,
    });
  } catch (error) {
    const notice = noticeOf(error);
    patch({ phase: 'idle', notice, error: notice ? null : errorInfoOf(error) });
    return;
  }
  void refreshDevices();
  // The second meter when the page sends the microphone alone: the level main tells of the system audio.
  let systemAudioLevel = 0;
  const events = listenToRecording((level) => (systemAudioLevel = level));
  try {
    const sent = inputs.streams.length;
    const channels = sent === 2 || systemAudioInMain ? 2 : 1;
    const info = await api.startRecording({
      title: recordingTitle(get(_), new Date()),
      channels,
      captions: options.captions,
      transcribe: options.transcribe,
    });
    // The captions' state at the start, then what main told of them since (the capture's start takes a while).
    patch({ captions: { ...NO_CAPTIONS, state: info.captions } });
    events.follow(info.id);
    const sender = new ChunkSender({
      send: (seq, pcm) => api.appendRecording(info.id, seq, pcm),
      isFinal: (error) => error instanceof ApiError && FINAL_SEND_ERRORS.has(error.code),
      onFailed: (error) => {
        patch({ error: errorInfoOf(error) });
        void stopRecording();
      },
    });
    let framesRecorded = 0;
    const meters = new MeterHold();
    const capture = await startCapture(inputs, {
      onChunk: ({ pcm, peaks }) => {
        if (sender.failed) return;
        sender.enqueue(pcm);
        const shown = meters.take(info.channels > peaks.length ? [...peaks, systemAudioLevel] : peaks);
        if (shown) levels.set(shown);
        framesRecorded += pcm.byteLength / (2 * sent);
        const elapsedMs = Math.floor(framesRecorded / CAPTURE_RATE) * 1000;
        if (elapsedMs !== get(state).elapsedMs) patch({ elapsedMs });
      },
      onTrackEnded: () => {
        patch({ notice: 'device-lost' });
        void stopRecording();
      },
    }).catch(async (error: unknown) => {
      await api.stopRecording(info.id).catch(() => undefined);
      throw error;
    });
    session = { info, capture, sender, stopListening: events.stop, stopped: null };
    patch({
      phase: 'recording',
      recordingId: info.id,
      channels,
      deviceId: inputs.deviceId,
    });
  } catch (error) {
    events.stop();
    inputs.release();
    patch({ phase: 'idle', captions: NO_CAPTIONS, error: errorInfoOf(error) });
  }
}

/** Stops sending audio; the recording stays open. */
export function pauseRecording(): void {
  if (!session || session.stopped) return;
  session.capture.pause();
  levels.set([]);
  patch({ phase: 'paused' });
}

/** Sends audio again, numbered on from where it paused. */
export function resumeRecording(): void {
  if (!session || session.stopped) return;
  session.capture.resume();
  patch({ phase: 'recording' });
}

/** Hands over the last audio, waits until main has every chunk, and stops the recording (its audio is kept). */
async function stop(current: Session): Promise<FinishedRecording | null> {
  patch({ phase: 'stopping' });
  await current.capture.finish();
  await current.sender.drained();
  let finished: FinishedRecording | null = null;
  try {
    finished = await api.stopRecording(current.info.id);
  } catch (error) {
    state.update((held) => ({ ...held, error: held.error ?? errorInfoOf(error) }));
  }
  current.stopListening();
  session = null;
  levels.set([]);
  patch({ phase: 'idle', recordingId: null, finished });
  return finished;
}

/** Stops the recording in progress and keeps it; resolves to the finished recording (null when none was running). */
export function stopRecording(): Promise<FinishedRecording | null> {
  if (!session) return Promise.resolve(null);
  session.stopped ??= stop(session);
  return session.stopped;
}
