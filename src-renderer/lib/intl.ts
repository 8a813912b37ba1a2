// Dates and durations in the interface language (Intl), for lists and headings; exports keep src-shared/time.ts.
import { clampMs } from '../../src-shared/time.js';

/** Intl.DurationFormat (Chromium 129+), not yet in TypeScript's ES2023 library. */
interface DurationFormatter {
  format(duration: { hours?: number; minutes?: number; seconds?: number }): string;
}
type DurationFormatConstructor = new (
  locale: string,
  options: { style: 'narrow' | 'short' | 'long' },
) => DurationFormatter;

const durationFormatters = new Map<string, DurationFormatter>();
const dateFormatters = new Map<string, Intl.DateTimeFormat>();

function durationFormatter(locale: string): DurationFormatter {
  let formatter = durationFormatters.get(locale);
  if (!formatter) {
    const DurationFormat = (Intl as unknown as { DurationFormat: DurationFormatConstructor }).DurationFormat;
    formatter = new DurationFormat(locale, { style: 'short' });
    durationFormatters.set(locale, formatter);
  }
  return formatter;
}

/** A meeting's length for people in `locale`: hours and minutes, or minutes and seconds under ten minutes. */
export function formatLength(ms: number, locale: string): string {
  const seconds = Math.round(clampMs(ms) / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return durationFormatter(locale).format({ hours, minutes });
  if (minutes >= 10) return durationFormatter(locale).format({ minutes });
  return durationFormatter(locale).format({ minutes, seconds: seconds % 60 });
}

/** When a meeting took place, in `locale`: the date (with the year when it is not this year) and the time. */
export function formatMeetingDate(epochMs: number, locale: string, now: number = Date.now()): string {
  const thisYear = new Date(epochMs).getFullYear() === new Date(now).getFullYear();
  const key = `${locale}|${thisYear}`;
  let formatter = dateFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, {
      year: thisYear ? undefined : 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    dateFormatters.set(key, formatter);
  }
  return formatter.format(epochMs);
}
