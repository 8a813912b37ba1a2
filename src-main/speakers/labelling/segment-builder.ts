// Segments that follow speakers: each piece is cut where its speaker changes, then neighbouring pieces of one speaker
// are joined into readable sentences, up to a sentence end or a pause of SENTENCE_PAUSE_MS. A segment never spans two
// people.
import type { Sentence, Token } from '../../../src-shared/types.js';
import { endsSentence, joinTokens } from '../../asr/text-tokens.js';
import type { SpeakerSegment } from '../../store/new-meeting.js';
import { SENTENCE_PAUSE_MS } from './token-speakers.js';

/** A piece of a transcript; one the user edited carries its recognised text and is never cut or joined. */
export type Piece = Sentence & { originalText?: string | null };

/** True when the user edited the piece's text (its tokens no longer spell it). */
const edited = (piece: Piece): boolean => piece.originalText !== undefined && piece.originalText !== null;

/** The text the tokens spell, each followed by the punctuation recorded on it. */
export function textOfTokens(tokens: readonly Token[]): string {
  return joinTokens(tokens.flatMap((token) => [token.text, token.punc ?? '']));
}

/** True when a piece can be cut and rebuilt from its tokens without losing or changing any text. */
export function rebuildable(piece: Sentence): boolean {
  return piece.tokens.length > 0 && textOfTokens(piece.tokens) === piece.text;
}

/** The label with the most time among spans (the earliest on a tie), for a piece that cannot be cut. */
function majority(tokens: readonly Token[], labels: readonly number[]): number {
  const time = new Map<number, number>();
  labels.forEach((label, i) => {
    const token = tokens[i];
    time.set(label, (time.get(label) ?? 0) + Math.max(1, token ? token.endMs - token.startMs : 1));
  });
  let best = labels[0] ?? 0;
  for (const [label, ms] of time) if (ms > (time.get(best) ?? 0)) best = label;
  return best;
}

/**
 * One piece cut where its speaker changes or its words pause SENTENCE_PAUSE_MS or more; a piece that cannot be rebuilt
 * from its tokens stays whole.
 */
function fragmentsOf(piece: Piece, labels: readonly number[]): SpeakerSegment[] {
  if (edited(piece) || !rebuildable(piece))
    return [{ ...piece, speakerIndex: majority(piece.tokens, labels) }];
  const fragments: SpeakerSegment[] = [];
  piece.tokens.forEach((token, i) => {
    const speakerIndex = labels[i] ?? 0;
    const last = fragments[fragments.length - 1];
    if (last && last.speakerIndex === speakerIndex && token.startMs - last.endMs < SENTENCE_PAUSE_MS) {
      last.tokens.push(token);
      last.endMs = Math.max(last.endMs, token.endMs);
    } else {
      fragments.push({ speakerIndex, tokens: [token], text: '', startMs: token.startMs, endMs: token.endMs });
    }
  });
  for (const fragment of fragments) fragment.text = textOfTokens(fragment.tokens);
  return fragments;
}

/**
 * Builds the segments of a transcript from its pieces (time order) and the speaker of each piece's label spans
 * (`labels[i]`: one per token, or one for a piece without tokens).
 */
export function segmentsFromPieces(pieces: readonly Piece[], labels: readonly number[][]): SpeakerSegment[] {
  const segments: SpeakerSegment[] = [];
  // The texts of the open segment's fragments, joined once it is closed (joining as it grows is quadratic).
  let texts: string[] = [];
  const closeOpen = (): void => {
    const open = segments[segments.length - 1];
    if (open && texts.length > 1) open.text = joinTokens(texts);
  };
  pieces.forEach((piece, i) => {
    for (const fragment of fragmentsOf(piece, labels[i] ?? [])) {
      const open = segments[segments.length - 1];
      const joins =
        open &&
        !edited(open) &&
        !edited(fragment) &&
        open.speakerIndex === fragment.speakerIndex &&
        !endsSentence(texts[texts.length - 1] ?? '') &&
        fragment.startMs - open.endMs < SENTENCE_PAUSE_MS;
      if (open && joins) {
        texts.push(fragment.text);
        for (const token of fragment.tokens) open.tokens.push(token);
        open.endMs = Math.max(open.endMs, fragment.endMs);
      } else {
        closeOpen();
        texts = [fragment.text];
        segments.push({ ...fragment, tokens: [...fragment.tokens] });
      }
    }
  });
  closeOpen();
  return segments;
}

/** Stored segments cut back into their pieces, with the index of the segment each piece came from. */
export interface SegmentPieces {
  pieces: Piece[];
  sources: number[];
}

/**
 * Cuts stored segments back into their pieces: after every token that carries punctuation (whole when edited or not
 * rebuildable).
 */
export function piecesOfSegments(segments: readonly Piece[]): SegmentPieces {
  const pieces: Piece[] = [];
  const sources: number[] = [];
  segments.forEach((segment, source) => {
    if (edited(segment) || !rebuildable(segment)) {
      pieces.push({
        text: segment.text,
        tokens: segment.tokens,
        startMs: segment.startMs,
        endMs: segment.endMs,
        ...(edited(segment) ? { originalText: segment.originalText } : {}),
      });
      sources.push(source);
      return;
    }
    let open: Token[] = [];
    segment.tokens.forEach((token, i) => {
      open.push(token);
      if (!token.punc && i < segment.tokens.length - 1) return;
      pieces.push({
        text: textOfTokens(open),
        tokens: open,
        startMs: open[0]!.startMs,
        endMs: open.reduce((end, t) => Math.max(end, t.endMs), -Infinity),
      });
      sources.push(source);
      open = [];
    });
  });
  return { pieces, sources };
}
