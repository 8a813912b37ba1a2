// How much a FunASR reply may hold for a recording of a given length, and where its times may lie. A real server
// never comes near these limits; a broken or hostile one is refused (ASR_BAD_REPLY) or has its times clamped, so it
// can neither exhaust memory nor make the speaker stage work on hours that are not in the recording.
import { FunscribeError } from '../util/errors.js';
import type { ServerReply, TimeSpan } from './protocol.js';
import { displayUrl } from './socket-errors.js';
import { clauseSpans } from './text-tokens.js';

const HOUR_MS = 3_600_000;
/**
 * Clause pieces per hour of audio: one every 0.18 s for a whole hour, a punctuation mark after nearly every word. Real
 * speech (at most about 5 characters a second, a mark every few words) stays far below.
 */
export const MAX_PIECES_PER_HOUR = 20_000;
/**
 * Timed tokens per hour of audio. Paraformer's CIF predictor fires at most once per 60 ms encoder frame, so no model
 * gives more than 60,000 an hour; the half on top covers units that ITN splits.
 */
export const MAX_TOKENS_PER_HOUR = 90_000;
/** Pieces and tokens allowed on top of the hourly rates, so a short file is never judged by its length alone. */
const COUNT_ALLOWANCE = 2_000;
/**
 * Reply bytes allowed for each second of audio on top of the fixed limit: what the count limits above allow at most
 * (about 25 tokens of ~50 bytes with their two time pairs, plus 6 pieces of ~100 bytes of keys).
 */
const REPLY_BYTES_PER_SECOND = 2 * 1024;
/**
 * The fixed part of the reply size limit: 16 MiB. The offline server's reply for 4 hours of fast speech (5 characters a
 * second) is about 4 MiB, and even the model at its limit (a token every 60 ms, a mark every 4) stays near 14 MiB.
 */
const BASE_REPLY_BYTES = 16 * 1024 * 1024;
/** How far past the end of the audio a time may lie and still be read as its end (the recogniser pads its frames). */
export const END_MARGIN_MS = 1_000;

/** The most reply bytes (one message, or all of a session's messages together) accepted for `durationMs` of audio. */
export function maxReplyBytes(durationMs: number): number {
  return BASE_REPLY_BYTES + Math.ceil((Math.max(0, durationMs) / 1000) * REPLY_BYTES_PER_SECOND);
}

/** The most items allowed at `perHour` for `durationMs` of audio. */
function countLimit(perHour: number, durationMs: number): number {
  return COUNT_ALLOWANCE + Math.ceil((Math.max(0, durationMs) * perHour) / HOUR_MS);
}

/** A duration as people say it ("12 s", "3 min", "2.5 h"). */
export function spokenDuration(ms: number): string {
  if (ms < 10_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < HOUR_MS) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round((ms / HOUR_MS) * 10) / 10} h`;
}

/** The ASR_BAD_REPLY error for a reply holding more `what` than `durationMs` of speech can. */
function tooMany(
  url: string,
  count: number,
  what: string,
  limit: number,
  durationMs: number,
): FunscribeError {
  return new FunscribeError(
    'ASR_BAD_REPLY',
    `The FunASR server at ${displayUrl(url.trim())} sent ${count.toLocaleString('en')} ${what} for ${spokenDuration(durationMs)} of audio, more than any speech can hold (at most ${limit.toLocaleString('en')}). The reply was refused; check the server.`,
    { params: { reason: 'tooMany', server: displayUrl(url.trim()) } },
  );
}

/** The timed tokens a reply claims: its `timestamp` pairs or its pieces' token times, whichever are more. */
function tokenCount(reply: ServerReply): number {
  let inPieces = 0;
  for (const piece of reply.stampSents ?? []) inPieces += piece.tsList.length;
  return Math.max(reply.timestamps.length, inPieces);
}

/** Refuses (ASR_BAD_REPLY) a whole answer with more clause pieces or timed tokens than `durationMs` of speech can hold. */
export function checkReplyCounts(reply: ServerReply, durationMs: number, url: string): void {
  const pieceLimit = countLimit(MAX_PIECES_PER_HOUR, durationMs);
  const pieces = Math.max(reply.stampSents?.length ?? 0, clauseSpans(reply.text).length);
  if (pieces > pieceLimit) throw tooMany(url, pieces, 'sentence pieces', pieceLimit, durationMs);
  const tokenLimit = countLimit(MAX_TOKENS_PER_HOUR, durationMs);
  const tokens = tokenCount(reply);
  if (tokens > tokenLimit) throw tooMany(url, tokens, 'timed tokens', tokenLimit, durationMs);
}

/** The ASR_BAD_REPLY error when a session's replies together pass `limit` bytes. */
export function repliesTooLarge(url: string, limit: number): FunscribeError {
  return new FunscribeError(
    'ASR_BAD_REPLY',
    `The FunASR server at ${displayUrl(url.trim())} sent more than ${Math.round(limit / (1024 * 1024))} MiB of replies, far more than any transcript of this recording, so they were refused. Check the server.`,
    {
      params: {
        reason: 'tooLarge',
        server: displayUrl(url.trim()),
        mebibytes: Math.round(limit / (1024 * 1024)),
      },
    },
  );
}

/**
 * A time span clamped into the audio: null when it starts more than END_MARGIN_MS after the end (wholly outside),
 * else with both ends at most the audio's duration.
 */
export function spanWithinAudio([startMs, endMs]: TimeSpan, durationMs: number): TimeSpan | null {
  if (!(startMs <= durationMs + END_MARGIN_MS) || !(endMs >= startMs)) return null;
  return [Math.max(0, Math.min(startMs, durationMs)), Math.max(0, Math.min(endMs, durationMs))];
}
