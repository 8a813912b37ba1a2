// JSON (.json) export, with sentences in the field names of FunASR's AutoModel output.
import type { Meeting } from '../../src-shared/types.js';
import { speakerDisplayName } from '../../src-shared/speaker-name.js';
import { clampMs } from '../../src-shared/time.js';

/** The `spk` of a sentence that has no speaker (FunASR itself always assigns one, counting from 0). */
export const NO_SPEAKER_INDEX = -1;

/**
 * One sentence as FunASR's `sentence_info` has it (times in ms), plus the speaker's display name and, when the user
 * corrected `text`, the text as it was recognised.
 */
export interface JsonSentence {
  text: string;
  /** The recognised text (which `timestamp` spells) when `text` was edited; absent when it was not. */
  originalText?: string;
  start: number;
  end: number;
  /** Token times, one [startMs, endMs] pair per token. */
  timestamp: [number, number][];
  /** 0-based index into `speakers`, or NO_SPEAKER_INDEX. */
  spk: number;
  speaker: string | null;
}

/** The whole JSON export document. `createdAt` is epoch ms. */
export interface JsonTranscript {
  title: string;
  /** The file name (without its folder) of the file the meeting was transcribed from. */
  source: string;
  createdAt: number;
  durationMs: number;
  speakers: { id: number; label: string; name: string | null }[];
  sentence_info: JsonSentence[];
}

/** Builds the JSON export document of a meeting; segment text is kept exactly as stored. */
export function toJsonTranscript(meeting: Meeting): JsonTranscript {
  const indexById = new Map(meeting.speakers.map((speaker, index) => [speaker.id, index]));
  return {
    title: meeting.title,
    source: meeting.sourceName,
    createdAt: meeting.createdAt,
    durationMs: clampMs(meeting.durationMs),
    speakers: meeting.speakers.map(({ id, label, name }) => ({ id, label, name })),
    sentence_info: meeting.segments.map((segment) => {
      const spk = segment.speakerId === null ? undefined : indexById.get(segment.speakerId);
      return {
        text: segment.text,
        ...(segment.originalText === undefined ? {} : { originalText: segment.originalText }),
        start: clampMs(segment.startMs),
        end: clampMs(segment.endMs),
        timestamp: segment.tokens.map((token): [number, number] => [
          clampMs(token.startMs),
          clampMs(token.endMs),
        ]),
        spk: spk ?? NO_SPEAKER_INDEX,
        speaker: spk === undefined ? null : speakerDisplayName(meeting.speakers[spk]),
      };
    }),
  };
}

/**
 * The meeting as JSON, pretty-printed with 2 spaces: title, source (the file name only), createdAt (epoch ms),
 * durationMs, speakers `{id,label,name}` and `sentence_info` entries `{text,originalText?,start,end,timestamp,spk,
 * speaker}` that tools written for FunASR output can read. `originalText` is there only for an edited sentence. `spk`
 * is the 0-based index into `speakers`, or -1 for a sentence without a speaker (whose `speaker` is then null).
 */
export function toJson(meeting: Meeting): string {
  return `${JSON.stringify(toJsonTranscript(meeting), null, 2)}\n`;
}
