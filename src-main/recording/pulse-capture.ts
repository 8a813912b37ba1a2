// Headless capture on Linux: ffmpeg's PulseAudio input (PipeWire serves it too) gives 16 kHz mono s16le on its
// stdout, one ffmpeg per source. With system audio a second ffmpeg records the default output's monitor (what the
// computer plays), and the two are interleaved here, the microphone left: one ffmpeg merging two live inputs drops
// audio on its timestamps. The app records the monitor alone (startPulseSource) beside the page's microphone.
import { spawn } from 'node:child_process';
import { PCM_BYTES_PER_SAMPLE, PCM_SAMPLE_RATE } from '../audio/pcm.js';
import { lastMeaningfulLine } from '../audio/run-tool.js';
import type { RecordingChunk } from './recording-session.js';

/** The PulseAudio source of the default output's monitor: what the computer plays. */
export const SYSTEM_AUDIO_SOURCE = '@DEFAULT_MONITOR@';

/** The PulseAudio source recorded when no device is named. */
export const DEFAULT_SOURCE = 'default';

/** How long ffmpeg may take to stop once asked, in ms, before it is killed. */
export const CAPTURE_STOP_DEADLINE_MS = 5000;

/**
 * How long an input may deliver nothing before it counts as gone, in ms: PulseAudio sends silence too, and ffmpeg
 * waits for ever on a source that was removed (a headset unplugged).
 */
export const INPUT_STALL_MS = 4000;

/** How far one channel may run ahead of the other before the late one is filled with silence, in samples (3 s). */
export const MAX_CHANNEL_SKEW_SAMPLES = 3 * PCM_SAMPLE_RATE;

/** What to capture. */
export interface PulseCaptureOptions {
  ffmpeg: string;
  /** The PulseAudio source of the microphone (default: the default source). */
  device?: string;
  /** Add what the computer plays as a second channel (the microphone left, the system audio right). */
  systemAudio: boolean;
  /** Stop after this many seconds of audio (counted in samples: ffmpeg's -t counts PulseAudio's clock). */
  durationS?: number;
}

/** How a capture ended. */
export interface CaptureEnd {
  /** Whether it was asked to stop (or reached its duration) rather than ended by itself. */
  requested: boolean;
  /** The exit code of the ffmpeg that ended first by itself, else of the first one (null when a signal ended it). */
  exitCode: number | null;
  /** That ffmpeg's last message, or null. */
  message: string | null;
}

/** A running capture. */
export interface PulseCapture {
  /** Ends the capture: ffmpeg is asked to stop (what it has is still delivered), and killed after a deadline. */
  stop(): void;
  /** Resolves once ffmpeg has exited and every chunk was delivered. */
  readonly ended: Promise<CaptureEnd>;
}

/** ffmpeg's arguments for recording one PulseAudio source as 16 kHz mono s16le on stdout. */
export function pulseCaptureArgs(source: string): string[] {
  return [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin'],
    ...['-f', 'pulse', '-sample_rate', String(PCM_SAMPLE_RATE), '-channels', '1', '-i', source],
    ...['-ac', '1', '-ar', String(PCM_SAMPLE_RATE), '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'],
  ];
}

/** Interleaves mono s16le streams into frames, as far as every channel has samples (or the skew limit allows). */
class Interleaver {
  private readonly pending: Buffer[];

  constructor(channels: number) {
    this.pending = Array.from({ length: channels }, () => Buffer.alloc(0));
  }

  /** Adds bytes of one channel. */
  push(channel: number, bytes: Buffer): void {
    this.pending[channel] = Buffer.concat([this.pending[channel]!, bytes]);
  }

  /** Takes the frames ready now; `flush` (at the end) fills the shorter channels with silence. */
  take(flush: boolean): Buffer {
    const samples = this.pending.map((bytes) => Math.floor(bytes.length / PCM_BYTES_PER_SAMPLE));
    const longest = Math.max(...samples);
    const count =
      flush || longest - Math.min(...samples) > MAX_CHANNEL_SKEW_SAMPLES ? longest : Math.min(...samples);
    if (count === 0) return Buffer.alloc(0);
    const channels = this.pending.length;
    const frames = Buffer.alloc(count * channels * PCM_BYTES_PER_SAMPLE);
    this.pending.forEach((bytes, channel) => {
      const available = Math.min(count, Math.floor(bytes.length / PCM_BYTES_PER_SAMPLE));
      for (let i = 0; i < available; i++) {
        frames.writeInt16LE(bytes.readInt16LE(i * 2), (i * channels + channel) * PCM_BYTES_PER_SAMPLE);
      }
      this.pending[channel] = bytes.subarray(available * PCM_BYTES_PER_SAMPLE);
    });
    return frames;
  }
}

