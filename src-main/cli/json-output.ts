// The JSON documents the CLI prints with --json (a stable, documented shape for scripts).
import type { SearchResult } from '../../src-shared/types.js';
import type { ExportResult } from '../application/folder-exports.js';
import type { FileError } from '../application/jobs.js';
import type { StoredMeeting } from '../store/stored-meeting.js';
import { withoutControlChars } from '../util/control-chars.js';
import { speakerNameMap } from '../../src-shared/speaker-name.js';

/** A meeting as `funscribe transcribe --json` and `show --json` print it. */
export function meetingToJson(meeting: StoredMeeting) {
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

/** The document `funscribe transcribe --json` prints (`exports` is empty without --format). */
export function transcribeResultJson(
  meetings: StoredMeeting[],
  errors: FileError[],
  exports: ExportResult[] = [],
) {
  return { meetings: meetings.map(meetingToJson), errors, exports };
}

/** The document `funscribe search --json` prints. */
export function searchResultJson(result: SearchResult) {
  return {
    total: result.total,
    totalExact: result.totalExact,
    hits: result.hits.map((hit) => ({
      kind: hit.kind,
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

/** Drops control characters from every string of a document: JSON escapes them, but `jq -r` would print them raw. */
function printableValue(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? withoutControlChars(value) : value;
}

/** Prints a JSON document on stdout, without control characters in its strings. */
export function printJson(document: unknown): void {
  process.stdout.write(`${JSON.stringify(document, printableValue, 2)}\n`);
}
