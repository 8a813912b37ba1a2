// Who spoke each token of a transcript: evidence per token (voice turns or channel levels), then runs of tokens too
// short to be a turn are absorbed inside their piece, so a piece splits only where one person really hands over.
import { assignSpeakers, MIN_TURN_MS, type Span, type SpeakerTurn } from './assignment.js';
import { renumberByFirstAppearance } from '../dsp/renumber.js';

/** A clause piece to label: its span and its timed tokens (none when the engine gave no token times). */
export interface LabelPiece extends Span {
  tokens: readonly Span[];
}

/** The spans a piece is labelled by: its tokens, or the piece itself when it has none. */
export function labelSpans(piece: LabelPiece): readonly Span[] {
  return piece.tokens.length > 0 ? piece.tokens : [piece];
}

/** The label spans of all pieces in order, flattened (for one pass of evidence over the whole transcript). */
export function flatLabelSpans(pieces: readonly LabelPiece[]): Span[] {
  return pieces.flatMap((piece) => [...labelSpans(piece)]);
}

/**
 * A pause this long between two words ends a stretch of speech. It is below the FSMN VAD's 800 ms sentence-end silence,
 * so what the engine heard as two sentences is never treated as one, whatever the punctuation model wrote.
 */
export const SENTENCE_PAUSE_MS = 500;

/**
 * The stretches of speech in the pieces: each piece cut where its tokens pause SENTENCE_PAUSE_MS or more (a piece
 * without tokens is one stretch). Voice windows lie over these, never across a long silence between two people.
 */
export function speechStretches(pieces: readonly LabelPiece[]): Span[] {
  return pieces.flatMap((piece) => {
    if (piece.tokens.length === 0) return [{ startMs: piece.startMs, endMs: piece.endMs }];
    const stretches: Span[] = [];
    for (const token of piece.tokens) {
      const last = stretches[stretches.length - 1];
      if (last && token.startMs - last.endMs < SENTENCE_PAUSE_MS)
        last.endMs = Math.max(last.endMs, token.endMs);
      else stretches.push({ startMs: token.startMs, endMs: token.endMs });
    }
    return stretches;
  });
}

/**
 * The stretches as far as they lie in a recording of `durationMs`: each cut to [0, durationMs] and to what the stretches
 * before it (by start) have not covered yet, empty ones dropped. Voice windows over these cover at most the recording
 * once, whatever times a server claimed.
 */
export function stretchesWithinRecording(stretches: readonly Span[], durationMs: number): Span[] {
  const byStart = [...stretches].sort((a, b) => a.startMs - b.startMs);
  const kept: Span[] = [];
  let coveredUntil = 0;
  for (const stretch of byStart) {
    const startMs = Math.max(stretch.startMs, coveredUntil);
    const endMs = Math.min(stretch.endMs, durationMs);
    if (!(endMs > startMs)) continue;
    kept.push({ startMs, endMs });
    coveredUntil = endMs;
  }
  return kept;
}

/** Cuts a flat list of labels (one per label span) back into one list per piece. */
export function labelsPerPiece(pieces: readonly LabelPiece[], flat: readonly number[]): number[][] {
  let next = 0;
  return pieces.map((piece) => {
    const count = labelSpans(piece).length;
    next += count;
    return flat.slice(next - count, next);
  });
}

/** A run of neighbouring spans with one label: [from, to) into the piece's spans. */
interface Run {
  label: number;
  from: number;
  to: number;
}

/** Splits labels into runs of equal neighbours. */
function runsOf(labels: readonly number[]): Run[] {
  const runs: Run[] = [];
  labels.forEach((label, i) => {
    const last = runs[runs.length - 1];
    if (last && last.label === label) last.to = i + 1;
    else runs.push({ label, from: i, to: i + 1 });
  });
  return runs;
}

/** A hand-over inside a piece needs a pause at least this long between two tokens (FunASR stamps pauses as gaps). */
export const MIN_HANDOVER_GAP_MS = 150;
/** How far a hand-over found by the voice or channel evidence may move to reach such a pause. */
export const HANDOVER_SNAP_MS = 1000;

/** The length of a run in ms, from its first token's start to its last token's end. */
function runLength(spans: readonly Span[], run: Run): number {
  return spans[run.to - 1]!.endMs - spans[run.from]!.startMs;
}

/** Labels as runs, flattened back. */
function flatten(runs: readonly Run[]): number[] {
  return runs.flatMap((run) => new Array<number>(run.to - run.from).fill(run.label));
}

