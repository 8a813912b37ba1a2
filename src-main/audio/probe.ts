// Says what an input file holds (format, duration, audio stream) before it is decoded, with a clear error when it is unusable.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { MediaProbe } from '../../src-shared/types.js';
import { FunscribeError } from '../util/errors.js';
import type { FfmpegTools } from './ffmpeg-locate.js';
import { parseFfmpegBanner, parseFfprobeJson, type ParsedProbe } from './probe-parse.js';
import { ffmpegFileArg, lastMeaningfulLine, runTool } from './run-tool.js';

/** Throws FILE_NOT_FOUND, NOT_A_FILE or EMPTY_FILE unless `path` is a regular file with at least one byte. */
export async function checkInputFile(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new FunscribeError('FILE_NOT_FOUND', `The file "${path}" does not exist.`, {
        cause: error,
        params: { reason: 'missing', file: basename(path) },
      });
    }
    throw new FunscribeError(
      'FILE_NOT_FOUND',
      `The file "${path}" cannot be opened (${code ?? 'unknown error'}).`,
      {
        cause: error,
        params: { reason: 'unopenable', file: basename(path), systemCode: code ?? '?' },
      },
    );
  }
  if (info.isDirectory())
    throw new FunscribeError('NOT_A_FILE', `"${path}" is a folder, not an audio or video file.`, {
      params: { reason: 'folder', file: basename(path) },
    });
  if (!info.isFile()) {
    throw new FunscribeError('NOT_A_FILE', `"${path}" is not a regular file.`, {
      params: { reason: 'special', file: basename(path) },
    });
  }
  if (info.size === 0) {
    throw new FunscribeError('EMPTY_FILE', `The file "${path}" is empty (0 bytes).`, {
      params: { reason: 'empty', file: basename(path) },
    });
  }
}

/**
 * Describes the media in `path` with ffprobe, or from ffmpeg's input banner when there is no ffprobe. Throws
 * FILE_NOT_FOUND / NOT_A_FILE / EMPTY_FILE, UNREADABLE_MEDIA when ffmpeg cannot read it, NO_AUDIO_STREAM when it has no sound.
 */
export async function probeMedia(
  tools: FfmpegTools,
  path: string,
  signal?: AbortSignal,
): Promise<MediaProbe> {
  await checkInputFile(path);
  const { parsed, detail } = tools.ffprobe
    ? await runFfprobe(tools.ffprobe, path, signal)
    : await runFfmpegBanner(tools.ffmpeg, path, signal);
  if (!parsed || parsed.streamCount === 0) {
    const reason = detail ? ` (ffmpeg says: ${detail})` : '';
    throw new FunscribeError(
      'UNREADABLE_MEDIA',
      `"${basename(path)}" is not an audio or video file ffmpeg can read${reason}.`,
      { params: { reason: 'unreadable', file: basename(path) } },
    );
  }
  if (!parsed.audio) {
    const what = parsed.hasVideo ? 'a video without a sound track' : 'a media file without a sound track';
    throw new FunscribeError(
      'NO_AUDIO_STREAM',
      `"${basename(path)}" has no audio to transcribe: it is ${what}.`,
      { params: { reason: 'noAudio', file: basename(path) } },
    );
  }
  return {
    path,
    format: parsed.format,
    durationMs: parsed.durationMs,
    hasAudio: true,
    hasVideo: parsed.hasVideo,
    codec: parsed.audio.codec,
    channels: parsed.audio.channels,
    sampleRate: parsed.audio.sampleRate,
  };
}

interface ProbeRun {
  parsed: ParsedProbe | null;
  detail: string | null;
}

async function runFfprobe(ffprobe: string, path: string, signal?: AbortSignal): Promise<ProbeRun> {
  const args = [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    '-i',
    ffmpegFileArg(path),
  ];
  const out = await runOrExplain(ffprobe, args, signal);
  return {
    parsed: out.exitCode === 0 ? parseFfprobeJson(out.stdout) : null,
    detail: lastMeaningfulLine(out.stderr, path),
  };
}

async function runFfmpegBanner(ffmpeg: string, path: string, signal?: AbortSignal): Promise<ProbeRun> {
  const out = await runOrExplain(ffmpeg, ['-hide_banner', '-nostdin', '-i', ffmpegFileArg(path)], signal);
  return { parsed: parseFfmpegBanner(out.stderr), detail: lastMeaningfulLine(out.stderr, path) };
}

/** Runs the tool; a program that cannot be started becomes FFMPEG_NOT_FOUND naming it. */
async function runOrExplain(program: string, args: string[], signal?: AbortSignal) {
  try {
    return await runTool(program, args, { signal });
  } catch (error) {
    if (error instanceof FunscribeError) throw error;
    throw new FunscribeError(
      'FFMPEG_NOT_FOUND',
      `Could not start "${program}": ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
