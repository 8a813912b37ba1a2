// One file through either FunASR server, without being told which: start message (with chunk_size, which the 2pass
// server needs and the offline server ignores), PCM frames streamed from disk, end signal, then the offline server's
// one reply or the 2pass server's sentence replies up to its final message.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Hotword, Sentence, ServerKind, ServerTraits } from '../../src-shared/types.js';
import { FunscribeError, throwIfAborted } from '../util/errors.js';
import { AsrSocket } from './asr-socket.js';
import { buildOfflineStartMessage, END_OF_AUDIO, parseServerMessage, SAMPLE_RATE } from './protocol.js';
import type { ServerReply } from './protocol.js';
import { RecognitionWait } from './recognition-pace.js';
import { ReplyCollector } from './reply-collector.js';
import { checkReplyCounts, maxReplyBytes, repliesTooLarge, spokenDuration } from './reply-limits.js';
import { sentencesFromReply } from './sentences.js';
import { displayUrl } from './socket-errors.js';
import { cleanRecognisedText } from './text-tokens.js';

/** Bytes per millisecond of 16 kHz mono s16le audio. */
const BYTES_PER_MS = (SAMPLE_RATE * 2) / 1000;
/**
 * Default audio frame: 200 ms (6,400 bytes). When several sentences close inside one decode step of the 2pass server
 * (`FunTpassInferBuffer`), only the last one's text is sent: `tpass_msg` is overwritten per VAD segment. The real
 * server takes one step per 1,600-byte slice of a message; the stand-in, stricter, one per message. Either way a step
 * never spans more than one frame plus a sub-1,600-byte carry-over. The FSMN VAD closes a sentence only after
 * `max_end_silence_time` of silence (800 ms in the released VAD models) and the next one needs speech plus that
 * silence again, so closings are at least 800 ms of audio apart (700 ms in the stand-in: 200 ms of speech + 500 ms of
 * silence): 200 ms frames close at most one sentence per message, with room for a VAD tuned shorter. The offline
 * server just appends frames, so their size only costs per-message overhead (measured in bench/ingest.ts).
 */
export const DEFAULT_FRAME_BYTES = 200 * BYTES_PER_MS;
/** websocketpp's default message limit, which the FunASR servers keep. */
export const SERVER_MAX_MESSAGE_BYTES = 32_000_000;
/** Bytes read from disk at a time; each read is cut into frames and reported as one progress step. */
const READ_BYTES = 256 * 1024;

/** Progress of a session: uploading the audio, then waiting for the recogniser (0 then 1). */
export interface OfflineProgress {
  phase: 'upload' | 'recognise';
  fraction: number;
}

/** One file to transcribe on a FunASR server (offline or 2pass). */
export interface OfflineTranscribeRequest {
  /** ws:// or wss:// (anything else is ASR_BAD_URL). */
  url: string;
  /** A 16 kHz mono s16le file. */
  pcmPath: string;
  wavName: string;
  hotwords: Hotword[];
  itn: boolean;
  /** Accept self-signed certificates on wss:// (rejectUnauthorized false) only when true. */
  allowSelfSignedTls: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: OfflineProgress) => void;
  /** Audio bytes per binary frame: even, below 32,000,000 (default 200 ms of audio, see DEFAULT_FRAME_BYTES). */
  frameBytes?: number;
  /**
   * How long to wait for the next reply after the end signal (default 60 s + half the audio duration): the offline
   * server's one reply, or the 2pass server's next sentence (each reply restarts it). All replies together must come
   * within this plus the audio duration.
   */
  replyTimeoutMs?: number;
  /** How long connecting may take (default 10 s). */
  connectTimeoutMs?: number;
  /** How long the upload may drain nothing (the server stopped reading) before ASR_TIMEOUT (default 30 s). */
  stallTimeoutMs?: number;
  /**
   * The whole session's deadline once connected, in every state (upload, waiting for a send to drain, after the end
   * signal): default 60 s + the audio duration for the upload, plus `replyTimeoutMs` + the audio duration for replies.
   */
  sessionTimeoutMs?: number;
}

