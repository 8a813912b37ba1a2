// A two-channel recording from the app on Linux: the page sends the microphone (one channel) and main records the
// system audio itself from the PulseAudio/PipeWire monitor through ffmpeg (Chromium leaves monitor sources out of its
// inputs). The two are interleaved by sample count, the microphone left. The microphone matters most, so it is never
// held back more than MAX_CHANNEL_LAG_SAMPLES: a monitor that lags or stalls longer is written as silence. The monitor
// waits for the microphone as long too, and its older audio is dropped beyond that: while the page sends nothing
// (paused) the monitor keeps only its last second, and when the microphone starts or comes back after a pause the
// monitor is cut to the chunk's length so both end at the same moment. A monitor that ends mid-recording (its ffmpeg
// died, PulseAudio restarted) never stops the recording: the microphone is written at once beside silence, main tries
// again to record the monitor (MONITOR_RETRY_DELAYS_MS apart, each try with a deadline) and tells the page 'lost' and
// 'restored'; the monitor's first audio after a loss starts anew as a resumed microphone does.
import { setTimeout as delay } from 'node:timers/promises';
import type { ApiEventMap } from '../../src-shared/contract.js';
import { PCM_BYTES_PER_SAMPLE, PCM_SAMPLE_RATE } from '../audio/pcm.js';
import { FunscribeError } from '../util/errors.js';
import {
  INPUT_STALL_MS,
  startPulseSource,
  SYSTEM_AUDIO_SOURCE,
  type CaptureEnd,
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
  /** False from a loss of the monitor until its audio comes again: the microphone is not held back meanwhile. */
  private monitorLive = true;
  /** The next microphone chunk starts anew (the monitor came back): the monitor is cut to its length. */
  private realign = false;
  /** The loudest monitor sample written since `takePeak`, as an absolute value. */
  private peak = 0;

  /**
   * Adds monitor bytes; beyond MAX_CHANNEL_LAG_SAMPLES waiting for the microphone, the oldest are dropped. The first
   * bytes after `monitorLost` start the monitor anew: what was left of the lost one is dropped.
   */
  pushMonitor(bytes: Buffer): void {
    if (!this.monitorLive) {
      this.monitorLive = true;
      this.realign = true;
      this.monitor = Buffer.alloc(0);
    }
    this.monitor = newest(Buffer.concat([this.monitor, bytes]), MAX_CHANNEL_LAG_SAMPLES);
  }

  /** The monitor ended: until its audio comes again the microphone is written at once, with silence beside it. */
  monitorLost(): void {
    this.monitorLive = false;
  }

  /**
   * Adds microphone samples (whole s16le samples) and returns the frames ready. `restart` (the first chunk, or the
   * first after a pause) first cuts the monitor to as many samples as the chunk has; so does the first chunk after
   * the monitor came back.
   */
  pushMicrophone(pcm: Uint8Array, restart: boolean): Buffer {
    if (restart || this.realign) this.monitor = newest(this.monitor, pcm.byteLength / PCM_BYTES_PER_SAMPLE);
    this.realign = false;
    this.microphone = Buffer.concat([this.microphone, pcm]);
    const waiting = this.microphone.length / PCM_BYTES_PER_SAMPLE;
    if (!this.monitorLive) return this.take(waiting);
    const paired = Math.min(waiting, Math.floor(this.monitor.length / PCM_BYTES_PER_SAMPLE));
    return this.take(Math.max(paired, waiting - MAX_CHANNEL_LAG_SAMPLES));
  }

  /** The microphone samples still waiting, the monitor's silence where it has none; the monitor's rest is dropped. */
  flush(): Buffer {
    const frames = this.take(this.microphone.length / PCM_BYTES_PER_SAMPLE);
    this.monitor = Buffer.alloc(0);
    return frames;
  }

  /** The right channel's peak (0..1) written since the last call. */
  takePeak(): number {
    const peak = this.peak / 32768;
    this.peak = 0;
    return peak;
  }

  /** Takes `count` frames: the microphone's oldest samples, and the monitor's or silence where it has fewer. */
  private take(count: number): Buffer {
    const frames = Buffer.alloc(count * 2 * PCM_BYTES_PER_SAMPLE);
    const fromMonitor = Math.min(count, Math.floor(this.monitor.length / PCM_BYTES_PER_SAMPLE));
    let peak = this.peak;
    for (let i = 0; i < count; i++) {
      frames.writeInt16LE(this.microphone.readInt16LE(i * 2), i * 4);
      if (i < fromMonitor) {
        const sample = this.monitor.readInt16LE(i * 2);
        frames.writeInt16LE(sample, i * 4 + 2);
        peak = Math.max(peak, Math.abs(sample));
      }
    }
    this.peak = peak;
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

/** Why a monitor's ffmpeg ended: its last message, or its exit code. */
function endReason(end: CaptureEnd): string {
  return end.message ?? `ffmpeg stopped with exit code ${end.exitCode ?? 'none'}`;
}

/**
 * Starts ffmpeg on the default monitor and resolves once it delivers audio; RECORDING_INPUT_FAILED when it cannot
 * within INPUT_STALL_MS, or when `signal` aborts first (ffmpeg is stopped either way).
 */
async function startMonitor(
  ffmpeg: string,
  onData: (bytes: Buffer) => void,
  signal?: AbortSignal,
): Promise<PulseSourceCapture> {
  let delivering: () => void = () => undefined;
  const firstData = new Promise<void>((resolve) => (delivering = resolve));
  const capture = startPulseSource(ffmpeg, SYSTEM_AUDIO_SOURCE, (bytes) => {
    delivering();
    onData(bytes);
  });
  let deadline: NodeJS.Timeout | undefined;
  let aborted: () => void = () => undefined;
  const gaveUp = new Promise<string>((resolve) => {
    deadline = setTimeout(() => resolve(`no audio arrived for ${INPUT_STALL_MS / 1000} s`), INPUT_STALL_MS);
    aborted = () => resolve('the recording stopped');
    signal?.addEventListener('abort', aborted, { once: true });
  });
  if (signal?.aborted) aborted();
  const failure = await Promise.race([firstData.then(() => null), capture.ended.then(endReason), gaveUp]);
  clearTimeout(deadline);
  signal?.removeEventListener('abort', aborted);
  if (failure === null) return capture;
  capture.stop();
  await capture.ended;
  throw monitorMissing(failure);
}

/** How long to wait before each try to record a lost monitor again, in ms; the last one repeats until it is back. */
export const MONITOR_RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000] as const;

/**
 * How often the right channel's level is told, in ms (10 Hz, as the page's chunks come): on this grid, a chunk up to
 * half an interval early counting as on time, so the page's jitter neither skips levels nor lets more through.
 */
export const MONITOR_LEVEL_INTERVAL_MS = 100;

/** Told the system-audio events of one recording, as the contract names them. */
export type SystemAudioListener = <E extends 'recording:system-audio' | 'recording:system-audio-level'>(
  event: E,
  payload: ApiEventMap[E],
) => void;

/** A recording whose right channel main records from the monitor while the page sends the microphone. */
export class MonitorMixedRecording {
  private nextSeq = 0;
  private journalSeq = 0;
  private lastMicrophoneAt = 0;
  private nextLevelAt = 0;
  private readonly stopping = new AbortController();
  /** Follows the monitor: on a loss, tells it and tries again until it is back or the recording stops. */
  private readonly keeping: Promise<void>;

  private constructor(
    private readonly ffmpeg: string,
    private readonly mixer: MicrophoneMonitorMixer,
    private capture: PulseSourceCapture,
    /** The two-channel recording the frames go to. */
    readonly session: RecordingSession,
    private readonly emit: SystemAudioListener,
  ) {
    this.keeping = this.keepMonitor();
  }

  /**
   * Starts recording the monitor, then opens the recording with `openSession`: a missing monitor fails the start with
   * RECORDING_INPUT_FAILED before any recording exists, and a recording that cannot open stops the monitor. `emit` is
   * told when the monitor is lost and restored, and the right channel's level.
   */
  static async start(
    ffmpeg: string,
    openSession: () => RecordingSession,
    emit: SystemAudioListener,
  ): Promise<MonitorMixedRecording> {
    const mixer = new MicrophoneMonitorMixer();
    const capture = await startMonitor(ffmpeg, (bytes) => mixer.pushMonitor(bytes));
    try {
      return new MonitorMixedRecording(ffmpeg, mixer, capture, openSession(), emit);
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
    const frames = this.write(this.mixer.pushMicrophone(chunk.pcm, restart));
    if (now >= this.nextLevelAt) {
      this.nextLevelAt = Math.max(
        this.nextLevelAt + MONITOR_LEVEL_INTERVAL_MS,
        now + MONITOR_LEVEL_INTERVAL_MS / 2,
      );
      this.tell('recording:system-audio-level', {
        recordingId: this.session.id,
        level: this.mixer.takePeak(),
      });
    }
    return frames;
  }

  /** Stops ffmpeg (killed after a deadline) and any try to restore it, then writes the microphone's last samples. */
  async stop(): Promise<Buffer> {
    this.halt();
    await this.keeping;
    return this.session.error ? Buffer.alloc(0) : this.write(this.mixer.flush());
  }

  /** Tells `emit` an event; a listener that throws never stops the recording nor the monitor's return. */
  private tell: SystemAudioListener = (event, payload) => {
    try {
      this.emit(event, payload);
    } catch {
      // The page is not told this once; the recording goes on.
    }
  };

  private halt(): void {
    this.stopping.abort();
    this.capture.stop();
  }

  private async keepMonitor(): Promise<void> {
    for (;;) {
      const end = await this.capture.ended;
      if (this.stopping.signal.aborted) return;
      this.mixer.monitorLost();
      this.tell('recording:system-audio', {
        recordingId: this.session.id,
        state: 'lost',
        reason: endReason(end),
      });
      if (!(await this.restoreMonitor())) return;
      this.tell('recording:system-audio', { recordingId: this.session.id, state: 'restored', reason: null });
    }
  }

  /** Tries to record the monitor again until it delivers audio (true), or the recording stops (false). */
  private async restoreMonitor(): Promise<boolean> {
    const { signal } = this.stopping;
    for (let attempt = 0; ; attempt++) {
      const wait = MONITOR_RETRY_DELAYS_MS[Math.min(attempt, MONITOR_RETRY_DELAYS_MS.length - 1)];
      const waited = await delay(wait, undefined, { signal }).then(
        () => true,
        () => false,
      );
      if (!waited) return false;
      const capture = await startMonitor(this.ffmpeg, (bytes) => this.mixer.pushMonitor(bytes), signal).catch(
        () => null,
      );
      if (signal.aborted) {
        capture?.stop();
        await capture?.ended;
        return false;
      }
      if (capture) {
        this.capture = capture;
        return true;
      }
    }
  }

  private write(frames: Buffer): Buffer {
    if (frames.length === 0) return frames;
    try {
      this.session.append({ seq: this.journalSeq, pcm: frames });
    } catch (error) {
      this.halt();
      throw error;
    }
    this.journalSeq += 1;
    return frames;
  }
}
