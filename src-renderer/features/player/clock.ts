// Times the player shows, in the interface language: a clock (1:05 or 1:02:03) and the words a screen reader says.

/** Intl.DurationFormat (Chromium 129+), not yet in TypeScript's library. */
interface DurationFormatter {
  format(duration: { hours: number; minutes: number; seconds: number }): string;
}
type DurationFormatConstructor = new (
  locale: string,
  options: { style: 'digital' | 'long'; hoursDisplay?: 'auto' | 'always' },
) => DurationFormatter;

const formatters = new Map<string, DurationFormatter>();

function formatter(locale: string, style: 'digital' | 'long'): DurationFormatter {
  const key = `${locale}|${style}`;
  let found = formatters.get(key);
  if (!found) {
    const DurationFormat = (Intl as unknown as { DurationFormat: DurationFormatConstructor }).DurationFormat;
    found = new DurationFormat(locale, { style, hoursDisplay: 'auto' });
    formatters.set(key, found);
  }
  return found;
}

/** Whole hours, minutes and seconds of `ms` (not below 0). */
function parts(ms: number): { hours: number; minutes: number; seconds: number } {
  const total = Math.max(0, Math.floor(ms / 1000));
  return { hours: Math.floor(total / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60 };
}

/** A position as a clock in `locale`: 0:42, 12:05, 1:02:03. */
export function formatClock(ms: number, locale: string): string {
  return formatter(locale, 'digital').format(parts(ms));
}

/** A position in words in `locale` ("1 minute, 5 seconds"), for screen readers. */
export function formatSpokenTime(ms: number, locale: string): string {
  return formatter(locale, 'long').format(parts(ms));
}