/** Gives the shortest run under `minMs` its longer neighbour's label (earlier on a tie); false when none is short. */
function absorbShortest(spans: readonly Span[], runs: Run[], minMs: number): boolean {
  let shortest = -1;
  runs.forEach((run, i) => {
    const length = runLength(spans, run);
    if (length < minMs && (shortest < 0 || length < runLength(spans, runs[shortest]!))) shortest = i;
  });
  if (shortest < 0 || runs.length < 2) return false;
  const before = runs[shortest - 1];
  const after = runs[shortest + 1];
  runs[shortest]!.label = (
    !after || (before && runLength(spans, before) >= runLength(spans, after)) ? before! : after
  ).label;
  return true;
}

/** The pause before token `i` of the spans (0 for the first). */
const pauseBefore = (spans: readonly Span[], i: number): number =>
  i > 0 ? spans[i]!.startMs - spans[i - 1]!.endMs : 0;

/**
 * Puts the first hand-over that does not sit on a pause onto the longest pause within HANDOVER_SNAP_MS (inside the two
 * runs), or, when there is none long enough, gives the shorter run the longer one's label. False when every
 * hand-over already sits on a pause.
 */
function settleHandover(spans: readonly Span[], labels: number[]): boolean {
  const runs = runsOf(labels);
  for (let r = 1; r < runs.length; r++) {
    const left = runs[r - 1]!;
    const right = runs[r]!;
    if (pauseBefore(spans, right.from) >= MIN_HANDOVER_GAP_MS) continue;
    const at = spans[right.from]!.startMs;
    let best = -1;
    for (let i = left.from + 1; i < right.to; i++) {
      if (Math.abs(spans[i]!.startMs - at) > HANDOVER_SNAP_MS) continue;
      if (
        pauseBefore(spans, i) >= MIN_HANDOVER_GAP_MS &&
        (best < 0 || pauseBefore(spans, i) > pauseBefore(spans, best))
      )
        best = i;
    }
    if (best >= 0) {
      for (let i = left.from; i < right.to; i++) labels[i] = i < best ? left.label : right.label;
    } else {
      const label = runLength(spans, left) >= runLength(spans, right) ? left.label : right.label;
      labels.fill(label, left.from, right.to);
    }
    return true;
  }
  return false;
}

/** Smooths the labels of one stretch of speech (see smoothPieceLabels). */
function smoothStretch(spans: readonly Span[], labels: readonly number[], minMs: number): number[] {
  let current = [...labels];
  for (let step = 0; step <= 2 * current.length; step++) {
    const runs = runsOf(current);
    if (absorbShortest(spans, runs, minMs)) current = flatten(runs);
    else if (!settleHandover(spans, current)) break;
  }
  return current;
}

/**
 * Smooths the labels of one piece's spans, stretch by stretch (a pause of SENTENCE_PAUSE_MS or more starts a new one,
 * and stretches never borrow from each other): runs shorter than `minMs` take the label of their longer neighbouring
 * run, and a hand-over stays only on a pause between two tokens (moved up to HANDOVER_SNAP_MS to reach one). A stretch
 * keeps two speakers only when each holds a real turn and the words show where one stopped.
 */
export function smoothPieceLabels(
  spans: readonly Span[],
  labels: readonly number[],
  minMs = MIN_TURN_MS,
): number[] {
  const smoothed: number[] = [];
  let from = 0;
  for (let i = 1; i <= spans.length; i++) {
    if (i < spans.length && pauseBefore(spans, i) < SENTENCE_PAUSE_MS) continue;
    for (const label of smoothStretch(spans.slice(from, i), labels.slice(from, i), minMs))
      smoothed.push(label);
    from = i;
  }
  return smoothed;
}

/** Smooths every piece (see smoothPieceLabels) and numbers the speakers by first appearance across the transcript. */
export function smoothAndNumber(pieces: readonly LabelPiece[], perPiece: readonly number[][]): number[][] {
  const smoothed = pieces.map((piece, i) => smoothPieceLabels(labelSpans(piece), perPiece[i] ?? []));
  return labelsPerPiece(pieces, renumberByFirstAppearance(smoothed.flat()));
}

/** The speaker of every token (or token-less piece) from speaker turns: most shared time per token, then smoothing. */
export function tokenSpeakersFromTurns(pieces: readonly LabelPiece[], turns: SpeakerTurn[]): number[][] {
  return smoothAndNumber(pieces, labelsPerPiece(pieces, assignSpeakers(flatLabelSpans(pieces), turns)));
}
