// Transcribes a file so that every sentence has real times: the whole file at once when the server gives timestamps,
// else one utterance (speech between pauses) per request, each sentence spanning its utterance's speech.
import { mkdtemp, open, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sentence, Token } from '../../src-shared/types.js';
import { utterancesAtPauses, type SpeechUtterance } from '../audio/pause-cutter.js';
import { msToPcmBytes, pcmBytesToMs } from '../audio/pcm.js';
import { throwIfAborted } from '../util/errors.js';
import {
  runOfflineSession,
  type OfflineProgress,
  type OfflineSessionResult,
  type OfflineTranscribeRequest,
  type OfflineTranscript,
} from './offline-session.js';
import { knownServerTimestamps, noteServerTimestamps } from './server-timestamps.js';
import { joinTokens, splitTextUnits } from './text-tokens.js';

/** A file to transcribe; progress is one fraction for the whole transcription. */
export interface TimedTranscribeRequest extends Omit<OfflineTranscribeRequest, 'onProgress'> {
  onProgress?: (fraction: number) => void;
}

/** How many utterances are in flight at once (one connection each). */
export const UTTERANCE_CONNECTIONS = 2;
/** Silence sent around an utterance's speech where there is a pause, so its first and last sounds are whole. */
const CONTEXT_MS = 200;
/** Pauses this long separate utterances (twice CONTEXT_MS, so neighbours never share audio). */
const MIN_PAUSE_MS = 2 * CONTEXT_MS;
/** Utterances longer than this are cut at their quietest point. */
const MAX_UTTERANCE_MS = 18_000;
/** The share of a whole-file request's progress spent uploading; the rest is waiting for the recogniser. */
export const UPLOAD_SHARE = 0.3;
/**
 * Tokens for the words and characters of `text`, their times spread over [startMs, endMs] by character count;
 * punctuation is kept on the token before it.
 */
export function interpolatedTokens(text: string, startMs: number, endMs: number): Token[] {
  const tokens: Token[] = [];
  const sizes: number[] = [];
  for (const unit of splitTextUnits(text)) {
    const previous = tokens[tokens.length - 1];
    if (unit.kind !== 'punct') {
      tokens.push({ text: unit.text, startMs, endMs });
      sizes.push([...unit.text].length);
    } else if (previous) {
      previous.punc = (previous.punc ?? '') + unit.text;
    }
  }
  const total = sizes.reduce((sum, size) => sum + size, 0);
  let before = 0;
  tokens.forEach((token, index) => {
    token.startMs = Math.round(startMs + ((endMs - startMs) * before) / total);
    before += sizes[index] ?? 0;
    token.endMs = Math.round(startMs + ((endMs - startMs) * before) / total);
  });
  return tokens;
}

/** The sentences of one utterance's reply: the server's own times when it gave any, else one interpolated sentence. */
function utteranceSentences(
  { transcript, server }: OfflineSessionResult,
  utterance: SpeechUtterance,
  offsetMs: number,
): Sentence[] {
  if (!transcript.text) return [];
  if (server.timestamps) {
    return transcript.sentences.map((sentence) => ({
      ...sentence,
      startMs: sentence.startMs + offsetMs,
      endMs: sentence.endMs + offsetMs,
      tokens: sentence.tokens.map((token) => ({
        ...token,
        startMs: token.startMs + offsetMs,
        endMs: token.endMs + offsetMs,
      })),
    }));
  }
  const { startMs, endMs } = utterance;
  return [
    { startMs, endMs, text: transcript.text, tokens: interpolatedTokens(transcript.text, startMs, endMs) },
  ];
}

/** The audio sent for an utterance: its speech plus CONTEXT_MS where it borders a pause, within the file. */
function sentRange(utterance: SpeechUtterance, durationMs: number): { startMs: number; endMs: number } {
  return {
    startMs: Math.max(0, utterance.startMs - (utterance.startsAtPause ? CONTEXT_MS : 0)),
    endMs: Math.min(durationMs, utterance.endMs + (utterance.endsAtPause ? CONTEXT_MS : 0)),
  };
}

/** Copies [startMs, endMs) of the open PCM file into a file of its own. */
async function writeExcerpt(source: FileHandle, startMs: number, endMs: number, path: string): Promise<void> {
  const start = msToPcmBytes(startMs);
  const data = Buffer.alloc(Math.max(0, msToPcmBytes(endMs) - start));
  const { bytesRead } = await source.read(data, 0, data.length, start);
  await writeFile(path, data.subarray(0, bytesRead));
}

/** Everything one utterance pass needs besides the request. */
interface UtterancePass {
  request: TimedTranscribeRequest;
  durationMs: number;
  workDir: string;
  source: FileHandle;
  /** Aborted by the caller's signal and by the first failure. */
  stop: AbortController;
  onFraction: (fraction: number) => void;
}

/** The sentences of all utterances in order, and whether any of them has interpolated token times. */
interface UtteranceSentences {
  sentences: Sentence[];
  approximate: boolean;
}

/**
 * Sends the utterances, at most UTTERANCE_CONNECTIONS at a time, and returns their sentences in order (null when the
 * file holds no utterance). The first failure stops the others; it is thrown once every connection is closed.
 */
