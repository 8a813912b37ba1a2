// A two-channel recording from the app on Linux: the page sends the microphone (one channel) and main records the
// system audio itself from the PulseAudio/PipeWire monitor through ffmpeg (Chromium leaves monitor sources out of its
// inputs). The two are interleaved by sample count, the microphone left. The microphone matters most, so it is never
// held back more than MAX_CHANNEL_LAG_SAMPLES: a monitor that lags or stalls longer is written as silence. The monitor
// waits for the microphone as long too, and its older audio is dropped beyond that: while the page sends nothing
// (paused) the monitor keeps only its last second, and when the microphone starts or comes back after a pause the
// monitor is cut to the chunk's length so both end at the same moment.
import { PCM_BYTES_PER_SAMPLE, PCM_SAMPLE_RATE } from '../audio/pcm.js';
import { FunscribeError } from '../util/errors.js';
import {
  INPUT_STALL_MS,
  startPulseSource,
  SYSTEM_AUDIO_SOURCE,
  type PulseSourceCapture,
} from './pulse-capture.js';
import { isNextChunk, type RecordingChunk, type RecordingSession } from './recording-session.js';

/** How far either channel may run ahead of the other, in samples (1 s). */
export const MAX_CHANNEL_LAG_SAMPLES = PCM_SAMPLE_RATE;

/** A microphone chunk arriving this long after the last one (in ms) starts anew: the recording was paused. */
export const MICROPHONE_RESUME_GAP_MS = 1000;

/** The newest `samples` samples of s16le `bytes` (whole samples only). */
function newest(bytes: Buffer, samples: number): Buffer {
  const whole = bytes.length - (bytes.length % PCM_BYTES_PER_SAMPLE);
  return bytes.subarray(Math.max(0, whole - samples * PCM_BYTES_PER_SAMPLE), bytes.length);
}

/** Interleaves the microphone (left) and the monitor (right), each held in a bounded queue. */
export class MicrophoneMonitorMixer {
  private microphone: Buffer = Buffer.alloc(0);
  private monitor: Buffer = Buffer.alloc(0);

  /** Adds monitor bytes; beyond MAX_CHANNEL_LAG_SAMPLES waiting for the microphone, the oldest are dropped. */
  pushMonitor(bytes: Buffer): void {
    this.monitor = newest(Buffer.concat([this.monitor, bytes]), MAX_CHANNEL_LAG_SAMPLES);
  }

  /**
   * Adds microphone samples (whole s16le samples) and returns the frames ready. `restart` (the first chunk, or the
   * first after a pause) first cuts the monitor to as many samples as the chunk has.
   */
  pushMicrophone(pcm: Uint8Array, restart: boolean): Buffer {
    if (restart) this.monitor = newest(this.monitor, pcm.byteLength / PCM_BYTES_PER_SAMPLE);
    this.microphone = Buffer.concat([this.microphone, pcm]);
    const waiting = this.microphone.length / PCM_BYTES_PER_SAMPLE;
    const paired = Math.min(waiting, Math.floor(this.monitor.length / PCM_BYTES_PER_SAMPLE));
    return this.take(Math.max(paired, waiting - MAX_CHANNEL_LAG_SAMPLES));
  }

  /** The microphone samples still waiting, the monitor's silence where it has none; the monitor's rest is dropped. */
  flush(): Buffer {
    const frames = this.take(this.microphone.length / PCM_BYTES_PER_SAMPLE);
    this.monitor = Buffer.alloc(0);
    return frames;
  }

  /** Takes `count` frames: the microphone's oldest samples, and the monitor's or silence where it has fewer. */
  private take(count: number): Buffer {
    const frames = Buffer.alloc(count * 2 * PCM_BYTES_PER_SAMPLE);
    const fromMonitor = Math.min(count, Math.floor(this.monitor.length / PCM_BYTES_PER_SAMPLE));
    for (let i = 0; i < count; i++) {
      frames.writeInt16LE(this.microphone.readInt16LE(i * 2), i * 4);
      if (i < fromMonitor) frames.writeInt16LE(this.monitor.readInt16LE(i * 2), i * 4 + 2);
    }
    this.microphone = this.microphone.subarray(count * PCM_BYTES_PER_SAMPLE);
    this.monitor = this.monitor.subarray(fromMonitor * PCM_BYTES_PER_SAMPLE);
    return frames;
  }
}

