// Who speaks when, drawn as a strip of bars under the waveform. The meeting is cut into a fixed number of columns;
// each column goes to the speaker who talks most in it, and runs of one speaker become one bar. However many
// sentences a meeting has, the strip has at most COLUMNS bars.
import type { SlimSegment } from '../../../src-shared/types.js';

/** One bar of the strip: a run of one speaker, from `startMs` to `endMs`. */
export interface TimelineBar {
  speakerId: number;
  startMs: number;
  endMs: number;
}

/** Columns the strip is cut into: finer than a pixel is not shown, and it bounds the number of bars. */
export const TIMELINE_COLUMNS = 400;

type Turn = Pick<SlimSegment, 'speakerId' | 'startMs' | 'endMs'>;

/** The speaker talking most in each column (null: nobody), from the sentences' time spans. */
function columnOwners(segments: readonly Turn[], durationMs: number, columns: number): (number | null)[] {
  const width = durationMs / columns;
  const talk = Array.from({ length: columns }, () => new Map<number, number>());
  for (const { speakerId, startMs, endMs } of segments) {
    if (speakerId === null || endMs <= startMs) continue;
    const first = Math.max(0, Math.floor(startMs / width));
    const last = Math.min(columns - 1, Math.ceil(endMs / width) - 1);
    for (let column = first; column <= last; column++) {
      const overlap = Math.min(endMs, (column + 1) * width) - Math.max(startMs, column * width);
      if (overlap > 0) talk[column]!.set(speakerId, (talk[column]!.get(speakerId) ?? 0) + overlap);
    }
  }
  return talk.map((speakers) => {
    let owner: number | null = null;
    let most = 0;
    for (const [speakerId, ms] of speakers) {
      if (ms > most) [owner, most] = [speakerId, ms];
    }
    return owner;
  });
}

/** The bars of a meeting's strip, in time order; none when the meeting has no length. */
export function timelineBars(
  segments: readonly Turn[],
  durationMs: number,
  columns: number = TIMELINE_COLUMNS,
): TimelineBar[] {
  if (durationMs <= 0 || segments.length === 0) return [];
  const width = durationMs / columns;
  const runs: { speakerId: number; first: number; end: number }[] = [];
  columnOwners(segments, durationMs, columns).forEach((speakerId, column) => {
    if (speakerId === null) return;
    const last = runs.at(-1);
    if (last && last.speakerId === speakerId && last.end === column) last.end = column + 1;
    else runs.push({ speakerId, first: column, end: column + 1 });
  });
  return runs.map(({ speakerId, first, end }) => ({
    speakerId,
    startMs: first * width,
    endMs: Math.min(durationMs, end * width),
  }));
}

/** A speaker's part of a meeting's talk (0..1). */
export interface TalkShare {
  speakerId: number;
  share: number;
}

/** Each speaker's share of the time spoken, largest first (sentences of no known speaker are left out). */
export function talkShares(segments: readonly Turn[]): TalkShare[] {
  const talk = new Map<number, number>();
  for (const { speakerId, startMs, endMs } of segments) {
    if (speakerId !== null) talk.set(speakerId, (talk.get(speakerId) ?? 0) + Math.max(0, endMs - startMs));
  }
  const total = [...talk.values()].reduce((sum, ms) => sum + ms, 0);
  return [...talk]
    .sort((a, b) => b[1] - a[1])
    .map(([speakerId, ms]) => ({ speakerId, share: total > 0 ? ms / total : 0 }));
}
