// Headless capture on Linux: ffmpeg's PulseAudio input (PipeWire serves it too) gives 16 kHz s16le on its stdout, a
// microphone alone or the microphone left and the default output's monitor (what the computer plays) right.
import { spawn } from 'node:child_process';
import { PCM_SAMPLE_RATE } from '../audio/pcm.js';
import { lastMeaningfulLine } from '../audio/run-tool.js';
import type { RecordingChunk } from './recording-session.js';

/** The PulseAudio source of the default output's monitor: what the computer plays. */
export const SYSTEM_AUDIO_SOURCE = '@DEFAULT_MONITOR@';

/** The PulseAudio source recorded when no device is named. */
export const DEFAULT_SOURCE = 'default';

/** How long ffmpeg may take to stop once asked, in ms, before it is killed. */
export const CAPTURE_STOP_DEADLINE_MS = 5000;

/** What to capture. */
export interface PulseCaptureOptions {
  ffmpeg: string;
  /** The PulseAudio source of the microphone (default: the default source). */
  device?: string;
  /** Add what the computer plays as a second channel (the microphone left, the system audio right). */
  systemAudio: boolean;
  /** Stop after this many seconds of audio (counted in samples: ffmpeg's -t counts PulseAudio's clock, which runs ahead). */
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

/** A running capture. */
export interface PulseCapture {
  /** Ends the capture: ffmpeg is asked to stop (what it has is still delivered), and killed after a deadline. */
  stop(): void;
  /** Resolves once ffmpeg has exited and every chunk was delivered. */
  readonly ended: Promise<CaptureEnd>;
}

/** One PulseAudio input at 16 kHz mono. */
function pulseInput(source: string): string[] {
  return ['-f', 'pulse', '-sample_rate', String(PCM_SAMPLE_RATE), '-channels', '1', '-i', source];
}

/** ffmpeg's arguments for a capture to raw s16le on stdout. */
export function pulseCaptureArgs(options: Omit<PulseCaptureOptions, 'ffmpeg' | 'durationS'>): string[] {
  const microphone = pulseInput(options.device ?? DEFAULT_SOURCE);
  const mono = `aresample=${PCM_SAMPLE_RATE},aformat=sample_fmts=s16:channel_layouts=mono`;
  const inputs = options.systemAudio
    ? [
        ...microphone,
        ...pulseInput(SYSTEM_AUDIO_SOURCE),
        '-filter_complex',
        `[0:a]${mono}[mic];[1:a]${mono}[system];[mic][system]amerge=inputs=2[out]`,
        '-map',
        '[out]',
      ]
    : [...microphone, '-af', mono];
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    ...inputs,
    '-ac',
    options.systemAudio ? '2' : '1',
    '-ar',
    String(PCM_SAMPLE_RATE),
    '-f',
    's16le',
    '-acodec',
    'pcm_s16le',
    'pipe:1',
  ];
}

/**
 * Starts ffmpeg and hands `onChunk` whole frames, numbered from 0, as they come. An error thrown by `onChunk` (the
 * disk is full) stops the capture.
 */
export function startPulseCapture(
  options: PulseCaptureOptions,
  onChunk: (chunk: RecordingChunk) => void,
): PulseCapture {
  const frame = options.systemAudio ? 4 : 2;
  const child = spawn(options.ffmpeg, pulseCaptureArgs(options), {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches FunScribe, which stops ffmpeg after the last chunk.
    detached: true,
  });
  let requested = false;
  let seq = 0;
  let bytesLeft =
    options.durationS === undefined ? Infinity : Math.round(options.durationS * PCM_SAMPLE_RATE) * frame;
  let carry = Buffer.alloc(0);
  let stderr = '';
  let killer: NodeJS.Timeout | null = null;
  const stop = (): void => {
    if (requested || child.exitCode !== null || child.signalCode !== null) return;
    requested = true;
    child.kill('SIGINT');
    killer = setTimeout(() => child.kill('SIGKILL'), CAPTURE_STOP_DEADLINE_MS);
  };
  child.stdout.on('data', (data: Buffer) => {
    if (bytesLeft === 0) return;
    const bytes = carry.length > 0 ? Buffer.concat([carry, data]) : data;
    const whole = Math.min(bytesLeft, bytes.length - (bytes.length % frame));
    carry = Buffer.from(bytes.subarray(whole));
    if (whole === 0) return;
    bytesLeft -= whole;
    try {
      onChunk({ seq: seq++, pcm: bytes.subarray(0, whole) });
    } catch {
      stop();
    }
    if (bytesLeft === 0) stop();
  });
  child.stderr.on('data', (data: Buffer) => {
    stderr = (stderr + data.toString()).slice(-4000);
  });
  const ended = new Promise<CaptureEnd>((resolve) => {
    let spawnError: Error | null = null;
    child.once('error', (error) => (spawnError = error));
    child.once('close', (exitCode) => {
      if (killer) clearTimeout(killer);
      resolve({
        requested,
        exitCode,
        message: spawnError?.message ?? lastMeaningfulLine(stderr),
      });
    });
  });
  return { stop, ended };
}
