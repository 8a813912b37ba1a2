// Windows over sentence spans, smoothing of labelled windows into speaker turns, and sentence assignment by overlap.

/** A time span in milliseconds. */
export interface Span {
  startMs: number;
  endMs: number;
}

/** An analysis window inside one sentence span (`spanIndex`). */
export interface Window extends Span {
  spanIndex: number;
}

/** A stretch of time given to one speaker (0-based label). */
export interface SpeakerTurn extends Span {
  speaker: number;
}

/** Window length (FunASR sv_chunk: 1.5 s). */
export const WINDOW_MS = 1500;
/** Window step (0.75 s). */
export const WINDOW_SHIFT_MS = 750;
/** Turns shorter than this take a neighbour's speaker (FunASR smooth: 0.7 s). */
export const MIN_TURN_MS = 700;
const ROUND_MS = 10;

/** 1.5 s windows every 0.75 s over each span; the last window is right-aligned, a short span gives one window. */
export function slidingWindows(spans: Span[], windowMs = WINDOW_MS, shiftMs = WINDOW_SHIFT_MS): Window[] {
  const windows: Window[] = [];
  spans.forEach((span, spanIndex) => {
    const length = span.endMs - span.startMs;
    if (!(length > 0)) return;
    let lastEnd = -1;
    for (let offset = 0; offset < length; offset += shiftMs) {
      const end = Math.min(offset + windowMs, length);
      if (end <= lastEnd) break;
      const start = Math.max(0, end - windowMs);
      windows.push({ startMs: span.startMs + start, endMs: span.startMs + end, spanIndex });
      lastEnd = end;
    }
  });
  return windows;
}

/** Joins neighbours with the same speaker that touch or overlap; overlapping different speakers meet at the midpoint. */
function mergeNeighbours(turns: SpeakerTurn[]): SpeakerTurn[] {
  const merged: SpeakerTurn[] = [];
  for (const turn of turns) {
    const previous = merged.at(-1);
    if (previous && previous.speaker === turn.speaker && turn.startMs <= previous.endMs) {
      previous.endMs = Math.max(previous.endMs, turn.endMs);
      continue;
    }
    const next = { ...turn };
    if (previous && previous.endMs > next.startMs) {
      const middle = (previous.endMs + next.startMs) / 2;
      previous.endMs = middle;
      next.startMs = middle;
    }
    merged.push(next);
  }
  return merged;
}

/** Gives every turn shorter than `minMs` the speaker of its nearer neighbour (ties go to the previous one). */
function absorbShortTurns(turns: SpeakerTurn[], minMs: number): SpeakerTurn[] {
  const rounded = turns.map((t) => ({
    ...t,
    startMs: Math.round(t.startMs / ROUND_MS) * ROUND_MS,
    endMs: Math.round(t.endMs / ROUND_MS) * ROUND_MS,
  }));
  if (rounded.length < 2) return rounded;
  rounded.forEach((turn, i) => {
    if (turn.endMs - turn.startMs >= minMs) return;
    const previous = rounded[i - 1];
    const next = rounded[i + 1];
    if (!previous) turn.speaker = next!.speaker;
    else if (!next) turn.speaker = previous.speaker;
    else
      turn.speaker =
        turn.startMs - previous.endMs <= next.startMs - turn.endMs ? previous.speaker : next.speaker;
  });
  return rounded;
}

/** Speaker turns from labelled windows (in time order): merge, absorb short turns, merge again (FunASR postprocess). */
export function windowsToTurns(windows: Span[], labels: number[], minTurnMs = MIN_TURN_MS): SpeakerTurn[] {
  const turns = windows.map((w, i) => ({ startMs: w.startMs, endMs: w.endMs, speaker: labels[i]! }));
  return mergeNeighbours(absorbShortTurns(mergeNeighbours(turns), minTurnMs));
}

/** The speaker of each sentence: most overlapping turn time, or the nearest turn when nothing overlaps (0 with no turns). */
export function assignSpeakers(sentences: Span[], turns: SpeakerTurn[]): number[] {
  return sentences.map((sentence) => {
    const overlap = new Map<number, number>();
    for (const turn of turns) {
      const shared = Math.min(sentence.endMs, turn.endMs) - Math.max(sentence.startMs, turn.startMs);
      if (shared > 0) overlap.set(turn.speaker, (overlap.get(turn.speaker) ?? 0) + shared);
    }
    let best: { speaker: number; score: number } | undefined;
    for (const [speaker, score] of overlap) {
      if (!best || score > best.score || (score === best.score && speaker < best.speaker))
        best = { speaker, score };
    }
    if (best) return best.speaker;
    let nearest: { speaker: number; distance: number } | undefined;
    for (const turn of turns) {
      const distance = Math.max(turn.startMs - sentence.endMs, sentence.startMs - turn.endMs);
      if (!nearest || distance < nearest.distance) nearest = { speaker: turn.speaker, distance };
    }
    return nearest?.speaker ?? 0;
  });
}
