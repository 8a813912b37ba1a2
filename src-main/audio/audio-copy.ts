// The one compact copy of a meeting's audio kept for playback: Opus in WebM (which Chromium plays and seeks by range
// requests), encoded by ffmpeg from the decoded 16 kHz PCM, mono or stereo as decoded.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import { FunscribeError, throwIfAborted } from '../util/errors.js';
import type { FfmpegTools } from './ffmpeg-locate.js';
import { PCM_SAMPLE_RATE } from './pcm.js';
import { ffmpegFileArg, lastMeaningfulLine } from './run-tool.js';

/** The file name ending of an audio copy. */
export const AUDIO_COPY_EXTENSION = '.webm';

/** Opus bit rates: speech at 32 kbit/s for mono, 48 kbit/s for the two channels of a stereo call. */
const BITRATE = { 1: '32k', 2: '48k' } as const;

/**
 * libopus at its least effort (compression level 0, the 'audio' application): measured on one hour of speech, 4 s of
 * CPU instead of 20 s ('voip', level 5) or 39 s (the default 10), for a copy 15 % larger (13 MB an hour, mono).
 */
const ENCODER_OPTIONS = ['-application', 'audio', '-compression_level', '0'];

/** How many of ffmpeg's last stderr lines are kept to explain a failure. */
const STDERR_TAIL_LINES = 20;

/** The decoded audio a copy is made from: a 16 kHz s16le PCM file with one channel or two interleaved. */
export interface PcmSource {
  pcmPath: string;
  channels: 1 | 2;
}

/** Options of one copy: cancellation and a 0..1 progress callback. */
export interface AudioCopyOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** ffmpeg arguments that read raw PCM on stdin and write Opus in WebM to `path`, stopping at the first error. */
function encodeArgs(channels: 1 | 2, path: string): string[] {
  const pcmIn = ['-f', 's16le', '-ar', String(PCM_SAMPLE_RATE), '-ac', String(channels), '-i', 'pipe:0'];
  const opus = ['-c:a', 'libopus', '-b:a', BITRATE[channels], ...ENCODER_OPTIONS];
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-xerror',
    '-v',
    'error',
    '-y',
    ...pcmIn,
    ...opus,
    '-f',
    'webm',
    ffmpegFileArg(path),
  ];
}

/** Counts the bytes that pass through and reports them, a step of at least 1% at a time, as a fraction of `total`. */
function byteCounter(total: number, onProgress: ((fraction: number) => void) | undefined): Transform {
  let seen = 0;
  let reported = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      const fraction = total > 0 ? Math.min(1, seen / total) : 1;
      if (onProgress && fraction - reported >= 0.01) onProgress((reported = fraction));
      callback(null, chunk);
    },
  });
}

/** The error for an ffmpeg run that did not finish: DISK_FULL when the disk filled, else AUDIO_COPY_FAILED. */
function copyFailure(stderrTail: readonly string[], exit: string): FunscribeError {
  const why = lastMeaningfulLine(stderrTail) ?? exit;
  if (/No space left on device/i.test(why)) {
    return new FunscribeError(
      'DISK_FULL',
      'The disk is full: the audio copy for playback could not be written.',
      { params: { reason: 'audioCopy' } },
    );
  }
  return new FunscribeError('AUDIO_COPY_FAILED', `The audio copy for playback could not be made: ${why}`);
}

/** Streams the PCM file into one ffmpeg run and resolves when it has written its output. */
async function encode(
  tools: FfmpegTools,
  source: PcmSource,
  temp: string,
  options: AudioCopyOptions,
): Promise<void> {
  const { signal, onProgress } = options;
  const total = (await stat(source.pcmPath)).size;
  const child = spawn(tools.ffmpeg, encodeArgs(source.channels, temp), {
    stdio: ['pipe', 'ignore', 'pipe'],
    windowsHide: true,
  });
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
  });
  const exited = new Promise<string | null>((resolve) => {
    child.on('error', (error) => resolve(`could not start ffmpeg: ${error.message}`));
    // ffmpeg may exit 0 after failing to write its trailer (a full disk), so any error it printed fails the copy.
    child.on('close', (code, killSignal) =>
      resolve(
        code === 0 && stderrTail.length === 0 ? null : `ffmpeg exited with ${killSignal ?? `code ${code}`}`,
      ),
    );
  });
  const onAbort = () => child.kill('SIGKILL');
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // A feed that breaks because ffmpeg stopped early says less than ffmpeg's own exit, so the exit decides.
    const fed = pipeline(createReadStream(source.pcmPath), byteCounter(total, onProgress), child.stdin).catch(
      (error: unknown) => error,
    );
    const [feedError, exit] = await Promise.all([fed, exited]);
    throwIfAborted(signal);
    if (exit !== null) throw copyFailure(stderrTail, exit);
    if (feedError) throw feedError;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Writes the playback copy of `source` to `outPath` (under a temporary name, renamed when complete). Throws CANCELLED
 * on abort, DISK_FULL when the disk fills and AUDIO_COPY_FAILED when ffmpeg fails; nothing is left behind on error.
 */
export async function writeAudioCopy(
  tools: FfmpegTools,
  source: PcmSource,
  outPath: string,
  options: AudioCopyOptions = {},
): Promise<void> {
  throwIfAborted(options.signal);
  const temp = `${outPath}.partial`;
  try {
    await encode(tools, source, temp, options);
    await rename(temp, outPath);
    options.onProgress?.(1);
  } finally {
    await rm(temp, { force: true });
  }
}

/** A playback copy written in the background while a job goes on (see startAudioCopy). */
export interface AudioCopyTask {
  /** Waits for the copy to be complete, reporting its progress from where it is now; throws what it failed with. */
  finish(onProgress: (fraction: number) => void): Promise<void>;
  /** Stops the copy if it still runs and waits until ffmpeg has exited and the partial file is gone. */
  stop(): Promise<void>;
}

/**
 * Starts writeAudioCopy in the background, so the copy is made while the job transcribes instead of after it. It
 * stops when `signal` aborts or `stop()` is called; nothing it throws goes unhandled.
 */
export function startAudioCopy(
  tools: FfmpegTools,
  source: PcmSource,
  outPath: string,
  signal: AbortSignal,
): AudioCopyTask {
  const controller = new AbortController();
  const stopCopy = (): void => controller.abort();
  signal.addEventListener('abort', stopCopy, { once: true });
  let fraction = 0;
  let listener: ((fraction: number) => void) | null = null;
  const onProgress = (next: number): void => {
    fraction = next;
    listener?.(next);
  };
  const settled = writeAudioCopy(tools, source, outPath, { signal: controller.signal, onProgress })
    .then(
      () => null,
      (error: unknown) => ({ error }),
    )
    .finally(() => signal.removeEventListener('abort', stopCopy));
  return {
    async finish(report) {
      listener = report;
      report(fraction);
      const failure = await settled;
      if (failure) throw failure.error;
    },
    async stop() {
      controller.abort();
      await settled;
    },
  };
}
