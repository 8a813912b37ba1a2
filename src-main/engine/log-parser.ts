// Reads the FunASR server's startup log (glog lines on stderr, plus the ModelScope downloader's own output) as events:
// model downloads and their progress, exports, model paths, loading, readiness and fatal errors.
// "Failed to download model…" is not fatal by itself: offline, the server goes on with models already in the volume,
// and fails with "… do not exists." only when they are missing; it is kept as a warning for the error report. So is
// "GPU is not supported! CPU will be used!", logged at ERROR by a binary built without GPU code, which carries on.
// ModelScope's tqdm bars count in 1024-based units (unit_divisor=1024) although they print "M" and "G".

/** What one log line says about the engine's start. */
export type EngineLogEvent =
  | { type: 'download-start'; model: string }
  | { type: 'download-progress'; percent: number | null; doneBytes: number | null; totalBytes: number | null }
  | { type: 'download-failed'; message: string }
  | { type: 'warning'; message: string }
  | { type: 'export'; file: string }
  | { type: 'model-set'; flag: string; path: string }
  | { type: 'load'; path: string }
  | { type: 'ready'; port: number }
  | { type: 'fatal'; message: string };

const GLOG_PREFIX = /^[IWEF]\d{4,8} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [^\]]*\] ?/;
const UNIT_BYTES: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
const LOADER_ERROR = /error while loading shared libraries: ([^:\s]+)/;
const SIZE = String.raw`(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(?:i?B)?`;
const SIZE_PAIR = new RegExp(String.raw`${SIZE}\s*/\s*${SIZE}`);

/** The message part of a glog line (the line itself when it has no glog prefix). */
export function stripGlogPrefix(line: string): string {
  return line.replace(GLOG_PREFIX, '');
}

/** Bytes from a number and a unit letter as tqdm prints them (k, M, G; optional "B"/"iB"). */
function bytes(value: string, unit: string): number {
  return Math.round(Number(value) * (UNIT_BYTES[unit.toLowerCase()] ?? 1));
}

/** Download progress from tqdm-like lines ("Downloading [model.onnx]: 45%|███ | 105M/234M [...]" and similar). */
function parseProgress(text: string): EngineLogEvent | null {
  if (!/download/i.test(text) && !/\|[^|]*\|/.test(text)) return null;
  const percentMatch = /(\d+(?:\.\d+)?)%/.exec(text);
  const pair = SIZE_PAIR.exec(text);
  if (!percentMatch && !pair) return null;
  const doneBytes = pair ? bytes(pair[1] ?? '0', pair[2] ?? '') : null;
  const totalBytes = pair ? bytes(pair[3] ?? '0', pair[4] ?? '') : null;
  const percent = percentMatch
    ? Number(percentMatch[1])
    : totalBytes
      ? Math.min(100, ((doneBytes ?? 0) / totalBytes) * 100)
      : null;
  return { type: 'download-progress', percent, doneBytes, totalBytes };
}

/** The dynamic loader's refusal to start the server, in words a person can act on. */
function loaderFailure(library: string, text: string): string {
  return (
    `the server program cannot run because the library ${library} is not on its library path (${text}). ` +
    "FunASR's GPU server needs the libraries of torch and torch_blade, which FunScribe finds by asking the image's " +
    'python3; check that the image is a FunASR GPU runtime image (funasr-runtime-sdk-gpu-…).'
  );
}

/** Parses one log line; null when it says nothing about the start. */
export function parseLogLine(line: string): EngineLogEvent | null {
  const text = stripGlogPrefix(line.trim());
  let match: RegExpExecArray | null;
  if ((match = /asr model init finished\. listen on port:\s*(\d+)/.exec(text))) {
    return { type: 'ready', port: Number(match[1]) };
  }
  if ((match = LOADER_ERROR.exec(text)))
    return { type: 'fatal', message: loaderFailure(match[1] ?? '', text) };
  if (/GPU is not supported/.test(text)) return { type: 'warning', message: text };
  if (/ do not exists\.?$|^terminate called|Segmentation fault|core dumped/.test(text)) {
    return { type: 'fatal', message: text };
  }
  if (/^Failed to download model/.test(text)) return { type: 'download-failed', message: text };
  if ((match = /^Download model:\s*(\S+)\s+from modelscope/.exec(text))) {
    return { type: 'download-start', model: match[1] ?? '' };
  }
  if ((match = /model is not exist, begin to export\s*(.*)$/.exec(text))) {
    return { type: 'export', file: (match[1] ?? '').trim() };
  }
  if ((match = /^Set (\S+) : (.+)$/.exec(text)))
    return { type: 'model-set', flag: match[1] ?? '', path: match[2] ?? '' };
  if ((match = /Successfully load model from (.+)$/.exec(text))) {
    return { type: 'load', path: (match[1] ?? '').replace(/^<|>$/g, '') };
  }
  return parseProgress(text);
}

/** The last N lines of a log, kept for error reports. */
export class LogTail {
  private readonly lines: string[] = [];

  constructor(private readonly size = 30) {}

  /** Remembers one line, forgetting the oldest past the size. */
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }

  /** The kept lines, oldest first. */
  get(): string[] {
    return [...this.lines];
  }
}
