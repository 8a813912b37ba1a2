// What is written for a meeting: a new meeting as one insert, and the speaker segments a speaker edit rewrites.
import type { Sentence } from '../../src-shared/types.js';
import type { SpeakerAnalysis } from './stored-analysis.js';

/** A sentence of one speaker to store (`speakerIndex`: 0-based index into the meeting's speakers). */
export interface SpeakerSegment extends Sentence {
  speakerIndex: number;
  /** The recognised text of a sentence the user edited (kept whole by speaker edits); absent or null otherwise. */
  originalText?: string | null;
}

/** A new meeting to be stored in one transaction. Speakers are referred to by index into `speakers`. */
export interface NewMeeting {
  title: string;
  source: string;
  durationMs: number;
  createdAt?: number;
  audioPath?: string | null;
  speakers: { label: string; name?: string | null }[];
  segments: (Sentence & { speakerIndex: number | null })[];
  /** The analysis behind the speaker labels (windows over `segments` in time order), kept for re-labelling. */
  speakerAnalysis?: SpeakerAnalysis;
}
