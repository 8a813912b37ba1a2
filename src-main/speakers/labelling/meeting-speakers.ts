// Turning labelled pieces into the speakers and segments of a meeting to store.
import { speakerLabel } from '../../../src-shared/speaker-name.js';
import type { Sentence } from '../../../src-shared/types.js';
import type { NewMeeting } from '../../store/new-meeting.js';
import { segmentsFromPieces } from './segment-builder.js';

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
