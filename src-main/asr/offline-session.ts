// One file through the FunASR offline server: start message, PCM frames streamed from disk, end signal, one reply.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Hotword, Sentence } from '../api/types.js';
import { FunscribeError, throwIfAborted } from '../util/errors.js';
import { AsrSocket } from './asr-socket.js';
import { buildOfflineStartMessage, END_OF_AUDIO, parseServerMessage, SAMPLE_RATE } from './protocol.js';
import { sentencesFromReply } from './sentences.js';
import { displayUrl } from './socket-errors.js';
import { cleanRecognisedText } from './text-tokens.js';

/** Default audio frame size: 256 KiB (8 s of audio), far below the server's 32,000,000-byte message limit. */
export const DEFAULT_FRAME_BYTES = 256 * 1024;
/** websocketpp's default message limit, which the FunASR servers keep. */
export const SERVER_MAX_MESSAGE_BYTES = 32_000_000;
/** Bytes per millisecond of 16 kHz mono s16le audio. */
const BYTES_PER_MS = (SAMPLE_RATE * 2) / 1000;

/** Progress of a session: uploading the audio, then waiting for the recogniser (0 then 1). */
export interface OfflineProgress {
  phase: 'upload' | 'recognise';
  fraction: number;
}

/** One file to transcribe on an offline FunASR server. */
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
  /** Audio bytes per binary frame: even, below 32,000,000 (default 256 KiB). */
  frameBytes?: number;
  /** How long to wait for the reply after the end signal (default 60 s + half the audio duration). */
  replyTimeoutMs?: number;
  /** How long connecting may take (default 10 s). */
  connectTimeoutMs?: number;
}

/** The recognised text of one file, its sentences, and the audio duration. */
export interface OfflineTranscript {
  text: string;
  sentences: Sentence[];
  /** True when sentence times were estimated (the server gave no timestamps). */
  approximate: boolean;
  durationMs: number;
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

/** Streams the file frame by frame, waiting for each frame to be written before reading the next. */
async function uploadPcm(
  socket: AsrSocket,
  request: OfflineTranscribeRequest,
  frameBytes: number,
  totalBytes: number,
): Promise<void> {
  let sent = 0;
  request.onProgress?.({ phase: 'upload', fraction: 0 });
  for await (const chunk of createReadStream(request.pcmPath, { highWaterMark: frameBytes })) {
    await socket.send(chunk as Buffer);
    sent += (chunk as Buffer).length;
    request.onProgress?.({ phase: 'upload', fraction: totalBytes > 0 ? Math.min(1, sent / totalBytes) : 1 });
  }
  if (sent === 0) request.onProgress?.({ phase: 'upload', fraction: 1 });
}

/** Transcribes one 16 kHz mono PCM file on a FunASR offline server and closes the connection. */
export async function transcribeOffline(request: OfflineTranscribeRequest): Promise<OfflineTranscript> {
  const frameBytes = checkFrameBytes(request.frameBytes ?? DEFAULT_FRAME_BYTES);
  const startMessage = buildOfflineStartMessage(request);
  const totalBytes = await pcmFileSize(request.pcmPath);
  const durationMs = Math.round(totalBytes / BYTES_PER_MS);
  const replyTimeoutMs = request.replyTimeoutMs ?? 60_000 + durationMs / 2;
  throwIfAborted(request.signal);
  const socket = await AsrSocket.connect(request);
  try {
    await socket.send(startMessage);
    await uploadPcm(socket, request, frameBytes, totalBytes);
    await socket.send(JSON.stringify(END_OF_AUDIO));
    request.onProgress?.({ phase: 'recognise', fraction: 0 });
    const raw = await socket.nextText(
      replyTimeoutMs,
      () =>
        new FunscribeError(
          'ASR_TIMEOUT',
          `The FunASR server at ${displayUrl(request.url.trim())} did not send the transcript within ${Math.round(replyTimeoutMs / 1000)} s after receiving the audio. It may be overloaded or stuck; check its log and try again.`,
        ),
    );
    const reply = parseServerMessage(raw);
    request.onProgress?.({ phase: 'recognise', fraction: 1 });
    await socket.close();
    const { sentences, approximate } = sentencesFromReply(reply, durationMs);
    return { text: cleanRecognisedText(reply.text), sentences, approximate, durationMs };
  } catch (error) {
    socket.destroy();
    throw error;
  }
}