async function transcribeUtterances(pass: UtterancePass): Promise<UtteranceSentences | null> {
  const { request, durationMs, stop } = pass;
  const { signal } = stop;
  const utterances = utterancesAtPauses(request.pcmPath, {
    minPauseMs: MIN_PAUSE_MS,
    maxUtteranceMs: MAX_UTTERANCE_MS,
    signal,
  });
  const results: Sentence[][] = [];
  let found = 0;
  let approximate = false;
  let coveredUntilMs = 0;
  let doneMs = 0;
  const failures: unknown[] = [];
  const transcribeNext = async (): Promise<boolean> => {
    const next = await utterances.next();
    if (next.done) return false;
    const utterance = next.value;
    const index = found++;
    const coversMs = utterance.endMs - coveredUntilMs;
    coveredUntilMs = utterance.endMs;
    const range = sentRange(utterance, durationMs);
    const path = join(pass.workDir, `${index}.pcm`);
    await writeExcerpt(pass.source, range.startMs, range.endMs, path);
    const result = await runOfflineSession({ ...request, pcmPath: path, signal, onProgress: undefined });
    await rm(path, { force: true });
    results[index] = utteranceSentences(result, utterance, range.startMs);
    approximate ||= result.server.timestamps === false;
    // The server now gives timestamps (it was restarted with another model): later files go whole again.
    if (result.server.timestamps) noteServerTimestamps(request.url, true);
    doneMs += coversMs;
    pass.onFraction(durationMs > 0 ? Math.min(1, doneMs / durationMs) : 1);
    return true;
  };
  const worker = async (): Promise<void> => {
    try {
      while (!signal.aborted && (await transcribeNext()));
    } catch (error) {
      failures.push(error);
      stop.abort();
    }
  };
  try {
    await Promise.all(Array.from({ length: UTTERANCE_CONNECTIONS }, worker));
  } finally {
    await utterances.return(undefined);
  }
  if (failures.length > 0) throw failures[0];
  throwIfAborted(request.signal);
  return found > 0 ? { sentences: results.flat(), approximate } : null;
}

/** Runs the utterance pass with its own temporary folder; null when the file holds no utterance. */
async function transcribeByUtterance(
  request: TimedTranscribeRequest,
  onFraction: (fraction: number) => void,
): Promise<OfflineTranscript | null> {
  const durationMs = pcmBytesToMs((await stat(request.pcmPath)).size);
  const stop = new AbortController();
  const forward = (): void => stop.abort();
  request.signal?.addEventListener('abort', forward, { once: true });
  if (request.signal?.aborted) stop.abort();
  const workDir = await mkdtemp(join(tmpdir(), 'funscribe-utterances-'));
  try {
    const source = await open(request.pcmPath, 'r');
    try {
      const found = await transcribeUtterances({ request, durationMs, workDir, source, stop, onFraction });
      if (!found) return null;
      const text = joinTokens(found.sentences.map((sentence) => sentence.text));
      return { text, ...found, durationMs };
    } finally {
      await source.close();
    }
  } finally {
    request.signal?.removeEventListener('abort', forward);
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Transcribes a 16 kHz mono PCM file so that sentence times are real. A server not known to lack timestamps gets the
 * whole file; when its reply has text but no timestamps, the server is remembered (per URL, in memory) and the file
 * is sent again one utterance at a time. Each such sentence starts and ends on detected speech; only the token times
 * inside it are interpolated (`approximate`).
 */
export async function transcribeWithSentenceTimes(
  request: TimedTranscribeRequest,
): Promise<OfflineTranscript> {
  const report = request.onProgress ?? ((): void => undefined);
  const { url } = request;
  if (knownServerTimestamps(url) === false) {
    const byUtterance = await transcribeByUtterance(request, report);
    if (byUtterance) {
      report(1);
      return byUtterance;
    }
    return (await runOfflineSession({ ...request, onProgress: wholeFileProgress(report, 1) })).transcript;
  }
  // The recogniser's wait counts only when its answer is known to be final (the server gives token times).
  const { transcript: whole, server } = await runOfflineSession({
    ...request,
    onProgress: wholeFileProgress(report, knownServerTimestamps(url) === true ? 1 : 0),
  });
  if (server.timestamps !== null) noteServerTimestamps(url, server.timestamps);
  if (server.timestamps !== false) {
    report(1);
    return whole;
  }
  const byUtterance = await transcribeByUtterance(request, (fraction) =>
    report(UPLOAD_SHARE + fraction * (1 - UPLOAD_SHARE)),
  );
  report(1);
  return byUtterance?.text ? byUtterance : whole;
}

/**
 * Maps a whole-file request's progress to a fraction: upload up to UPLOAD_SHARE, the recogniser's answer to
 * UPLOAD_SHARE + `answered` × the rest (0 while it is not yet known whether the answer is final).
 */
function wholeFileProgress(
  report: (fraction: number) => void,
  answered: number,
): (progress: OfflineProgress) => void {
  return ({ phase, fraction }) =>
    report(
      phase === 'upload'
        ? fraction * UPLOAD_SHARE
        : UPLOAD_SHARE + Math.min(fraction, answered) * (1 - UPLOAD_SHARE),
    );
}
