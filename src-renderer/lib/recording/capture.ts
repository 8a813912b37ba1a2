// The audio inputs of a recording and the graph that turns them into chunks: getUserMedia for the microphone (its
// processing switched as asked; all off is raw audio), the system audio as a second input, and the capture worklet.
// Opening the inputs comes first and alone, so a refused permission or a missing device never starts a recording.
import { ApiError } from '../../../src-shared/contract.js';
import {
  CAPTURE_PROCESSOR,
  RENDER_QUANTUM,
  type CaptureProcessorOptions,
  type FromCaptureProcessor,
  type ToCaptureProcessor,
} from './capture-messages.js';
import { contextLag, heldFrames } from './held-frames.js';
import { watchInputs } from './input-watch.js';
import { CAPTURE_RATE, type PcmChunk } from './pcm-chunks.js';
import workletUrl from './capture-worklet.ts?worker&url';

/** How the microphone is captured and whether the system audio joins it. */
export interface InputOptions {
  /** The microphone's deviceId, or null for the system's default input. */
  deviceId: string | null;
  systemAudio: boolean;
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
}

/** Opens the system audio as a stream with one audio track (see `setSystemAudioSource`). */
export type SystemAudioSource = (devices: MediaDeviceInfo[]) => Promise<MediaStream>;

/** How Chromium names PulseAudio/PipeWire monitor sources among the inputs on Linux. */
const MONITOR_LABEL = /^Monitor of /;

/** How long the worklet may take to hand over its last chunk when the recording stops. */
const FINISH_DEADLINE_MS = 2000;

/** How long the audio may take to start running (a context the page may not start stays suspended). */
const START_DEADLINE_MS = 5000;

/** Rejects with RECORDING_INPUT_FAILED when the audio context has not started running by the deadline. */
function startedInTime(context: AudioContext): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ApiError({
            code: 'RECORDING_INPUT_FAILED',
            message: `The audio did not start within ${START_DEADLINE_MS / 1000} s (${context.state}).`,
          }),
        ),
      START_DEADLINE_MS,
    );
  });
  return Promise.race([context.resume(), late]).finally(() => clearTimeout(timer));
}

/** Constraints for raw audio from one device (nothing of the browser's voice processing). */
function rawAudio(
  deviceId: string | null,
  processing: Omit<InputOptions, 'deviceId' | 'systemAudio'>,
): MediaTrackConstraints {
  return {
    ...(deviceId !== null && { deviceId: { exact: deviceId } }),
    ...processing,
    channelCount: { ideal: 1 },
  };
}

/**
 * The system audio where the platform gives it: an input whose label starts "Monitor of " when there is one, else
 * getDisplayMedia, which Electron answers with loopback audio once the main process installs its display-media handler
 * (its video track is dropped at once). Note for Linux: Chromium leaves PulseAudio's own monitor sources out of the
 * inputs (media/audio/pulse/audio_manager_pulse.cc skips a source with `monitor_of_sink`), so a monitor is listed
 * only as an ordinary source made from it (module-remap-source) described "Monitor of …".
 */
async function defaultSystemAudio(devices: MediaDeviceInfo[]): Promise<MediaStream> {
  const monitor = devices.find((device) => device.kind === 'audioinput' && MONITOR_LABEL.test(device.label));
  const off = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
  if (monitor) return navigator.mediaDevices.getUserMedia({ audio: rawAudio(monitor.deviceId, off) });
  const display = await navigator.mediaDevices.getDisplayMedia({ audio: off, video: true });
  for (const track of display.getVideoTracks()) {
    track.stop();
    display.removeTrack(track);
  }
  if (display.getAudioTracks().length > 0) return display;
  throw new ApiError({ code: 'RECORDING_UNSUPPORTED', message: 'The system audio cannot be captured here.' });
}

let systemAudioSource: SystemAudioSource = defaultSystemAudio;

/** Replaces how the system audio is opened (the Electron layer's hook; the default suits Linux and Electron's loopback). */
export function setSystemAudioSource(source: SystemAudioSource): void {
  systemAudioSource = source;
}

/** The opened inputs of a recording, before any audio is taken from them. */
export interface Inputs {
  /** The microphone first, then the system audio. */
  streams: MediaStream[];
  /** The microphone's device as the browser reports it (null when it does not say). */
  deviceId: string | null;
  /** Stops every track. */
  release(): void;
}

