// Turning labelled pieces into the speakers and segments of a meeting to store.
import type { NewMeeting, Sentence } from '../../../src-shared/types.js';
import { segmentsFromPieces } from './segment-builder.js';

/** The automatic label of the n-th speaker (0-based) as users see it. */
export function speakerLabel(index: number): string {
  return `Speaker ${index + 1}`;
}

/**
 * Speakers "Speaker 1…K" and the segments of a meeting: pieces cut at speaker changes and joined into sentences per
 * speaker (`labels[i]`: the speakers of piece i's tokens, 0-based and dense).
 */
export function meetingSpeakers(
  pieces: Sentence[],
  labels: number[][],
): Pick<NewMeeting, 'speakers' | 'segments'> {
  const segments = segmentsFromPieces(pieces, labels);
  const count = segments.reduce((max, segment) => Math.max(max, segment.speakerIndex + 1), 0);
  return {
    speakers: Array.from({ length: count }, (_, index) => ({ label: speakerLabel(index) })),
    segments,
  };
}
