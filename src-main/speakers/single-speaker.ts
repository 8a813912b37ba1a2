// Speaker labelling until real diarization lands: every sentence belongs to one speaker.
import type { NewMeeting, Sentence } from '../api/types.js';

/** The automatic label of the n-th speaker (0-based) as users see it. */
export function speakerLabel(index: number): string {
  return `Speaker ${index + 1}`;
}

/** Labels all sentences as one speaker; a transcript without sentences has no speakers. */
export function labelSingleSpeaker(sentences: Sentence[]): Pick<NewMeeting, 'speakers' | 'segments'> {
  if (sentences.length === 0) return { speakers: [], segments: [] };
  return {
    speakers: [{ label: speakerLabel(0) }],
    segments: sentences.map((sentence) => ({ ...sentence, speakerIndex: 0 })),
  };
}