/** Opens the microphone (and the system audio when asked); throws the browser's DOMException when it refuses. */
export async function openInputs(options: InputOptions): Promise<Inputs> {
  const { deviceId, systemAudio, ...processing } = options;
  const microphone = await navigator.mediaDevices.getUserMedia({ audio: rawAudio(deviceId, processing) });
  const streams = [microphone];
  const release = (): void =>
    streams.forEach((stream) => stream.getTracks().forEach((track) => track.stop()));
  try {
    if (systemAudio) streams.push(await systemAudioSource(await navigator.mediaDevices.enumerateDevices()));
  } catch (error) {
    release();
    // Not the microphone's permission: say that the system audio is what cannot be had.
    if (error instanceof ApiError) throw error;
    throw new ApiError({
      code: 'RECORDING_UNSUPPORTED',
      message: `The system audio cannot be captured here (${error instanceof Error ? error.message : String(error)}).`,
    });
  }
  return { streams, deviceId: microphone.getAudioTracks()[0]?.getSettings().deviceId ?? null, release };
}

/**
 * What the capture reports: each chunk in order, and a track that ended (a device unplugged or taken away; see
 * input-watch.ts for how Chromium comes to notice).
 */
export interface CaptureHandlers {
  onChunk(chunk: PcmChunk): void;
  onTrackEnded(): void;
}

/** Audio being taken from the inputs. */
export interface Capture {
  pause(): void;
  resume(): void;
  /** Hands over the last chunk (through onChunk), then releases the inputs and the audio context. */
  finish(): Promise<void>;
}

/**
 * The capture's audio context:
 * - at the journal's rate, so Chromium resamples each input to 16 kHz in native code (a band-limited sinc resampler)
 *   as it enters the graph, and the worklet handles a third of the samples of a 48 kHz context;
 * - rendering in blocks of about 32 ms ('playback') instead of 10 ms: a third of the wake-ups of the audio threads,
 *   where chunks of 100 ms gain nothing from the shorter blocks;
 * - rendering to no device (`sinkId: {type: 'none'}`, Chromium 110+; not yet in TypeScript's DOM types), as nothing
 *   is played: no output stream to the audio service. Its clock is a timer in the renderer that skips what it missed
 *   when starved (a renderer stalled 150 ms renders ~113 ms less), the microphone's audio held back as latency: a
 *   finish takes that much more (see held-frames.ts), so the recording still ends when it was stopped.
 */
const CAPTURE_CONTEXT = {
  sampleRate: CAPTURE_RATE,
  latencyHint: 'playback',
  sinkId: { type: 'none' },
} as AudioContextOptions;

/** Starts taking audio from the inputs: one worklet input per stream, each downmixed to mono. */
export async function startCapture(inputs: Inputs, handlers: CaptureHandlers): Promise<Capture> {
  const context = new AudioContext(CAPTURE_CONTEXT);
  const tracks = inputs.streams.flatMap((stream) => stream.getTracks());
  const stopWatching = watchInputs(tracks);
  const release = (): void => {
    stopWatching();
    inputs.release();
    void context.close();
  };
  try {
    await context.audioWorklet.addModule(workletUrl);
    const channels = inputs.streams.length as CaptureProcessorOptions['channels'];
    const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
      numberOfInputs: channels,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
      processorOptions: {
        channels,
        tailFrames: Math.ceil(context.baseLatency * context.sampleRate) + RENDER_QUANTUM,
      } satisfies CaptureProcessorOptions,
    });
    let finished: () => void = () => undefined;
    node.port.onmessage = (event: MessageEvent<FromCaptureProcessor>) => {
      const message = event.data;
      if (message.type === 'chunk')
        handlers.onChunk({ pcm: new Uint8Array(message.pcm), peaks: message.peaks });
      else finished();
    };
    inputs.streams.forEach((stream, input) =>
      context.createMediaStreamSource(stream).connect(node, 0, input),
    );
    for (const track of tracks) {
      track.addEventListener('ended', () => handlers.onTrackEnded(), { once: true });
    }
    await startedInTime(context);
    const lagAtStart = contextLag(context);
    const tell = (message: ToCaptureProcessor): void => node.port.postMessage(message);
    return {
      pause: () => tell({ type: 'pause' }),
      resume: () => tell({ type: 'resume' }),
      finish: async () => {
        const held = heldFrames(lagAtStart, contextLag(context), context.baseLatency, context.sampleRate);
        const done = new Promise<void>((resolve) => {
          finished = resolve;
          setTimeout(resolve, FINISH_DEADLINE_MS + (held / context.sampleRate) * 1000);
        });
        tell({ type: 'finish', heldFrames: held });
        await done;
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