/** The error for a monitor that could not be recorded at the start of a two-channel recording. */
function monitorMissing(why: string): FunscribeError {
  return new FunscribeError(
    'RECORDING_INPUT_FAILED',
    `Could not record the system audio from the PulseAudio/PipeWire monitor "${SYSTEM_AUDIO_SOURCE}": ${why}. Check that PulseAudio or PipeWire (with pipewire-pulse) runs and has an output device, or record the microphone alone (turn system audio off).`,
    { params: { reason: 'monitor' } },
  );
}

/** Starts ffmpeg on the default monitor and resolves once it delivers audio; RECORDING_INPUT_FAILED when it cannot. */
async function startMonitor(ffmpeg: string, onData: (bytes: Buffer) => void): Promise<PulseSourceCapture> {
  let delivering: () => void = () => undefined;
  const firstData = new Promise<void>((resolve) => (delivering = resolve));
  const capture = startPulseSource(ffmpeg, SYSTEM_AUDIO_SOURCE, (bytes) => {
    delivering();
    onData(bytes);
  });
  let deadline: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<string>((resolve) => {
    deadline = setTimeout(() => resolve(`no audio arrived for ${INPUT_STALL_MS / 1000} s`), INPUT_STALL_MS);
  });
  const failure = await Promise.race([
    firstData.then(() => null),
    capture.ended.then((end) => end.message ?? `ffmpeg stopped with exit code ${end.exitCode ?? 'none'}`),
    gaveUp,
  ]);
  clearTimeout(deadline);
  if (failure === null) return capture;
  capture.stop();
  await capture.ended;
  throw monitorMissing(failure);
}

/** A recording whose right channel main records from the monitor while the page sends the microphone. */
export class MonitorMixedRecording {
  private nextSeq = 0;
  private journalSeq = 0;
  private lastMicrophoneAt = 0;

  private constructor(
    private readonly mixer: MicrophoneMonitorMixer,
    private readonly capture: PulseSourceCapture,
    /** The two-channel recording the frames go to. */
    readonly session: RecordingSession,
  ) {}

  /**
   * Starts recording the monitor, then opens the recording with `openSession`: a missing monitor fails the start with
   * RECORDING_INPUT_FAILED before any recording exists, and a recording that cannot open stops the monitor.
   */
  static async start(ffmpeg: string, openSession: () => RecordingSession): Promise<MonitorMixedRecording> {
    const mixer = new MicrophoneMonitorMixer();
    const capture = await startMonitor(ffmpeg, (bytes) => mixer.pushMonitor(bytes));
    try {
      return new MonitorMixedRecording(mixer, capture, openSession());
    } catch (error) {
      capture.stop();
      throw error;
    }
  }

  /**
   * Takes one microphone chunk from the page (mono; numbered from 0, a repeated one is ignored) and writes the frames
   * ready to the journal; returns them (empty when none). A failed write stops the monitor and throws.
   */
  append(chunk: RecordingChunk): Buffer {
    if (this.session.error) throw this.session.error;
    if (!isNextChunk(chunk, this.nextSeq, 1)) return Buffer.alloc(0);
    const now = Date.now();
    const restart = this.nextSeq === 0 || now - this.lastMicrophoneAt > MICROPHONE_RESUME_GAP_MS;
    this.nextSeq += 1;
    this.lastMicrophoneAt = now;
    return this.write(this.mixer.pushMicrophone(chunk.pcm, restart));
  }

  /** Stops ffmpeg (killed after a deadline), then writes the microphone's last samples; returns them. */
  async stop(): Promise<Buffer> {
    this.capture.stop();
    await this.capture.ended;
    return this.session.error ? Buffer.alloc(0) : this.write(this.mixer.flush());
  }

  private write(frames: Buffer): Buffer {
    if (frames.length === 0) return frames;
    try {
      this.session.append({ seq: this.journalSeq, pcm: frames });
    } catch (error) {
      this.capture.stop();
      throw error;
    }
    this.journalSeq += 1;
    return frames;
  }
}