/** The recognised text of one file, its timed pieces, and the audio duration. */
export interface OfflineTranscript {
  text: string;
  /** Clause pieces in time order (see asr/sentences.ts); the speaker stage joins them into sentences. */
  sentences: Sentence[];
  /** True when some times were estimated rather than given by the server (token times, or whole sentences). */
  approximate: boolean;
  durationMs: number;
}

/** A transcript together with what the server showed of itself. */
export interface OfflineSessionResult {
  transcript: OfflineTranscript;
  server: ServerTraits;
}

/** Checks a frame size: an even whole number of bytes, at least one sample, below the server's message limit. */
function checkFrameBytes(frameBytes: number): number {
  if (
    !Number.isInteger(frameBytes) ||
    frameBytes < 2 ||
    frameBytes % 2 !== 0 ||
    frameBytes >= SERVER_MAX_MESSAGE_BYTES
  ) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      `The audio frame size must be an even number of bytes below ${SERVER_MAX_MESSAGE_BYTES} (got ${frameBytes}).`,
    );
  }
  return frameBytes;
}

/** The size of the PCM file in bytes; a missing file or a folder is a clear error. */
async function pcmFileSize(path: string): Promise<number> {
  const info = await stat(path).catch((error: unknown) => {
    throw new FunscribeError('FILE_NOT_FOUND', `The decoded audio file ${path} does not exist.`, {
      cause: error,
    });
  });
  if (!info.isFile()) throw new FunscribeError('NOT_A_FILE', `${path} is not a file.`);
  return info.size;
}

/** Streams the file in frames, reading it in larger blocks; each block's frames are written before the next read. */
async function uploadPcm(
  socket: AsrSocket,
  request: OfflineTranscribeRequest,
  frameBytes: number,
  totalBytes: number,
): Promise<void> {
  const readBytes = Math.max(1, Math.floor(READ_BYTES / frameBytes)) * frameBytes;
  let sent = 0;
  request.onProgress?.({ phase: 'upload', fraction: 0 });
  for await (const block of createReadStream(request.pcmPath, { highWaterMark: readBytes })) {
    const bytes = block as Buffer;
    const frames: Promise<void>[] = [];
    for (let at = 0; at < bytes.length; at += frameBytes) {
      frames.push(socket.send(bytes.subarray(at, at + frameBytes)));
    }
    await Promise.all(frames);
    sent += bytes.length;
    request.onProgress?.({ phase: 'upload', fraction: totalBytes > 0 ? Math.min(1, sent / totalBytes) : 1 });
  }
  if (sent === 0) request.onProgress?.({ phase: 'upload', fraction: 1 });
}

/**
 * Reads replies until the answer is complete. Each wait is bounded by `replyTimeoutMs` (a 2pass server restarts it with
 * every reply, so a long file is not cut while sentences keep coming) and all of them together by `totalMs`.
 */
async function collectAnswer(
  socket: AsrSocket,
  request: OfflineTranscribeRequest,
  replyTimeoutMs: number,
  totalMs: number,
  maxBytes: number,
): Promise<{ reply: ServerReply; kind: ServerKind }> {
  const collector = new ReplyCollector();
  const deadline = performance.now() + totalMs;
  let bytes = 0;
  for (let replies = 0; ; replies++) {
    const waitMs = Math.max(0, Math.min(replyTimeoutMs, deadline - performance.now()));
    const raw = await socket.nextText(waitMs, () =>
      replyTimeout(request.url, replies > 0 && waitMs < replyTimeoutMs ? totalMs : replyTimeoutMs, replies),
    );
    bytes += Buffer.byteLength(raw, 'utf8');
    if (bytes > maxBytes) throw repliesTooLarge(request.url, maxBytes);
    if (collector.add(parseServerMessage(raw)) && collector.result && collector.kind) {
      return { reply: collector.result, kind: collector.kind };
    }
  }
}

