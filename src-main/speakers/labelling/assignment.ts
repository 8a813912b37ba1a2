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

/** Turns by start (ties in the given order), with the latest end so far and the earliest given turn holding it. */
interface TurnIndex {
  order: number[];
  maxEnd: Float64Array;
  maxEndTurn: Int32Array;
}

/** Indexes turns so that each sentence looks only at the turns near it. */
function indexTurns(turns: readonly SpeakerTurn[]): TurnIndex {
  const order = turns.map((_, i) => i).sort((a, b) => turns[a]!.startMs - turns[b]!.startMs || a - b);
  const maxEnd = new Float64Array(order.length);
  const maxEndTurn = new Int32Array(order.length);
  order.forEach((t, k) => {
    const end = turns[t]!.endMs;
    const before = k > 0 ? maxEndTurn[k - 1]! : -1;
    const keep = before >= 0 && (maxEnd[k - 1]! > end || (maxEnd[k - 1] === end && before < t));
    maxEnd[k] = keep ? maxEnd[k - 1]! : end;
    maxEndTurn[k] = keep ? before : t;
  });
  return { order, maxEnd, maxEndTurn };
}

/** The first position in `index.order` whose turn starts at or after `ms`. */
function firstStartingFrom(turns: readonly SpeakerTurn[], index: TurnIndex, ms: number): number {
  let low = 0;
  let high = index.order.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (turns[index.order[mid]!]!.startMs < ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The speaker with the most shared time, the smaller one on a tie; undefined when nothing is shared. */
function mostShared(overlap: ReadonlyMap<number, number>): number | undefined {
  let best: { speaker: number; score: number } | undefined;
  for (const [speaker, score] of overlap) {
    if (!best || score > best.score || (score === best.score && speaker < best.speaker))
      best = { speaker, score };
  }
  return best?.speaker;
}

/** One sentence's speaker (see assignSpeakers), looking only at the turns that can share time with it or be nearest. */
function speakerOf(sentence: Span, turns: readonly SpeakerTurn[], index: TurnIndex): number {
  const { startMs, endMs } = sentence;
  const overlap = new Map<number, number>();
  let nearest: { turn: number; distance: number } | undefined;
  const consider = (t: number): void => {
    const turn = turns[t]!;
    const distance = Math.max(turn.startMs - endMs, startMs - turn.endMs);
    if (!nearest || distance < nearest.distance || (distance === nearest.distance && t < nearest.turn))
      nearest = { turn: t, distance };
  };
  // Turns starting before the sentence ends, from the latest back, while one of them may still reach into it.
  const after = firstStartingFrom(turns, index, endMs);
  let k = after - 1;
  for (; k >= 0 && index.maxEnd[k]! > startMs; k--) {
    const t = index.order[k]!;
    const turn = turns[t]!;
    const shared = Math.min(endMs, turn.endMs) - Math.max(startMs, turn.startMs);
    if (shared > 0) overlap.set(turn.speaker, (overlap.get(turn.speaker) ?? 0) + shared);
    consider(t);
  }
  const shared = mostShared(overlap);
  if (shared !== undefined) return shared;
  // Nothing shared: the nearest is a turn seen above, the earlier turn ending latest, or the first one after.
  if (k >= 0) consider(index.maxEndTurn[k]!);
  if (after < index.order.length) consider(index.order[after]!);
  return nearest ? turns[nearest.turn]!.speaker : 0;
}

/**
 * The speaker of each sentence: most overlapping turn time, or the nearest turn when nothing overlaps (0 with no turns);
 * ties go to the smaller speaker, and for the nearest turn to the earlier given one. Each sentence looks only at the
 * turns around it, so long transcripts cost about (sentences + turns) × log(turns).
 */
export function assignSpeakers(sentences: Span[], turns: SpeakerTurn[]): number[] {
  const index = indexTurns(turns);
  return sentences.map((sentence) => speakerOf(sentence, turns, index));
}
