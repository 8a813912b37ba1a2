// The search index's rowid ("search key") of a segment orders hits newest first without a sort:
// key = meeting search time (ms) × 2^21 + (2^21 − 1 − position of the segment in its meeting).
// So rowid DESC lists meetings newest first and each meeting's segments in time order, and one meeting is one key range.
import { MAX_EPOCH_MS } from '../../src-shared/schemas/limits.js';

/** Slots for the segments of one meeting (2^21). */
export const SEGMENT_SLOTS = 2 ** 21;

/** The latest meeting search time a key can hold: 2^42 − 1 ms, in the year 2109. */
export const MAX_SEARCH_MS = MAX_EPOCH_MS;

/** SQL for a segment's key from @searchMs and @position, in 64-bit integers (JS numbers arrive as floats). */
export const SEGMENT_KEY_SQL = `(CAST(@searchMs AS INTEGER) * ${SEGMENT_SLOTS} + ${SEGMENT_SLOTS - 1} - CAST(@position AS INTEGER))`;

/** Every key: the bounds to use when the search is not limited to one meeting. */
export const ALL_KEYS: readonly [bigint, bigint] = [0n, 2n ** 63n - 1n];

/** The keys of one meeting's segments, from its search time. */
export function meetingKeyRange(searchMs: number): [bigint, bigint] {
  return timeKeyRange(searchMs, searchMs);
}

/** The keys of the segments of every meeting whose search time is within [fromMs, toMs]. */
export function timeKeyRange(fromMs: number, toMs: number): [bigint, bigint] {
  return [
    BigInt(fromMs) * BigInt(SEGMENT_SLOTS),
    BigInt(toMs) * BigInt(SEGMENT_SLOTS) + BigInt(SEGMENT_SLOTS - 1),
  ];
}
