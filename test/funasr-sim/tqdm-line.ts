// Progress lines shaped like the tqdm bars ModelScope prints while downloading a model file
// (`unit='B', unit_scale=True, unit_divisor=1024`, default 10-cell bar), one complete line per update.

const BAR_CELLS = 10;
const PARTIAL = ' ▏▎▍▌▋▊▉█';
const UNITS = ['', 'k', 'M', 'G', 'T'];

/** tqdm's short size: three significant figures and a unit letter, dividing by 1024 (e.g. `105M`, `1.70M`). */
export function formatSize(bytes: number): string {
  let value = bytes;
  for (const unit of UNITS) {
    if (Math.abs(value) < 999.5) {
      if (Math.abs(value) < 99.95) return `${value.toFixed(Math.abs(value) < 9.995 ? 2 : 1)}${unit}`;
      return `${value.toFixed(0)}${unit}`;
    }
    value /= 1024;
  }
  return `${value.toFixed(1)}P`;
}

/** tqdm's interval: `mm:ss`, or `h:mm:ss` from one hour on. */
export function formatInterval(seconds: number): string {
  const whole = Math.floor(seconds);
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor(whole / 60) % 60, whole % 60];
  const two = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** The 10-cell bar with eighth-block partial cells, e.g. `████▌     ` for 45 %. */
function bar(fraction: number): string {
  const eighths = Math.floor(fraction * BAR_CELLS * 8);
  const full = Math.floor(eighths / 8);
  if (full >= BAR_CELLS) return '█'.repeat(BAR_CELLS);
  return '█'.repeat(full) + (PARTIAL[eighths % 8] ?? ' ') + ' '.repeat(BAR_CELLS - full - 1);
}

/** State of one file download at one moment. */
export interface DownloadTick {
  file: string;
  doneBytes: number;
  totalBytes: number;
  elapsedSeconds: number;
}

/**
 * One progress line, e.g. `Downloading [model_quant.onnx]:  45%|████▌     | 105M/234M [00:01<00:01, 98.1MB/s]`;
 * at 0 bytes the rate and remaining time are unknown: `  0%|          | 0.00/234M [00:00<?, ?B/s]`.
 */
export function tqdmLine(tick: DownloadTick): string {
  const fraction = tick.totalBytes > 0 ? Math.min(1, tick.doneBytes / tick.totalBytes) : 1;
  const percent = String(Math.round(fraction * 100)).padStart(3, ' ');
  const rate = tick.elapsedSeconds > 0 ? tick.doneBytes / tick.elapsedSeconds : 0;
  const timing =
    rate > 0
      ? `${formatInterval(tick.elapsedSeconds)}<${formatInterval((tick.totalBytes - tick.doneBytes) / rate)}, ${formatSize(rate)}B/s`
      : `${formatInterval(tick.elapsedSeconds)}<?, ?B/s`;
  const amount = `${formatSize(tick.doneBytes)}/${formatSize(tick.totalBytes)}`;
  return `Downloading [${tick.file}]: ${percent}%|${bar(fraction)}| ${amount} [${timing}]`;
}
