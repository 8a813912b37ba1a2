// Turns a FunASR reply into timed pieces: from stamp_sents, else from text + timestamp (cut at every punctuation mark,
// as the server cuts its pieces), else sentences by interpolation. The speaker stage joins pieces into sentences.
// Every time is clamped into the audio; a time wholly past its end is dropped (the words stay, timed by neighbours).
import type { Sentence, Token } from '../../src-shared/types.js';
import type { ServerReply, StampSentence, TimeSpan } from './protocol.js';
import { spanWithinAudio } from './reply-limits.js';
import {
  cleanRecognisedText,
  clauseSpans,
  joinTokens,
  sentenceSpans,
  splitTextUnits,
} from './text-tokens.js';
import type { TextUnit } from './text-tokens.js';

export { joinTokens } from './text-tokens.js';

/** Sentences of one reply; `approximate` is true when some times were estimated rather than given by the server. */
export interface SentenceResult {
  sentences: Sentence[];
  approximate: boolean;
}

/** A sentence being built; null times are filled in from the neighbours. */
interface Draft {
  text: string;
  tokens: Token[];
  startMs: number | null;
  endMs: number | null;
}

/** The run of clause marks ending a piece of text. */
const TRAILING_MARKS = /[，。？、,?！!.；;]+$/u;

/** Punctuation that FunASR gives no timestamp even after ITN (its clause marks). */
const UNSTAMPED_PUNCT = /^[，。？、,?！]+$/;

/** The time span of a piece: its kept token times, else the server's start/end when they make sense (clamped). */
function pieceSpan(piece: StampSentence, tokens: readonly Token[], durationMs: number): TimeSpan | null {
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (first && last) return [first.startMs, Math.max(first.endMs, last.endMs)];
  if (!(piece.start >= 0 && piece.end > piece.start)) return null;
  return spanWithinAudio([piece.start, piece.end], durationMs);
}

/** Adds punctuation after a draft: to its text and to its last token, so the draft can be rebuilt from its tokens. */
function appendPunctuation(draft: Draft, punc: string): void {
  if (!punc) return;
  draft.text += punc;
  const last = draft.tokens[draft.tokens.length - 1];
  if (last) last.punc = (last.punc ?? '') + punc;
}

/**
 * One draft per stamp_sents piece, keeping every token. The server cuts pieces at every punctuation mark, commas
 * included, and a speaker may change at any of them, so pieces are joined into sentences only after speaker labelling.
 */
function draftsFromStampSents(pieces: readonly StampSentence[], durationMs: number): Draft[] {
  const drafts: Draft[] = [];
  for (const piece of pieces) {
    const words = piece.textSeg.split(/\s+/).filter(Boolean);
    const previous = drafts[drafts.length - 1];
    if (words.length === 0) {
      if (previous) appendPunctuation(previous, piece.punc);
      continue;
    }
    const tokens: Token[] = [];
    words.forEach((word, index) => {
      const stamp = piece.tsList[index];
      const span = stamp && spanWithinAudio(stamp, durationMs);
      if (span) tokens.push({ text: word, startMs: span[0], endMs: span[1] });
    });
    const span = pieceSpan(piece, tokens, durationMs);
    const draft: Draft = {
      text: joinTokens(words),
      tokens,
      startMs: span?.[0] ?? null,
      endMs: span?.[1] ?? null,
    };
    appendPunctuation(draft, piece.punc);
    drafts.push(draft);
  }
  return drafts;
}

/**
 * Picks the units that own a timestamp. After ITN, FunASR stamps every unit except its clause marks (so "3.5" has
 * three stamps); without ITN only characters and words are stamped. The variant whose count matches wins.
 */
function timedUnits(units: readonly TextUnit[], stampCount: number): TextUnit[] {
  const itnStyle = units.filter((unit) => unit.kind !== 'punct' || !UNSTAMPED_PUNCT.test(unit.text));
  return itnStyle.length === stampCount ? itnStyle : units.filter((unit) => unit.kind !== 'punct');
}

