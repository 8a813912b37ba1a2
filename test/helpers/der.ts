// Diarization error rate (NIST RT-style, 10 ms frames) with an optimal one-to-one speaker mapping (Hungarian algorithm).
import type { RttmTurn } from './rttm.js';

const FRAME_MS = 10;

/** A speaker turn as the scorer needs it (the RTTM file name is ignored: score one file at a time). */
export type SpeakerTurn = Pick<RttmTurn, 'startMs' | 'endMs' | 'speaker'>;

/** Scoring settings: `collarMs` is the no-score zone on EACH side of every reference boundary (NIST `-c`). */
export interface DerOptions {
  collarMs?: number;
  skipOverlap?: boolean;
}

/** DER and its parts in ms of scored speaker time; `mapping` maps each hypothesis label to its reference label. */
export interface DerResult {
  der: number;
  missMs: number;
  falseAlarmMs: number;
  confusionMs: number;
  totalMs: number;
  mapping: Record<string, string>;
}

/** Solves the assignment problem maximising total weight; returns each row's column (or -1). O(n³). */
export function hungarianMaximise(weights: readonly (readonly number[])[]): number[] {
  const rows = weights.length;
  const cols = rows === 0 ? 0 : weights[0]!.length;
  const n = Math.max(rows, cols);
  const top = Math.max(0, ...weights.flat());
  const cost = (i: number, j: number): number => top - (i < rows && j < cols ? weights[i]![j]! : 0);
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const owner = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i += 1) {
    owner[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = owner[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j += 1) {
        if (used[j]) continue;
        const reduced = cost(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (reduced < minv[j]!) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j += 1) {
        if (used[j]) {
          u[owner[j]!]! += delta;
          v[j]! -= delta;
        } else {
          minv[j]! -= delta;
        }
      }
      j0 = j1;
    } while (owner[j0] !== 0);
    do {
      const j1 = way[j0]!;
      owner[j0] = owner[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= n; j += 1) {
    const row = owner[j]! - 1;
    if (row < rows && j - 1 < cols) assignment[row] = j - 1;
  }
  return assignment;
}

/** Frames whose centre lies in [startMs, endMs), as a half-open index range clamped to [0, frames). */
function frameRange(startMs: number, endMs: number, frames: number): [number, number] {
  const first = Math.max(0, Math.ceil((startMs - FRAME_MS / 2) / FRAME_MS));
  return [first, Math.min(frames, Math.max(first, Math.ceil((endMs - FRAME_MS / 2) / FRAME_MS)))];
}

/** Per-speaker frame activity of a set of turns, speakers in order of first appearance. */
function activity(turns: readonly SpeakerTurn[], frames: number): { labels: string[]; active: Uint8Array[] } {
  const labels: string[] = [];
  const active: Uint8Array[] = [];
  for (const turn of turns) {
    let index = labels.indexOf(turn.speaker);
    if (index < 0) {
      index = labels.push(turn.speaker) - 1;
      active.push(new Uint8Array(frames));
    }
    const [first, end] = frameRange(turn.startMs, turn.endMs, frames);
    active[index]!.fill(1, first, end);
  }
  return { labels, active };
}

/** Counts how many of the speakers are active in frame `f`. */
function countActive(active: readonly Uint8Array[], f: number): number {
  let count = 0;
  for (const speaker of active) count += speaker[f]!;
  return count;
}

/** Scores a hypothesis against a reference: miss, false alarm and confusion per 10 ms frame, as in NIST md-eval. */
export function diarizationErrorRate(
  reference: readonly SpeakerTurn[],
  hypothesis: readonly SpeakerTurn[],
  { collarMs = 250, skipOverlap = false }: DerOptions = {},
): DerResult {
  const lastMs = Math.max(0, ...[...reference, ...hypothesis].map((turn) => turn.endMs + collarMs));
  const frames = Math.ceil(lastMs / FRAME_MS) + 1;
  const ref = activity(reference, frames);
  const hyp = activity(hypothesis, frames);
  const scored = new Uint8Array(frames).fill(1);
  for (const turn of reference) {
    for (const boundary of [turn.startMs, turn.endMs]) {
      const [first, end] = frameRange(boundary - collarMs, boundary + collarMs, frames);
      scored.fill(0, first, end);
    }
  }
  if (skipOverlap) {
    for (let f = 0; f < frames; f += 1) if (countActive(ref.active, f) > 1) scored[f] = 0;
  }
  const cooccurrence = ref.active.map((r) =>
    hyp.active.map((h) => {
      let both = 0;
      for (let f = 0; f < frames; f += 1) both += scored[f]! & r[f]! & h[f]!;
      return both;
    }),
  );
  const assignment = hungarianMaximise(cooccurrence);
  const mapping: Record<string, string> = {};
  for (const [r, h] of assignment.entries()) {
    if (h >= 0 && cooccurrence[r]![h]! > 0) mapping[hyp.labels[h]!] = ref.labels[r]!;
  }
  let miss = 0;
  let falseAlarm = 0;
  let confusion = 0;
  let total = 0;
  for (let f = 0; f < frames; f += 1) {
    if (!scored[f]) continue;
    const nRef = countActive(ref.active, f);
    const nHyp = countActive(hyp.active, f);
    let correct = 0;
    for (const [r, h] of assignment.entries())
      if (h >= 0 && ref.active[r]![f] && hyp.active[h]![f]) correct += 1;
    total += nRef;
    miss += Math.max(0, nRef - nHyp);
    falseAlarm += Math.max(0, nHyp - nRef);
    confusion += Math.min(nRef, nHyp) - correct;
  }
  const errors = miss + falseAlarm + confusion;
  return {
    der: total > 0 ? errors / total : errors > 0 ? Infinity : 0,
    missMs: miss * FRAME_MS,
    falseAlarmMs: falseAlarm * FRAME_MS,
    confusionMs: confusion * FRAME_MS,
    totalMs: total * FRAME_MS,
    mapping,
  };
}
