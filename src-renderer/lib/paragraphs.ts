// How a transcript is laid out: consecutive sentences of one speaker form a paragraph under one name and one time,
// and a long paragraph is cut into rows of a few sentences so that a virtualised list only renders what is on screen.
import type { SlimSegment } from '../../src-shared/types.js';

/** The sentences of one row: `segments[first..end)` of the meeting, all of one speaker. */
export interface TranscriptRow {
  /** A key stable while the row's first sentence stays the same. */
  key: number;
  speakerId: number | null;
  /** Index of the row's first sentence in the meeting's segments. */
  first: number;
  /** Index after the row's last sentence. */
  end: number;
  /** True for a paragraph's first row, which shows the speaker's name and the paragraph's time. */
  opensParagraph: boolean;
}

/** Who speaks in a row: the user's name, else the number the label "Speaker N" is rendered from. */
export interface RowSpeaker {
  name: string | null;
  number: number;
}

/** At most this many sentences share a row; a longer paragraph continues on the next row without a heading. */
export const SENTENCES_PER_ROW = 6;

/** A paragraph also ends at a silence this long (ms), as a new topic usually starts there. */
export const PARAGRAPH_PAUSE_MS = 30_000;

type Sentence = Pick<SlimSegment, 'id' | 'speakerId' | 'startMs' | 'endMs'>;

/** True when `next` starts a new paragraph after `previous`: another speaker, or a long silence. */
function startsParagraph(previous: Sentence | undefined, next: Sentence): boolean {
  return (
    previous === undefined ||
    previous.speakerId !== next.speakerId ||
    next.startMs - previous.endMs >= PARAGRAPH_PAUSE_MS
  );
}

/** The rows of a transcript: one per paragraph, or several for a paragraph of more than `perRow` sentences. */
export function transcriptRows(
  segments: readonly Sentence[],
  perRow: number = SENTENCES_PER_ROW,
): TranscriptRow[] {
  const rows: TranscriptRow[] = [];
  segments.forEach((segment, index) => {
    const opensParagraph = startsParagraph(segments[index - 1], segment);
    const last = rows.at(-1);
    if (!opensParagraph && last && last.end - last.first < perRow) {
      last.end = index + 1;
      return;
    }
    rows.push({
      key: segment.id,
      speakerId: segment.speakerId,
      first: index,
      end: index + 1,
      opensParagraph,
    });
  });
  return rows;
}

/** The index of the row holding sentence `segmentIndex` (rows in order, covering every sentence). */
export function rowOfSegment(rows: readonly TranscriptRow[], segmentIndex: number): number {
  let low = 0;
  let high = rows.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (rows[middle]!.first <= segmentIndex) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The index of the sentence being played at `ms`: the last one starting at or before it, or -1 before the first. */
export function segmentAtTime(segments: readonly Pick<SlimSegment, 'startMs'>[], ms: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (segments[middle]!.startMs <= ms) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** The colour variable of a speaker number: the ten `--speaker-N` colours in turn, stable per number. */
export function speakerColour(number: number): string {
  return `var(--speaker-${(((number - 1) % 10) + 10) % 10})`;
}