/** One PulseAudio source being recorded by its own ffmpeg. */
export interface PulseSourceCapture {
  /** Asks ffmpeg to stop (what it has is still delivered) and kills it after a deadline; safe to call again. */
  stop(): void;
  /** Resolves once ffmpeg has exited and its last bytes were delivered. */
  readonly ended: Promise<CaptureEnd>;
}

/**
 * Records one PulseAudio source as 16 kHz mono s16le, handing `onData` its bytes as they come. ffmpeg ending by itself
 * (the device is gone), or the source delivering nothing for INPUT_STALL_MS, ends it with `requested: false`.
 */
export function startPulseSource(
  ffmpeg: string,
  source: string,
  onData: (bytes: Buffer) => void,
): PulseSourceCapture {
  const child = spawn(ffmpeg, pulseCaptureArgs(source), {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches FunScribe, which stops ffmpeg after the last chunk.
    detached: true,
  });
  let requested = false;
  let killer: NodeJS.Timeout | null = null;
  const stop = (): void => {
    if (requested) return;
    requested = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    killer = setTimeout(() => child.kill('SIGKILL'), CAPTURE_STOP_DEADLINE_MS);
  };
  let stderr = '';
  let stalled = false;
  let lastData = Date.now();
  const watchdog = setInterval(() => {
    if (requested || Date.now() - lastData < INPUT_STALL_MS) return;
    stalled = true;
    stop();
  }, INPUT_STALL_MS / 4);
  child.stdout.on('data', (bytes: Buffer) => {
    lastData = Date.now();
    onData(bytes);
  });
  child.stderr.on('data', (data: Buffer) => (stderr = (stderr + data.toString()).slice(-4000)));
  const ended = new Promise<CaptureEnd>((resolve) => {
    let spawnError: Error | null = null;
    child.once('error', (error) => (spawnError = error));
    child.once('close', (exitCode) => {
      clearInterval(watchdog);
      const byItself = stalled || !requested;
      stop();
      if (killer) clearTimeout(killer);
      const silence = stalled ? `no audio arrived for ${INPUT_STALL_MS / 1000} s` : null;
      resolve({
        requested: !byItself,
        exitCode,
        message: spawnError?.message ?? silence ?? lastMeaningfulLine(stderr),
      });
    });
  });
  return { stop, ended };
}

/**
 * Starts ffmpeg (one per channel) and hands `onChunk` whole frames, numbered from 0, as they come. An error thrown by
 * `onChunk` (the disk is full) stops the capture; so does any ffmpeg ending by itself (the device is gone).
 */
export function startPulseCapture(
  options: PulseCaptureOptions,
  onChunk: (chunk: RecordingChunk) => void,
): PulseCapture {
  const sources = [options.device ?? DEFAULT_SOURCE, ...(options.systemAudio ? [SYSTEM_AUDIO_SOURCE] : [])];
  const frame = sources.length * PCM_BYTES_PER_SAMPLE;
  const interleaver = new Interleaver(sources.length);
  let bytesLeft =
    options.durationS === undefined ? Infinity : Math.round(options.durationS * PCM_SAMPLE_RATE) * frame;
  let seq = 0;
  const captures: PulseSourceCapture[] = [];
  const stop = (): void => captures.forEach((capture) => capture.stop());
  const deliver = (flush: boolean): void => {
    if (bytesLeft === 0) return;
    const frames = interleaver.take(flush);
    const pcm = frames.subarray(0, Math.min(bytesLeft, frames.length));
    if (pcm.length === 0) return;
    bytesLeft -= pcm.length;
    try {
      onChunk({ seq: seq++, pcm });
    } catch {
      stop();
    }
    if (bytesLeft === 0) stop();
  };
  sources.forEach((source, channel) =>
    captures.push(
      startPulseSource(options.ffmpeg, source, (bytes) => {
        interleaver.push(channel, bytes);
        deliver(false);
      }),
    ),
  );
  // One source ending by itself ends the others.
  const endings = captures.map((capture) =>
    capture.ended.then((end) => {
      stop();
      return end;
    }),
  );
  const ended = Promise.all(endings).then((ends) => {
    deliver(true);
    return ends.find((end) => !end.requested) ?? ends[0]!;
  });
  return { stop, ended };
}
