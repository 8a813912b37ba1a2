// Checks the export tests apply to parsed subtitle cues, written independently of the exporter's own helpers.
import { expect } from 'vitest';
import type { Meeting } from '../../../src-shared/types.js';

/** A cue as a subtitle parser read it back: times in ms, the displayed lines, and the voice (WebVTT only). */
export interface ParsedCue {
  startMs: number;
  endMs: number;
  lines: string[];
  voice?: string | null;
}

/** How the format shows text and speakers. */
export interface CueExpectations {
  /** `Name: ` starts the first cue of each change of speaker (SRT). */
  prefix: boolean;
  /** The voice of every cue is the segment's speaker (WebVTT). */
  voice: boolean;
  /** What the format does to a segment's (whitespace-folded) text. */
  transform: (text: string) => string;
}

const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;
const LATIN_WORDS = /[A-Za-z0-9']+/g;

/** Screen columns of a line, CJK characters and full-width punctuation counting 2. */
export function columns(line: string): number {
  return Array.from(line).reduce((sum, char) => sum + (WIDE.test(char) ? 2 : 1), 0);
}

/** The column limit for one subtitle line: 32 (16 CJK characters) when it holds CJK, else 42. */
export function lineLimit(line: string): number {
  return WIDE.test(line) ? 32 : 42;
}

function displayName(meeting: Meeting, speakerId: number | null): string | null {
  const speaker = meeting.speakers.find((s) => s.id === speakerId);
  return speaker ? (speaker.name ?? speaker.label) : null;
}

/** Asserts cue timing is well formed: strictly increasing starts, end after start, no overlap with the next cue. */
export function expectWellTimed(cues: readonly ParsedCue[]): void {
  cues.forEach((cue, i) => {
    expect(cue.endMs, `cue ${i + 1} end`).toBeGreaterThan(cue.startMs);
    const next = cues[i + 1];
    if (next) {
      expect(next.startMs, `cue ${i + 2} start`).toBeGreaterThan(cue.startMs);
      expect(cue.endMs, `cue ${i + 1} end vs next start`).toBeLessThanOrEqual(next.startMs);
    }
  });
}

/**
 * Asserts the cues tell the meeting: every segment's text in order (each cue inside one segment), cue times inside that
 * segment's span, at most 2 lines within the column limits, at most 7 s, Latin words never split, speakers shown.
 */
export function expectCuesMatch(
  meeting: Meeting,
  cues: readonly ParsedCue[],
  expectations: CueExpectations,
): void {
  expectWellTimed(cues);
  const segments = [...meeting.segments].sort((a, b) => a.startMs - b.startMs);
  let next = 0;
  let previousSpeaker: number | null | undefined;
  for (const segment of segments) {
    const text = expectations.transform(segment.text.replace(/\s+/g, ' ').trim());
    if (!text) continue;
    const name = displayName(meeting, segment.speakerId);
    let remaining = text.replace(/\s+/g, '');
    const words = text.match(LATIN_WORDS) ?? [];
    let first = true;
    while (remaining) {
      const cue = cues[next++];
      expect(cue, `a cue for "${remaining}"`).toBeDefined();
      if (!cue) return;
      const lines = [...cue.lines];
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(2);
      for (const line of lines) {
        expect(line.trim(), 'no blank line').not.toBe('');
        expect(columns(line), `width of "${line}"`).toBeLessThanOrEqual(lineLimit(line));
      }
      if (expectations.voice) expect(cue.voice ?? null).toBe(name);
      const wantsPrefix =
        expectations.prefix && first && name !== null && segment.speakerId !== previousSpeaker;
      if (wantsPrefix) {
        const prefix = `${name}: `;
        expect(lines[0]?.startsWith(prefix), `prefix on "${lines[0]}"`).toBe(true);
        lines[0] = (lines[0] ?? '').slice(prefix.length);
      }
      const compact = lines.join('').replace(/\s+/g, '');
      expect(remaining.startsWith(compact), `"${compact}" continues "${remaining}"`).toBe(true);
      remaining = remaining.slice(compact.length);
      const cueWords = lines.flatMap((line) => line.match(LATIN_WORDS) ?? []);
      expect(cueWords, 'whole Latin words').toEqual(words.splice(0, cueWords.length));
      expect(cue.startMs).toBeGreaterThanOrEqual(segment.startMs);
      expect(cue.endMs).toBeLessThanOrEqual(segment.endMs);
      expect(cue.endMs - cue.startMs).toBeLessThanOrEqual(7000);
      first = false;
    }
    previousSpeaker = segment.speakerId;
  }
  expect(next, 'no cue beyond the transcript').toBe(cues.length);
}
