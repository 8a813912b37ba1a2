// Headless capture on Linux: ffmpeg's PulseAudio input (PipeWire serves it too) gives 16 kHz mono s16le on its
// stdout, one ffmpeg per source. The microphone is recorded with startPulseCapture; the system audio (the default
// output's monitor) with startPulseSource beside it, and the two are interleaved by monitor-mix.ts, the microphone
// left: one ffmpeg merging two live inputs drops audio on its timestamps, and a monitor that dies must not stop it.
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

/** What to capture. */
export interface PulseCaptureOptions {
  ffmpeg: string;
  /** The PulseAudio source of the microphone (default: the default source). */
  device?: string;
  /** Stop after this many seconds of audio (counted in samples: ffmpeg's -t counts PulseAudio's clock). */
  durationS?: number;
}

/** How a capture ended. */
export interface CaptureEnd {
  /** Whether it was asked to stop (or reached its duration) rather than ended by itself. */
  requested: boolean;
  /** ffmpeg's exit code (null when a signal ended it). */
  exitCode: number | null;
  /** ffmpeg's last message, or null. */
  message: string | null;
}

/** ffmpeg's arguments for recording one PulseAudio source as 16 kHz mono s16le on stdout. */
export function pulseCaptureArgs(source: string): string[] {
  return [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin'],
    ...['-f', 'pulse', '-sample_rate', String(PCM_SAMPLE_RATE), '-channels', '1', '-i', source],
    ...['-ac', '1', '-ar', String(PCM_SAMPLE_RATE), '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'],
  ];
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
 * Starts ffmpeg on the microphone and hands `onChunk` whole samples, numbered from 0, as they come. An error thrown by
 * `onChunk` (the disk is full) stops the capture; so does ffmpeg ending by itself (the device is gone).
 */
export function startPulseCapture(
  options: PulseCaptureOptions,
  onChunk: (chunk: RecordingChunk) => void,
): PulseSourceCapture {
  let pending = Buffer.alloc(0);
  let bytesLeft =
    options.durationS === undefined
      ? Infinity
      : Math.round(options.durationS * PCM_SAMPLE_RATE) * PCM_BYTES_PER_SAMPLE;
  let seq = 0;
  const deliver = (): void => {
    const whole = pending.length - (pending.length % PCM_BYTES_PER_SAMPLE);
    const pcm = pending.subarray(0, Math.min(bytesLeft, whole));
    pending = pending.subarray(whole);
    if (pcm.length === 0) return;
    bytesLeft -= pcm.length;
    try {
      onChunk({ seq: seq++, pcm });
    } catch {
      capture.stop();
    }
    if (bytesLeft === 0) capture.stop();
  };
  const capture = startPulseSource(options.ffmpeg, options.device ?? DEFAULT_SOURCE, (bytes) => {
    if (bytesLeft === 0) return;
    pending = Buffer.concat([pending, bytes]);
    deliver();
  });
  return capture;
}