/**
 * Rebuilds clause pieces from `text` and `timestamp`: tokens map to stamps in order (extra tokens stay untimed), and the
 * unstamped marks after a piece's last token are recorded on it.
 */
function draftsFromTimestamps(text: string, stamps: readonly TimeSpan[], durationMs: number): Draft[] {
  const units = timedUnits(splitTextUnits(text), stamps.length);
  let next = 0;
  return clauseSpans(text).map((span) => {
    const tokens: Token[] = [];
    for (; next < units.length && (units[next]?.end ?? Infinity) <= span.end; next++) {
      const unit = units[next];
      const stamp = stamps[next];
      const span = stamp && spanWithinAudio(stamp, durationMs);
      if (unit && span) tokens.push({ text: unit.text, startMs: span[0], endMs: span[1] });
    }
    const pieceText = text.slice(span.start, span.end);
    const marks = TRAILING_MARKS.exec(pieceText)?.[0] ?? '';
    const last = tokens[tokens.length - 1];
    if (last && marks && !last.text.endsWith(marks)) last.punc = marks;
    return {
      text: pieceText,
      tokens,
      startMs: tokens[0]?.startMs ?? null,
      endMs: last?.endMs ?? null,
    };
  });
}

/** Splits text at sentence punctuation and spreads the audio duration over the sentences by character count. */
function interpolatedSentences(text: string, audioDurationMs: number): Sentence[] {
  const pieces = sentenceSpans(text).map((span) => text.slice(span.start, span.end));
  const sizes = pieces.map((piece) => [...piece.replace(/\s/g, '')].length);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const duration = Math.max(0, audioDurationMs);
  let before = 0;
  return pieces.map((piece, index) => {
    const startMs = Math.round((duration * before) / total);
    before += sizes[index] ?? 0;
    return { startMs, endMs: Math.round((duration * before) / total), text: piece, tokens: [] };
  });
}

/** The start of the first timed draft after each draft (null when none follows), found in one backward pass. */
function nextStarts(drafts: readonly Draft[]): (number | null)[] {
  const next = new Array<number | null>(drafts.length).fill(null);
  let following: number | null = null;
  for (let i = drafts.length - 1; i >= 0; i--) {
    next[i] = following;
    following = drafts[i]?.startMs ?? following;
  }
  return next;
}

/**
 * Fills missing times from the neighbours (previous end, next start) and reports whether any were filled; null when no
 * draft has a time at all.
 */
function finalise(drafts: readonly Draft[]): SentenceResult | null {
  if (!drafts.some((draft) => draft.startMs !== null && draft.endMs !== null)) return null;
  const following = nextStarts(drafts);
  let approximate = false;
  let previousEnd = 0;
  const sentences = drafts.map((draft, index): Sentence => {
    let { startMs, endMs } = draft;
    if (startMs === null || endMs === null) {
      approximate = true;
      startMs = previousEnd;
      endMs = Math.max(startMs, following[index] ?? startMs);
    }
    previousEnd = endMs;
    return { startMs, endMs, text: draft.text, tokens: draft.tokens };
  });
  return { sentences, approximate };
}

/**
 * Builds the sentences of a reply, preferring the server's own sentence pieces and token times; times are kept within
 * `audioDurationMs` (see reply-limits.ts), and a reply none of whose times lie in the audio is placed by interpolation.
 */
export function sentencesFromReply(reply: ServerReply, audioDurationMs: number): SentenceResult {
  const text = cleanRecognisedText(reply.text);
  if (!text) return { sentences: [], approximate: false };
  const fromPieces = reply.stampSents ? draftsFromStampSents(reply.stampSents, audioDurationMs) : [];
  const timed =
    finalise(fromPieces) ??
    (reply.timestamps.length > 0
      ? finalise(draftsFromTimestamps(text, reply.timestamps, audioDurationMs))
      : null);
  return timed ?? { sentences: interpolatedSentences(text, audioDurationMs), approximate: true };
}
