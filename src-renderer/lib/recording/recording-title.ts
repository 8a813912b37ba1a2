// The title of a new recording in the interface language ("Recording 2026-12-04 16.29", "录音 2026年12月04日 16时29分"):
// main names the journal file and the meeting after it, so the catalog's wording has no character a file name may not
// hold (no colon between the hour and the minutes).
import type { Translate } from '../translate.js';

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/** The catalog's title `record.title` for a recording started at `at` (local time). */
export function recordingTitle(translate: Translate, at: Date): string {
  return translate('record.title', {
    values: {
      year: String(at.getFullYear()),
      month: twoDigits(at.getMonth() + 1),
      day: twoDigits(at.getDate()),
      hour: twoDigits(at.getHours()),
      minute: twoDigits(at.getMinutes()),
    },
  });
}
