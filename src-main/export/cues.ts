// The one cue builder behind SRT and WebVTT: segments cut into short, timed, wrapped subtitle cues.
import type { Meeting, Segment } from '../../src-shared/types.js';
import { speakerNameMap } from '../../src-shared/speaker-name.js';
import { clampMs } from '../../src-shared/time.js';
import { foldWhitespace } from './text.js';
import { segmentTimeline, type Timeline } from './timeline.js';
import { splitUnits, type TextUnit } from './units.js';
import { chunkUnits, wrapLines } from './wrap.js';

/** Most lines in one cue. */
export const MAX_CUE_LINES = 2;
/** Longest a cue may last when it holds more than one unit, in ms. */
export const MAX_CUE_MS = 7000;

/** One subtitle cue: times in ms (start < end, cues in order and never overlapping) and wrapped lines of plain text. */
export interface Cue {
  startMs: number;
  endMs: number;
  /** Display name of the segment's speaker, or null. */
  speaker: string | null;
  /** Plain (unescaped) text lines; the first carries the `Name: ` prefix when the builder was asked for one. */
  lines: string[];
}

/** How cues show who speaks. */
export interface CueOptions {
  /** Start the first cue of a segment with `Name: ` when the speaker differs from the previous segment's. */
  speakerPrefix: boolean;
}

/**
 * Builds the cues of a meeting. Each segment (whitespace folded, empty ones skipped) is cut into cues of at most
 * two lines and about seven seconds, timed from its tokens (or proportionally to characters); cues never span
 * segments. Afterwards starts are made strictly increasing, every cue lasts at least 1 ms and ends no later than
 * the next cue starts, so overlapping segments are clamped.
 */
export function buildCues(meeting: Pick<Meeting, 'speakers' | 'segments'>, options: CueOptions): Cue[] {
  const names = speakerNameMap(meeting);
  const segments = [...meeting.segments].sort((a, b) => clampMs(a.startMs) - clampMs(b.startMs));
  const cues: Cue[] = [];
  let previousSpeakerId: number | null | undefined;
  for (const segment of segments) {
    const text = foldWhitespace(segment.text);
    if (!text) continue;
    const speaker = segment.speakerId === null ? null : (names.get(segment.speakerId) ?? null);
    const prefix =
      options.speakerPrefix && speaker !== null && segment.speakerId !== previousSpeakerId
        ? `${foldWhitespace(speaker)}: `
        : '';
    previousSpeakerId = segment.speakerId;
    for (const cue of segmentCues(text, segment, speaker, prefix)) cues.push(cue);
  }
  return separate(cues);
}

/** The cues of one segment, the first line of the first cue starting with `prefix`. */
function segmentCues(text: string, segment: Segment, speaker: string | null, prefix: string): Cue[] {
  const units = splitUnits(text);
  const timeline = segmentTimeline(text, segment);
  const span = (a: number, b: number): [number, number] => spanOf(units, timeline, a, b);
  const prefixFor = (a: number): string => (a === 0 ? prefix : '');
  const fits = (a: number, b: number): boolean => {
    const [start, end] = span(a, b);
    return end - start <= MAX_CUE_MS && wrapLines(units, a, b, prefixFor(a)).length <= MAX_CUE_LINES;
  };
  return chunkUnits(units, 0, units.length, fits).map(([a, b]) => {
    const [startMs, endMs] = span(a, b);
    return { startMs, endMs, speaker, lines: wrapLines(units, a, b, prefixFor(a)) };
  });
}

/** Start and end ms of units[from, to). */
function spanOf(units: readonly TextUnit[], timeline: Timeline, from: number, to: number): [number, number] {
  return [timeline(units[from]?.start ?? 0), timeline(units[to - 1]?.end ?? 0)];
}

/** Makes starts strictly increasing, every cue at least 1 ms long and each end no later than the next start. */
function separate(cues: Cue[]): Cue[] {
  cues.forEach((cue, i) => {
    const previous = cues[i - 1];
    if (previous && cue.startMs <= previous.startMs) cue.startMs = previous.startMs + 1;
  });
  cues.forEach((cue, i) => {
    const next = cues[i + 1];
    cue.endMs = Math.max(cue.endMs, cue.startMs + 1);
    if (next) cue.endMs = Math.min(cue.endMs, next.startMs);
  });
  return cues;
}