/** The ASR_TIMEOUT error after `ms` of waiting, worded by whether results had started to come. */
function replyTimeout(url: string, ms: number, repliesSoFar: number): FunscribeError {
  const server = displayUrl(url.trim());
  const seconds = Math.round(ms / 1000);
  const what =
    repliesSoFar === 0
      ? `did not send the transcript within ${seconds} s after receiving the audio`
      : `sent part of the transcript but did not finish it within ${seconds} s`;
  return new FunscribeError(
    'ASR_TIMEOUT',
    `The FunASR server at ${server} ${what}. It may be overloaded or stuck; check its log and try again.`,
    { params: { reason: repliesSoFar === 0 ? 'noTranscript' : 'partial', server, seconds } },
  );
}

/** The ASR_TIMEOUT error when the whole session took longer than `ms`. */
function sessionTimeout(url: string, ms: number, durationMs: number): FunscribeError {
  return new FunscribeError(
    'ASR_TIMEOUT',
    `The FunASR server at ${displayUrl(url.trim())} did not finish ${spokenDuration(durationMs)} of audio within ${spokenDuration(ms)}. It may be stuck or overloaded; check its log and try again.`,
    { params: { reason: 'tooSlow', server: displayUrl(url.trim()) } },
  );
}

/** Whether a reply showed token times: null when it holds no words. */
function showsTimestamps(reply: ServerReply): boolean | null {
  if (reply.text.trim() === '') return null;
  return reply.timestamps.length > 0 || (reply.stampSents?.length ?? 0) > 0;
}

/**
 * Transcribes one 16 kHz mono PCM file on a FunASR server of either kind, closes the connection, and reports which
 * kind answered and whether it gave token times.
 */
export async function runOfflineSession(request: OfflineTranscribeRequest): Promise<OfflineSessionResult> {
  const frameBytes = checkFrameBytes(request.frameBytes ?? DEFAULT_FRAME_BYTES);
  const startMessage = buildOfflineStartMessage(request);
  const totalBytes = await pcmFileSize(request.pcmPath);
  const durationMs = Math.round(totalBytes / BYTES_PER_MS);
  const replyTimeoutMs = request.replyTimeoutMs ?? 60_000 + durationMs / 2;
  const sessionTimeoutMs = request.sessionTimeoutMs ?? 60_000 + durationMs + replyTimeoutMs + durationMs;
  const maxBytes = maxReplyBytes(durationMs);
  throwIfAborted(request.signal);
  const socket = await AsrSocket.connect({ ...request, maxReplyBytes: maxBytes });
  const deadline = setTimeout(
    () => socket.abandon(sessionTimeout(request.url, sessionTimeoutMs, durationMs)),
    sessionTimeoutMs,
  );
  try {
    await socket.send(startMessage);
    await uploadPcm(socket, request, frameBytes, totalBytes);
    await socket.send(JSON.stringify(END_OF_AUDIO));
    const { onProgress } = request;
    onProgress?.({ phase: 'recognise', fraction: 0 });
    const wait = new RecognitionWait(
      request.url,
      durationMs,
      onProgress && ((share) => onProgress({ phase: 'recognise', fraction: share })),
    );
    const totalMs = replyTimeoutMs + durationMs;
    const { reply, kind } = await collectAnswer(socket, request, replyTimeoutMs, totalMs, maxBytes).finally(
      () => wait.stop(),
    );
    wait.answered();
    checkReplyCounts(reply, durationMs, request.url);
    request.onProgress?.({ phase: 'recognise', fraction: 1 });
    await socket.close();
    const { sentences, approximate } = sentencesFromReply(reply, durationMs);
    return {
      transcript: { text: cleanRecognisedText(reply.text), sentences, approximate, durationMs },
      server: { kind, timestamps: showsTimestamps(reply) },
    };
  } catch (error) {
    socket.destroy();
    throw error;
  } finally {
    clearTimeout(deadline);
  }
}

/** Transcribes one 16 kHz mono PCM file on a FunASR server (offline or 2pass) and closes the connection. */
export async function transcribeOffline(request: OfflineTranscribeRequest): Promise<OfflineTranscript> {
  return (await runOfflineSession(request)).transcript;
}
