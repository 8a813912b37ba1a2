// Checks a FunASR server (remote or managed) with a tiny real transcription: measures the round trip and learns which
// kind of server it is (offline or 2pass) and whether it gives token times.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineHealthReport } from '../../../src-shared/contract.js';
import { runOfflineSession } from '../../asr/offline-session.js';
import { SAMPLE_RATE } from '../../asr/protocol.js';
import { knownServerTimestamps, noteServerTimestamps } from '../../asr/server-timestamps.js';
import { ServerUrlSchema } from '../../../src-shared/schemas/settings.js';
import { toErrorInfo } from '../../util/errors.js';
import { parseOrThrow } from '../../util/validation.js';

/** The result of one engine check: the shared report without the pool's engine id. */
export type EngineHealth = Omit<EngineHealthReport, 'engineId'>;

/** How to check an engine. */
export interface CheckEngineOptions {
  allowSelfSignedTls?: boolean;
  signal?: AbortSignal;
  /** Limit for connecting and for the reply, each (default 10 s). */
  timeoutMs?: number;
}

/** Default limit for connecting and for the reply of a check. */
export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;

/** One second of 16 kHz mono s16le audio: silence with a 300 ms 440 Hz tone in the middle. */
function probeAudio(): Buffer {
  const samples = new Int16Array(SAMPLE_RATE);
  const start = Math.round(SAMPLE_RATE * 0.35);
  const end = Math.round(SAMPLE_RATE * 0.65);
  for (let i = start; i < end; i++) {
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE));
  }
  return Buffer.from(samples.buffer);
}

/**
 * Sends one second of audio to the server and waits for its answer: any answer (even empty text) means healthy. The
 * replies tell the server's kind. Whether it gives token times shows only when it heard words in the probe (and is then
 * remembered, so files for a server without them go one utterance at a time from the start); otherwise it is what
 * earlier files on that server showed, or null.
 * Failures come back as data with their codes (ASR_CONNECT_FAILED, ASR_TLS_FAILED, ASR_TIMEOUT…); a cancel throws
 * CANCELLED and an address that is not ws:// or wss:// throws INVALID_ARGUMENT.
 */
export async function checkEngine(url: string, options: CheckEngineOptions = {}): Promise<EngineHealth> {
  parseOrThrow(ServerUrlSchema, url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const dir = await mkdtemp(join(tmpdir(), 'funscribe-check-'));
  const pcmPath = join(dir, 'check.pcm');
  const checkedAt = Date.now();
  try {
    await writeFile(pcmPath, probeAudio());
    const started = performance.now();
    const { server } = await runOfflineSession({
      url,
      pcmPath,
      wavName: 'funscribe-check',
      hotwords: [],
      itn: false,
      allowSelfSignedTls: options.allowSelfSignedTls ?? false,
      signal: options.signal,
      connectTimeoutMs: timeoutMs,
      replyTimeoutMs: timeoutMs,
    });
    const latencyMs = Math.round(performance.now() - started);
    if (server.timestamps !== null) noteServerTimestamps(url, server.timestamps);
    const traits = { ...server, timestamps: server.timestamps ?? knownServerTimestamps(url) };
    return { url, ok: true, latencyMs, server: traits, error: null, checkedAt };
  } catch (error) {
    const info = toErrorInfo(error);
    if (info.code === 'CANCELLED') throw error;
    return { url, ok: false, latencyMs: null, server: null, error: info, checkedAt };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
