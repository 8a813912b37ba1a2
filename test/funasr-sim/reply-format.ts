// Timestamp fields of the replies and their serialisation, including the real servers' defects.
import type { PlacedToken, TextPiece } from './placeholder-text.js';

/** One `stamp_sents` element as the real server sends it. */
export interface StampSent {
  text_seg: string;
  punc: string;
  start: number;
  end: number;
  ts_list: [number, number][];
}

/** Which timestamp shape to produce: the normal one or one of the fault variants. */
export interface StampStyle {
  concat: boolean;
  emptyStampSents: boolean;
  none: boolean;
}

const pairs = (pieces: readonly TextPiece[]): [number, number][] =>
  pieces.flatMap((p) => p.tokens.map((t): [number, number] => [t.start, t.end]));

/**
 * The `timestamp` string: a compact JSON array of [start,end] per token. With `concat`, the arrays of the
 * groups are glued together as `[[a,b]][[c,d]]`, the real 2pass server's defect; a single group is halved.
 */
export function timestampString(groups: readonly (readonly TextPiece[])[], concat: boolean): string {
  const arrays = groups.map(pairs).filter((a) => a.length > 0);
  if (!concat) return JSON.stringify(arrays.flat());
  const only = arrays[0];
  if (arrays.length === 1 && only && only.length > 1) {
    const half = Math.ceil(only.length / 2);
    return JSON.stringify(only.slice(0, half)) + JSON.stringify(only.slice(half));
  }
  return arrays.map((a) => JSON.stringify(a)).join('');
}

/**
 * The `stamp_sents` array as TimestampSentence builds it: tokens gather until a punctuation mark closes the element
 * (or the text ends), so pieces the punctuation model left unmarked run into the next one; tokens joined by single
 * spaces even for Chinese.
 */
export function stampSents(pieces: readonly TextPiece[]): StampSent[] {
  const sents: StampSent[] = [];
  let open: PlacedToken[] = [];
  pieces.forEach((piece, i) => {
    open.push(...piece.tokens);
    if (open.length === 0 || (piece.punc === '' && i < pieces.length - 1)) return;
    sents.push({
      text_seg: open.map((t) => t.text).join(' '),
      punc: piece.punc,
      start: open[0]?.start ?? 0,
      end: open[open.length - 1]?.end ?? 0,
      ts_list: open.map((t): [number, number] => [t.start, t.end]),
    });
    open = [];
  });
  return sents;
}

/** Adds `timestamp` and `stamp_sents` to a reply (nothing for a model without timestamps or an empty text). */
export function addTimestamps(
  reply: Record<string, unknown>,
  groups: readonly (readonly TextPiece[])[],
  style: StampStyle,
): void {
  const all = groups.flat();
  if (style.none || all.every((p) => p.tokens.length === 0)) return;
  reply.timestamp = timestampString(groups, style.concat);
  reply.stamp_sents = style.emptyStampSents ? '' : stampSents(all);
}

/** Serialises a reply like nlohmann::json::dump(): compact, object keys in sorted order (std::map). */
export function dumpJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries);
  });
}
