// Checks of audio copies shared by the audio, job and CLI tests: what ffprobe reads in a file, and an ffmpeg without
// an Opus encoder (a real ffmpeg behind a wrapper that refuses libopus the way such a build does).
import { execFile } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What ffprobe reads in a media file: the first stream's codec and channels, the container and the duration. */
export interface ProbedCopy {
  codec: string;
  channels: number;
  format: string;
  ms: number;
}

/** Runs ffprobe on `path`. */
export async function probeCopy(path: string): Promise<ProbedCopy> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', path];
  const info = JSON.parse((await run('ffprobe', args)).stdout) as {
    streams: { codec_name: string; channels: number }[];
    format: { format_name: string; duration: string };
  };
  return {
    codec: info.streams[0]!.codec_name,
    channels: info.streams[0]!.channels,
    format: info.format.format_name,
    ms: Number(info.format.duration) * 1000,
  };
}

/** Writes an executable `ffmpeg-without-opus` in `dir` that fails as an ffmpeg built without libopus; returns it. */
export async function ffmpegWithoutOpus(dir: string): Promise<string> {
  const path = join(dir, 'ffmpeg-without-opus');
  const script = `#!/bin/sh\ncase "$*" in *libopus*) echo "Unknown encoder 'libopus'" >&2; exit 1;; esac\nexec ffmpeg "$@"\n`;
  await writeFile(path, script);
  await chmod(path, 0o755);
  return path;
}
