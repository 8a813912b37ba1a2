// The FunASR websocket protocol: the control messages we send and defensive parsers for the replies.
// The C++ servers crash on wrong JSON types, so outgoing messages are built here with exact types only. Server text is
// read as one line without control characters, so a hostile server cannot drive the terminal of whoever prints it.
import type { Hotword } from '../../src-shared/types.js';
import { singleLineText } from '../util/control-chars.js';
import { FunscribeError } from '../util/errors.js';
import { hotwordsToMessageValue } from './hotwords.js';

/** A time span in ms from the start of the audio: [start, end]. */
export type TimeSpan = [number, number];

/** The sample rate the client always sends (16 kHz mono s16le PCM). */
export const SAMPLE_RATE = 16_000;

/**
 * The streaming chunk layout sent to every server: the 2pass server creates its decoder from it and never answers a
 * connection without one (even in offline mode); the offline server ignores it. [5,10,5] is what the official clients send.
 */
export const CHUNK_SIZE: readonly [number, number, number] = Object.freeze([5, 10, 5] as const);

/**
 * Live audio goes in frames of 60 * chunk_size[1] / chunk_interval ms, as the official streaming clients send it
 * (funasr_wss_client.py's stride; the HTML5 client's 960 samples): 10 gives 60 ms frames.
 */
export const CHUNK_INTERVAL = 10;

/** Samples of one live frame: 60 ms at 16 kHz. */
export const LIVE_FRAME_SAMPLES = (60 * CHUNK_SIZE[1] * SAMPLE_RATE) / CHUNK_INTERVAL / 1000;

/** The first text frame of a session, with the exact JSON types the server expects. */
export interface StartMessage {
  /**
   * "offline" (a file) on both servers: the 2pass server then runs only VAD and the sentence model (no partials);
   * "2pass" (live captions): streaming partials (`2pass-online`) and each sentence re-decoded (`2pass-offline`).
   */
  mode: 'offline' | '2pass';
  chunk_size: [number, number, number];
  /** Sent by the official clients with live audio; the C++ server ignores it. */
  chunk_interval?: number;
  wav_name: string;
  wav_format: 'pcm';
  audio_fs: number;
  is_speaking: true;
  itn: boolean;
  hotwords?: string;
}

/** What a session's first message needs. */
export interface StartOptions {
  wavName: string;
  itn: boolean;
  hotwords: readonly Hotword[];
}

/** The end-of-audio signal: `is_speaking` must be the JSON boolean false (0 or "false" do not work). */
export const END_OF_AUDIO = Object.freeze({ is_speaking: false as const });

/** One `stamp_sents` element: a piece of text up to a punctuation mark with its token times. */
export interface StampSentence {
  /** Tokens separated by single spaces (also for Chinese). */
  textSeg: string;
  /** The punctuation mark ending the piece, or "". */
  punc: string;
  /** Piece start in ms, or -1 when the server gave none. */
  start: number;
  /** Piece end in ms, or -1 when the server gave none. */
  end: number;
  /** One [start, end] per token of `textSeg`. */
  tsList: TimeSpan[];
}

/** A reply from a FunASR server, with every field checked and defaulted. */
export interface ServerReply {
  /** "offline", "2pass-online", "2pass-offline", "online", or null when absent. */
  mode: string | null;
  text: string;
  isFinal: boolean;
  wavName: string | null;
  /** Token times from `timestamp` ([] when absent, unparseable or numeric). */
  timestamps: TimeSpan[];
  /** Parsed `stamp_sents`, or null when absent or "". */
  stampSents: StampSentence[] | null;
}

/** Builds the exact first text frame of an offline session (hotwords omitted when there are none). */
export function buildOfflineStartMessage(options: StartOptions): string {
  return buildStartMessage({ mode: 'offline', chunk_size: [...CHUNK_SIZE] }, options);
}

/** Builds the exact first text frame of a live (2pass) session: partials and sentences, 60 ms frames. */
export function buildLiveStartMessage(options: StartOptions): string {
  return buildStartMessage(
    { mode: '2pass', chunk_size: [...CHUNK_SIZE], chunk_interval: CHUNK_INTERVAL },
    options,
  );
}

/** The first text frame: the mode's fields, then what every session sends. */
function buildStartMessage(
  modeFields: Pick<StartMessage, 'mode' | 'chunk_size' | 'chunk_interval'>,
  options: StartOptions,
): string {
  const message: StartMessage = {
    ...modeFields,
    wav_name: String(options.wavName),
    wav_format: 'pcm',
    audio_fs: SAMPLE_RATE,
    is_speaking: true,
    itn: options.itn === true,
  };
  const hotwords = hotwordsToMessageValue(options.hotwords);
  if (hotwords) message.hotwords = hotwords;
  return JSON.stringify(message);
}

