// Turning per-sentence speaker numbers into the speakers and segments of a meeting to store.
import type { NewMeeting, Sentence } from '../api/types.js';

/** The automatic label of the n-th speaker (0-based) as users see it. */
export function speakerLabel(index: number): string {
  return `Speaker ${index + 1}`;
}

/** Speakers "Speaker 1…K" and the sentences as segments; `labels[i]` is sentence i's speaker (0-based, dense). */
export function meetingSpeakers(
  sentences: Sentence[],
  labels: number[],
): Pick<NewMeeting, 'speakers' | 'segments'> {
  const count = sentences.length === 0 ? 0 : Math.max(0, ...labels.slice(0, sentences.length)) + 1;
  return {
    speakers: Array.from({ length: count }, (_, index) => ({ label: speakerLabel(index) })),
    segments: sentences.map((sentence, i) => ({ ...sentence, speakerIndex: labels[i] ?? 0 })),
  };
}
