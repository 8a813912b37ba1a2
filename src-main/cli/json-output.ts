// The JSON documents the CLI prints with --json (a stable, documented shape for scripts).
import type { ErrorInfo, Meeting, SearchHit } from '../api/types.js';
import { speakerNameMap } from '../util/speaker-name.js';

/** A meeting as `funscribe transcribe --json` and `show --json` print it. */
export function meetingToJson(meeting: Meeting) {
  const names = speakerNameMap(meeting);
  return {
    id: meeting.id,
    title: meeting.title,
    source: meeting.source,
    createdAt: meeting.createdAt,
    durationMs: meeting.durationMs,
    speakers: meeting.speakers.map(({ id, label, name }) => ({ id, label, name })),
    segments: meeting.segments.map((segment) => ({
      startMs: segment.startMs,
      endMs: segment.endMs,
      text: segment.text,
      speaker: segment.speakerId === null ? null : (names.get(segment.speakerId) ?? null),
      speakerId: segment.speakerId,
      tokens: segment.tokens.map(({ text, startMs, endMs }) => ({ text, startMs, endMs })),
    })),
  };
}

/** One failed file in `transcribe --json`. */
export interface FileError extends ErrorInfo {
  file: string;
}

/** The document `funscribe transcribe --json` prints. */
export function transcribeResultJson(meetings: Meeting[], errors: FileError[]) {
  return { meetings: meetings.map(meetingToJson), errors };
}

/** The document `funscribe search --json` prints. */
export function searchResultJson(hits: SearchHit[]) {
  return {
    hits: hits.map((hit) => ({
      meetingId: hit.meetingId,
      meetingTitle: hit.meetingTitle,
      segmentId: hit.segmentId,
      startMs: hit.startMs,
      endMs: hit.endMs,
      speaker: hit.speaker,
      text: hit.text,
      snippet: hit.snippet,
      highlights: hit.highlights,
    })),
  };
}

/** Prints a JSON document on stdout. */
export function printJson(document: unknown): void {
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}
