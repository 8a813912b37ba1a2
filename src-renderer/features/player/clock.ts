// Times the player shows, in the interface language: a clock (0:42, 12:05, 1:02:03) and the words a screen reader says.

/** Intl.DurationFormat (Chromium 129+), not yet in TypeScript's library. */
interface DurationFormatter {
  format(duration: { hours: number; minutes: number; seconds: number }): string;
}
type DurationFormatConstructor = new (locale: string, options: { style: 'long' }) => DurationFormatter;

const spoken = new Map<string, DurationFormatter>();
const digits = new Map<string, { plain: Intl.NumberFormat; padded: Intl.NumberFormat }>();

/** Whole hours, minutes and seconds of `ms` (not below 0). */
function parts(ms: number): { hours: number; minutes: number; seconds: number } {
  const total = Math.max(0, Math.floor(ms / 1000));
  return { hours: Math.floor(total / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60 };
}

/** A position as a clock with the digits of `locale`: minutes unpadded under an hour, as media players show it. */
export function formatClock(ms: number, locale: string): string {
  let format = digits.get(locale);
  if (!format) {
    format = {
      plain: new Intl.NumberFormat(locale, { useGrouping: false }),
      padded: new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false }),
    };
    digits.set(locale, format);
  }
  const { hours, minutes, seconds } = parts(ms);
  const { plain, padded } = format;
  if (hours === 0) return `${plain.format(minutes)}:${padded.format(seconds)}`;
  return `${plain.format(hours)}:${padded.format(minutes)}:${padded.format(seconds)}`;
}

/** A position in words in `locale` ("1 minute, 5 seconds"), for screen readers. */
export function formatSpokenTime(ms: number, locale: string): string {
  let format = spoken.get(locale);
  if (!format) {
    const DurationFormat = (Intl as unknown as { DurationFormat: DurationFormatConstructor }).DurationFormat;
    format = new DurationFormat(locale, { style: 'long' });
    spoken.set(locale, format);
  }
  return format.format(parts(ms));
}
