// Decodes any input ffmpeg reads into the one 16 kHz mono s16le PCM file (plus stereo for two-channel input), in one ffmpeg run.
import { spawn } from 'node:child_process';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { DecodedAudio, MediaProbe } from '../api/types.js';
import { FunscribeError, throwIfAborted } from '../util/errors.js';
import type { FfmpegTools } from './ffmpeg-locate.js';
import { PCM_SAMPLE_RATE, pcmBytesToMs } from './pcm.js';
import { probeMedia } from './probe.js';
import { ffmpegFileArg, lastMeaningfulLine } from './run-tool.js';

/** Options of one decode: cancellation, a 0..1 progress callback, and a probe already made for this input. */
export interface DecodeOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  probe?: MediaProbe;
}

/** How many of ffmpeg's last stderr lines are kept to explain a failure. */
const STDERR_TAIL_LINES = 20;

/** ffmpeg arguments that write the first audio stream as 16 kHz s16le with `channels` channels to `path`. */
function pcmOutputArgs(channels: 1 | 2, path: string): string[] {
  const rate = String(PCM_SAMPLE_RATE);
  return [
    '-map',
    '0:a:0',
    '-ac',
    String(channels),
    '-ar',
    rate,
    '-c:a',
    'pcm_s16le',
    '-f',
    's16le',
    ffmpegFileArg(path),
  ];
}

/**
 * Decodes `inputPath` to `<outBase>.pcm` (16 kHz mono s16le, all channels mixed down) and, for two-channel input,
 * `<outBase>.stereo.pcm` (16 kHz interleaved stereo) in one streaming ffmpeg run. Files appear under their final
 * names only when complete. Throws CANCELLED on abort (partial files removed) and DECODE_FAILED when ffmpeg fails.
 */
export async function decodeToPcm(
  tools: FfmpegTools,
  inputPath: string,
  outBasePath: string,
  options: DecodeOptions = {},
): Promise<DecodedAudio> {
  const { signal, onProgress } = options;
  throwIfAborted(signal);
  const probe = options.probe ?? (await probeMedia(tools, inputPath, signal));
  const pcmPath = `${outBasePath}.pcm`;
  const stereoPcmPath = probe.channels === 2 ? `${outBasePath}.stereo.pcm` : null;
  const outputs = [pcmPath, ...(stereoPcmPath ? [stereoPcmPath] : [])].map((path) => ({
    path,
    temp: `${path}.partial`,
  }));
  await mkdir(dirname(outBasePath), { recursive: true });

  const args = ['-hide_banner', '-nostdin', '-nostats', '-v', 'error', '-progress', 'pipe:1', '-y'];
  args.push('-i', ffmpegFileArg(inputPath), '-vn', '-sn', '-dn', ...pcmOutputArgs(1, outputs[0]!.temp));
  if (outputs[1]) args.push(...pcmOutputArgs(2, outputs[1].temp));

  try {
    await runFfmpeg(tools.ffmpeg, args, inputPath, probe.durationMs, signal, onProgress);
    const bytes = (await stat(outputs[0]!.temp)).size;
    if (bytes === 0) {
      throw new FunscribeError(
        'DECODE_FAILED',
        `ffmpeg found no decodable audio in "${basename(inputPath)}".`,
      );
    }
    // The mono file is renamed last: once it exists under its final name, everything is complete.
    for (const output of [...outputs].reverse()) await rename(output.temp, output.path);
    onProgress?.(1);
    return { pcmPath, stereoPcmPath, durationMs: pcmBytesToMs(bytes), sampleRate: PCM_SAMPLE_RATE, probe };
  } finally {
    await Promise.all(outputs.map((output) => rm(output.temp, { force: true })));
  }
}

/** Runs ffmpeg to completion, reporting `-progress` output as a fraction of `durationMs`. */
function runFfmpeg(
  ffmpeg: string,
  args: string[],
  inputPath: string,
  durationMs: number,
  signal: AbortSignal | undefined,
  onProgress: ((fraction: number) => void) | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const stderrTail: string[] = [];
    let reported = 0;
    let startError: Error | null = null;

    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^out_time_(us|ms)=(\d+)$/.exec(line);
      if (!match || !onProgress || durationMs <= 0) return;
      // ffmpeg 5.x prints microseconds under both keys.
      const fraction = Math.min(1, Number(match[2]) / 1000 / durationMs);
      if (fraction > reported) onProgress((reported = fraction));
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
    });

    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    child.on('error', (error) => (startError = error));
    child.on('close', (code, killSignal) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return reject(new FunscribeError('CANCELLED', 'Cancelled.'));
      if (startError) {
        return reject(
          new FunscribeError('FFMPEG_NOT_FOUND', `Could not start "${ffmpeg}": ${startError.message}`, {
            cause: startError,
          }),
        );
      }
      // ffmpeg may even exit 0 after a failed write: any ENOSPC line means the output is incomplete.
      if (stderrTail.some((line) => /No space left on device/i.test(line))) {
        return reject(
          new FunscribeError(
            'DISK_FULL',
            `The disk is full: the decoded audio of "${basename(inputPath)}" could not be written. ` +
              'Free some space on the disk that holds the FunScribe data folder and try again.',
          ),
        );
      }
      if (code === 0) return resolve();
      const why =
        lastMeaningfulLine(stderrTail, inputPath) ?? `ffmpeg exited with ${killSignal ?? `code ${code}`}`;
      reject(new FunscribeError('DECODE_FAILED', `Could not decode "${basename(inputPath)}": ${why}`));
    });
  });
}
