// Time formatting for transcripts and subtitles. Every function clamps negative, NaN or infinite input to 0.

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;

/** A whole, non-negative number of milliseconds: negative, NaN and infinite values become 0, fractions are floored. */
export function clampMs(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Splits a millisecond count into hours (unbounded), minutes, seconds and milliseconds. */
function parts(ms: number): { h: number; m: number; s: number; milli: number } {
  const total = clampMs(ms);
  return {
    h: Math.floor(total / MS_PER_HOUR),
    m: Math.floor((total % MS_PER_HOUR) / MS_PER_MINUTE),
    s: Math.floor((total % MS_PER_MINUTE) / MS_PER_SECOND),
    milli: total % MS_PER_SECOND,
  };
}

/** `hh:mm:ss`, seconds floored; hours always shown and grow past 24 (`25:00:00`). */
export function formatClock(ms: number): string {
  const { h, m, s } = parts(ms);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`;
}

/** SubRip timestamp `hh:mm:ss,mmm`. */
export function formatSrtTime(ms: number): string {
  return `${formatClock(ms)},${pad(parts(ms).milli, 3)}`;
}

/** WebVTT timestamp `hh:mm:ss.mmm` (hours always shown). */
export function formatVttTime(ms: number): string {
  return `${formatClock(ms)}.${pad(parts(ms).milli, 3)}`;
}

/** A duration for people, rounded to the second: `1 h 05 min`, `3 min 12 s`, `45 s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(clampMs(ms) / MS_PER_SECOND);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${pad(m, 2)} min`;
  if (m > 0) return `${m} min ${pad(s, 2)} s`;
  return `${s} s`;
}

/** A calendar date and time `YYYY-MM-DD HH:mm` of an epoch-ms instant, in `timeZone` (IANA name) or the local zone. */
export function formatDateTime(epochMs: number, timeZone?: string): string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const field = new Map(format.formatToParts(new Date(clampMs(epochMs))).map((p) => [p.type, p.value]));
  return `${field.get('year')}-${field.get('month')}-${field.get('day')} ${field.get('hour')}:${field.get('minute')}`;
}
