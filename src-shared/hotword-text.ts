// FunASR's hotword text format, `<phrase> <weight>` one a line (the server's --hotword file), for import and export.
// Pure: the renderer offers a download of a list with it; the main process reads imports with FunASR's limits.
import type { Hotword } from './types.js';

/** Why a line of an imported hotword text was not taken (the renderer words it in the chosen language). */
export type HotwordLineReason =
  | 'no-weight'
  | 'weight-not-number'
  | 'weight-out-of-range'
  | 'empty'
  | 'control-characters'
  | 'starts-with-hash'
  | 'too-many-units'
  | 'too-many-characters'
  | 'duplicate'
  | 'too-many-hotwords';

/** One line of an import that was not taken: its number (from 1), why, and the main process's English message. */
export interface HotwordLineError {
  line: number;
  reason: HotwordLineReason;
  message: string;
}

/** What reading a hotword text gave: the hotwords of the lines that were valid, and one error per other line. */
export interface HotwordImport {
  hotwords: Hotword[];
  errors: HotwordLineError[];
}

/** A list as FunASR's hotword file: one `<phrase> <weight>` a line, ending with a line break (empty for none). */
export function hotwordsToText(hotwords: readonly Hotword[]): string {
  return hotwords.map(({ phrase, weight }) => `${phrase} ${weight}\n`).join('');
}
