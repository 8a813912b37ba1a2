// Live captions on stderr during `funscribe record --live`. On a terminal the provisional text is rewritten in place
// (dim, its end when it is wider than the terminal) and each sentence replaces it on a line of its own with its time in
// the recording; elsewhere (a pipe, a log) only the sentences are printed, one line each. Changes of the captions'
// state (no server, server lost, back) are told on a line of their own. Server text arrives as one line without
// control characters (asr/protocol.ts), so it cannot drive the terminal.
import type { ApiEventMap, CaptionSentence } from '../../src-shared/contract.js';
import { formatClock } from '../../src-shared/time.js';
import type { RecordingEventListener } from '../recording/live-recordings.js';

/** Erases the terminal's current line. */
const CLEAR_LINE = '\r\x1b[2K';
const DIM = '\x1b[2m';
const NORMAL = '\x1b[0m';

/** Where captions are printed: a stream that may be a terminal. */
export interface CaptionOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Prints captions as they come; `close` clears a provisional line still shown. */
export interface CaptionPrinter {
  onEvent: RecordingEventListener;
  close(): void;
}

/** Columns a character takes on a terminal: 2 for CJK ideographs, kana, hangul and full-width forms, else 1. */
function columnsOf(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  const wide =
    (code >= 0x2e80 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xff00 && code <= 0xff60) ||
    code >= 0x20000;
  return wide ? 2 : 1;
}

/** The end of `text` that fits in `columns` terminal columns. */
export function tailThatFits(text: string, columns: number): string {
  const chars = [...text];
  let used = 0;
  let start = chars.length;
  while (start > 0 && used + columnsOf(chars[start - 1]!) <= columns) used += columnsOf(chars[--start]!);
  return chars.slice(start).join('');
}

/** A sentence's line: its start in the recording, then its text. */
export function sentenceLine(sentence: CaptionSentence): string {
  return sentence.startMs === null ? sentence.text : `[${formatClock(sentence.startMs)}] ${sentence.text}`;
}

/** The line telling a change of state, or null for none worth a line. */
function stateLine(change: ApiEventMap['recording:captions-state'], wasLive: boolean): string | null {
  if (change.state === 'live') return wasLive ? 'Live captions are back.' : 'Live captions on.';
  if (change.state === 'reconnecting')
    return `Live captions lost their server (${change.error?.message ?? 'no answer'}); trying again. The recording goes on.`;
  if (change.state === 'unavailable') return `funscribe: ${change.error?.message ?? 'no live captions.'}`;
  return null;
}

/** A printer of live captions to `out`. */
export function captionPrinter(out: CaptionOutput): CaptionPrinter {
  const tty = out.isTTY === true;
  let shown = false;
  let wasLive = false;
  const line = (text: string): void => {
    out.write(`${tty && shown ? CLEAR_LINE : ''}${text}\n`);
    shown = false;
  };
  const onEvent: RecordingEventListener = (event, payload) => {
    if (event === 'recording:captions-state') {
      const change = payload as ApiEventMap['recording:captions-state'];
      const text = stateLine(change, wasLive);
      wasLive ||= change.state === 'live';
      if (text) line(text);
      return;
    }
    if (event !== 'recording:caption') return;
    const update = payload as ApiEventMap['recording:caption'];
    if (update.sentence) line(sentenceLine(update.sentence));
    else if (tty) {
      const width = Math.max(10, (out.columns ?? 80) - 1);
      out.write(`${CLEAR_LINE}${DIM}${tailThatFits(update.provisional, width)}${NORMAL}`);
      shown = update.provisional !== '';
    }
  };
  return {
    onEvent,
    close() {
      if (tty && shown) out.write(CLEAR_LINE);
      shown = false;
    },
  };
}
