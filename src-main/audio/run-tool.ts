// Runs ffmpeg or ffprobe once (never through a shell) and collects its output, whatever its exit code.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { FunscribeError } from '../util/errors.js';

/** What a finished tool run printed and how it exited. */
export interface ToolOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Output above this size is a fault of the tool, not something to keep in memory. */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/**
 * Runs `file args` and resolves with its output even when it exits non-zero. Rejects when the program cannot be
 * started (the Node error, with its `code` such as ENOENT) or with FunscribeError CANCELLED when the signal aborts.
 */
export function runTool(
  file: string,
  args: readonly string[],
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<ToolOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        encoding: 'utf8',
        maxBuffer: MAX_OUTPUT_BYTES,
        windowsHide: true,
        timeout: options.timeoutMs ?? 0,
        signal: options.signal,
      },
      (error, stdout, stderr) => {
        if (options.signal?.aborted) {
          reject(new FunscribeError('CANCELLED', 'Cancelled.', { cause: error }));
        } else if (error && typeof error.code !== 'number') {
          reject(error);
        } else {
          resolve({ exitCode: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
        }
      },
    );
  });
}

/** stderr lines that close or annotate an ffmpeg failure without saying what went wrong. */
const NOISE_LINE = /^(Conversion failed!?|At least one output file must be specified|To ignore this, .*)$/;

/**
 * The last non-empty line of a tool's stderr that says what went wrong (not ffmpeg's closing "Conversion failed!" or hints),
 * without the "file:<inputPath>: " prefix ffmpeg puts before errors about the input.
 */
export function lastMeaningfulLine(stderr: string | readonly string[], inputPath?: string): string | null {
  const lines = typeof stderr === 'string' ? stderr.split(/\r?\n/) : stderr;
  const prefix = inputPath === undefined ? null : `${ffmpegFileArg(inputPath)}: `;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]?.trim() ?? '';
    if (line && !NOISE_LINE.test(line)) {
      return prefix && line.startsWith(prefix) ? line.slice(prefix.length) : line;
    }
  }
  return null;
}

/** A file path as an ffmpeg argument: `file:` + absolute path, so names with ':' or a leading '-' stay plain files. */
export function ffmpegFileArg(path: string): string {
  return `file:${resolve(path)}`;
}
