// Turns what ffprobe (JSON) or ffmpeg (its input banner on stderr) prints about a file into stream facts. Pure.

/** The facts read from a tool's output, before the file-level checks decide what is an error. */
export interface ParsedProbe {
  format: string;
  durationMs: number;
  hasVideo: boolean;
  audio: { codec: string | null; channels: number; sampleRate: number } | null;
  streamCount: number;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  channels?: number;
  sample_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
}

interface FfprobeOutput {
  format?: { format_name?: string; duration?: string };
  streams?: FfprobeStream[];
}

/** Reads `ffprobe -print_format json -show_format -show_streams` output; null when it is not that JSON. */
export function parseFfprobeJson(json: string): ParsedProbe | null {
  let data: FfprobeOutput;
  try {
    data = JSON.parse(json) as FfprobeOutput;
  } catch {
    return null;
  }
  if (!data.format) return null;
  const streams = data.streams ?? [];
  const audio = streams.find((s) => s.codec_type === 'audio');
  const seconds = Number(data.format.duration ?? audio?.duration);
  return {
    format: data.format.format_name ?? 'unknown',
    durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : 0,
    hasVideo: streams.some((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1),
    audio: audio
      ? {
          codec: audio.codec_name ?? null,
          channels: audio.channels ?? 0,
          sampleRate: Number(audio.sample_rate) || 0,
        }
      : null,
    streamCount: streams.length,
  };
}

/** Channel counts of ffmpeg's named layouts that are not written as "N.M". */
const NAMED_LAYOUTS: Record<string, number> = {
  mono: 1,
  stereo: 2,
  downmix: 2,
  quad: 4,
  hexagonal: 6,
  octagonal: 8,
  hexadecagonal: 16,
};

/** Channel count of an ffmpeg layout description: "mono", "stereo", "5.1(side)", "7.1", "6 channels"; 0 if unknown. */
export function channelsFromLayout(layout: string): number {
  const text = layout.trim().replace(/\(.*\)$/, '');
  const counted = /^(\d+) channels$/.exec(text);
  if (counted) return Number(counted[1]);
  const dotted = /^(\d+)\.(\d+)$/.exec(text);
  if (dotted) return Number(dotted[1]) + Number(dotted[2]);
  return NAMED_LAYOUTS[text] ?? 0;
}

/** Reads the "Input #0 …" banner that `ffmpeg -hide_banner -i <file>` prints; null when ffmpeg could not open the file. */
export function parseFfmpegBanner(stderr: string): ParsedProbe | null {
  const input = /^Input #0, (.+?), from '/m.exec(stderr);
  if (!input) return null;
  const duration = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(stderr);
  const durationMs = duration
    ? Math.round((Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3])) * 1000)
    : 0;
  const streams = [...stderr.matchAll(/^\s*Stream #0:\d+\S*: (\w+): (.*)$/gm)];
  const audioLine = streams.find((m) => m[1] === 'Audio')?.[2];
  return {
    format: input[1] ?? 'unknown',
    durationMs,
    hasVideo: streams.some((m) => m[1] === 'Video' && !m[2]?.includes('(attached pic)')),
    audio: audioLine === undefined ? null : parseAudioStreamLine(audioLine),
    streamCount: streams.length,
  };
}

/** "aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 128 kb/s" → codec, channels, sample rate. */
function parseAudioStreamLine(line: string): NonNullable<ParsedProbe['audio']> {
  const rate = /(\d+) Hz, ([^,]+)/.exec(line);
  return {
    codec: /^(\w+)/.exec(line)?.[1] ?? null,
    channels: rate?.[2] ? channelsFromLayout(rate[2]) : 0,
    sampleRate: rate ? Number(rate[1]) : 0,
  };
}