/** True for a plain JSON object (not null, not an array). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number, or the fallback. */
function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** A text field of a reply as one line without control characters ("" when not a string). */
function textField(value: unknown): string {
  return typeof value === 'string' ? singleLineText(value) : '';
}

/** A short, printable preview of a bad reply for error messages. */
function preview(raw: string): string {
  const flat = singleLineText(raw.slice(0, 200)).replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}

/** Parses one reply text frame; invalid JSON or a non-object is an ASR_BAD_REPLY error. */
export function parseServerMessage(raw: string): ServerReply {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new FunscribeError(
      'ASR_BAD_REPLY',
      `The FunASR server sent a reply that is not valid JSON ("${preview(raw)}"). Is this address really a FunASR server?`,
      { cause: error, params: { reason: 'notJson' } },
    );
  }
  if (!isRecord(data)) {
    throw new FunscribeError(
      'ASR_BAD_REPLY',
      `The FunASR server sent a reply that is not a JSON object ("${preview(raw)}").`,
      { params: { reason: 'notObject' } },
    );
  }
  return {
    mode: typeof data.mode === 'string' ? data.mode : null,
    text: textField(data.text),
    isFinal: data.is_final === true,
    wavName: typeof data.wav_name === 'string' ? data.wav_name : null,
    timestamps: parseTimestampField(data.timestamp),
    stampSents: parseStampSents(data.stamp_sents),
  };
}

/** Keeps the [start, end] pairs of finite, non-negative, ordered numbers; drops everything else. */
function timeSpans(list: readonly unknown[]): TimeSpan[] {
  const spans: TimeSpan[] = [];
  for (const item of list) {
    if (!Array.isArray(item) || item.length < 2) continue;
    const [start, end] = item as unknown[];
    if (typeof start !== 'number' || typeof end !== 'number') continue;
    if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end < start) continue;
    spans.push([start, end]);
  }
  return spans;
}

/** One [a,b] pair of numbers, wherever it stands in a string. */
const NUMBER_PAIR = /\[\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\]/g;

/** The top-level bracket groups of a string ("[[1,2]][[1,2],[3,4]" gives two), an unclosed last one included. */
function bracketGroups(text: string): string[] {
  const groups: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (char === ']' && depth > 0) {
      depth--;
      if (depth === 0) groups.push(text.slice(start, i + 1));
    }
  }
  if (depth > 0) groups.push(text.slice(start));
  return groups;
}

/** Every [a,b] number pair of a string, in order, missing commas between pairs tolerated. */
function scanPairs(text: string): unknown[][] {
  return [...text.matchAll(NUMBER_PAIR)].map((match) => [Number(match[1]), Number(match[2])]);
}

/** How many leading pairs two lists share. */
function commonPrefixLength(a: readonly unknown[][], b: readonly unknown[][]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n]?.[0] === b[n]?.[0] && a[n]?.[1] === b[n]?.[1]) n++;
  return n;
}

/**
 * Reads a timestamp string tolerantly. The 2pass server appends one group per sentence that closed in the same decode
 * call, and each group repeats the ones before it ("[[1,2],[3,4]][[1,2],[3,4][5,6]]", sometimes without a comma or a
 * closing bracket): the pairs are scanned group by group and a group's repeat of the previous one is dropped.
 */
function timestampStringSpans(text: string): TimeSpan[] {
  const pairs: unknown[][] = [];
  let previous: unknown[][] = [];
  for (const group of bracketGroups(text)) {
    const groupPairs = scanPairs(group);
    const repeated = commonPrefixLength(previous, groupPairs);
    for (let i = repeated; i < groupPairs.length; i++) pairs.push(groupPairs[i]!);
    if (groupPairs.length > repeated) previous = groupPairs;
  }
  return timeSpans(pairs);
}

/**
 * Reads a `timestamp` value: a JSON string ("[[430,670],[670,810]]", also the 2pass server's glued and cumulative
 * groups), an array of pairs, or anything else (a number from newer 2pass builds, absent, "") as no timestamps.
 */
export function parseTimestampField(value: unknown): TimeSpan[] {
  if (Array.isArray(value)) return timeSpans(value);
  if (typeof value !== 'string') return [];
  return timestampStringSpans(value);
}

/** Reads `stamp_sents`: an array of pieces (bad elements dropped), or null when absent, "" or not an array. */
export function parseStampSents(value: unknown): StampSentence[] | null {
  if (!Array.isArray(value)) return null;
  const pieces: StampSentence[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    pieces.push({
      textSeg: textField(item.text_seg),
      punc: textField(item.punc),
      start: finiteOr(item.start, -1),
      end: finiteOr(item.end, -1),
      tsList: parseTimestampField(item.ts_list),
    });
  }
  return pieces;
}
