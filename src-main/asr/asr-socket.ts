// One websocket to a FunASR server, shared by the offline and live sessions: URL checks, connecting (TLS included),
// sends that respect backpressure, replies in arrival order, and every failure mapped to a code and a human message.
import WebSocket from 'ws';
import { FunscribeError, throwIfAborted } from '../util/errors.js';
import { maxReplyBytes } from './reply-limits.js';
import {
  describeConnectError,
  describeLostConnection,
  describeSocketError,
  describeStalledUpload,
} from './socket-errors.js';

/** How long connecting may take by default. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** How long a send may make no progress (the server stopped reading) before the session ends, by default. */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;
/** How long a polite close may take before the socket is cut. */
const CLOSE_GRACE_MS = 2_000;

/** Where and how to connect. */
export interface AsrConnectOptions {
  url: string;
  /** Accept self-signed or otherwise unverifiable certificates on wss:// (FunASR's bundled one is self-signed). */
  allowSelfSignedTls: boolean;
  connectTimeoutMs?: number;
  signal?: AbortSignal;
  /** The largest reply message accepted (ws maxPayload; default 16 MiB); a larger one is ASR_BAD_REPLY. */
  maxReplyBytes?: number;
  /** How long sends may drain nothing before the session ends with ASR_TIMEOUT (default 30 s). */
  stallTimeoutMs?: number;
}

/** Checks a FunASR server address: only ws:// and wss:// with a host are accepted (ASR_BAD_URL otherwise). */
export function parseServerUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new FunscribeError(
      'ASR_BAD_URL',
      `"${url}" is not a server address. Write it like ws://127.0.0.1:10095 (or wss:// for an encrypted server).`,
      { params: { reason: 'notAddress', url } },
    );
  }
  if ((parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') || !parsed.hostname) {
    throw new FunscribeError(
      'ASR_BAD_URL',
      `"${url}" is not a websocket address. A FunASR server address starts with ws:// or wss://, e.g. ws://127.0.0.1:10095.`,
      { params: { reason: 'notWebsocket', url } },
    );
  }
  return parsed;
}

/** The error for an aborted operation. */
function cancelled(): FunscribeError {
  return new FunscribeError('CANCELLED', 'Cancelled.');
}

/** A raw websocket message as text. */
function rawToText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/** An open connection to a FunASR server. Every wait rejects with the first failure (lost, cancelled…). */
export class AsrSocket {
  private readonly texts: string[] = [];
  /** Called whenever a text arrives or the socket fails, so pending waits can settle. */
  private readonly listeners = new Set<() => void>();
  private failure: FunscribeError | null = null;
  private closing = false;
  /** Sends written to the socket but not yet drained to the network. */
  private pendingSends = 0;
  /** Runs while sends are pending and is restarted whenever one drains; firing means the upload stalled. */
  private stallTimer: NodeJS.Timeout | undefined;
  private readonly onAbort = (): void => this.abandon(cancelled());

  private constructor(
    private readonly ws: WebSocket,
    private readonly url: string,
    private readonly signal: AbortSignal | undefined,
    private readonly limits: { maxReplyBytes: number; stallTimeoutMs: number },
  ) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.texts.push(rawToText(data));
      this.notify();
    });
    ws.on('error', (error) => this.fail(describeSocketError(this.url, error, limits.maxReplyBytes)));
    ws.on('close', (code, reason) => {
      signal?.removeEventListener('abort', this.onAbort);
      if (!this.closing)
        this.fail(describeLostConnection(this.url, { code, reason: reason.toString('utf8') }));
    });
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Opens a connection (no subprotocol: the FunASR servers never select one). */
  static connect(options: AsrConnectOptions): Promise<AsrSocket> {
    const url = parseServerUrl(options.url);
    const { signal } = options;
    throwIfAborted(signal);
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const limits = {
      maxReplyBytes: options.maxReplyBytes ?? maxReplyBytes(0),
      stallTimeoutMs: options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS,
    };
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {
        rejectUnauthorized: !options.allowSelfSignedTls,
        perMessageDeflate: false,
        maxPayload: limits.maxReplyBytes,
      });
      const finish = (error: FunscribeError | null): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        ws.off('open', onOpen);
        ws.off('error', onError);
        if (error) {
          ws.on('error', () => undefined);
          ws.terminate();
          reject(error);
        } else {
          resolve(new AsrSocket(ws, url.href, signal, limits));
        }
      };
      const onAbort = (): void => finish(cancelled());
      const timer = setTimeout(
        () => finish(describeConnectError(url, options.allowSelfSignedTls, { timeoutMs })),
        timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      const onOpen = (): void => finish(signal?.aborted ? cancelled() : null);
      const onError = (error: Error): void =>
        finish(describeConnectError(url, options.allowSelfSignedTls, { error }));
      ws.on('open', onOpen);
      ws.on('error', onError);
    });
  }

  /**
   * Sends a text or binary frame and resolves once it has been written to the network (backpressure). When pending
   * sends drain nothing for `stallTimeoutMs` (the server stopped reading), the session ends with ASR_TIMEOUT.
   */
  send(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error: FunscribeError | null): void => {
        if (settled) return;
        settled = true;
        this.listeners.delete(onChange);
        if (error) reject(error);
        else resolve();
      };
      const onChange = (): void => {
        if (this.failure) settle(this.failure);
      };
      if (this.failure) return settle(this.failure);
      this.listeners.add(onChange);
      this.pendingSends++;
      if (this.pendingSends === 1) this.watchDrain();
      this.ws.send(data, { binary: typeof data !== 'string' }, (error) => {
        this.pendingSends--;
        this.watchDrain();
        if (this.failure) settle(this.failure);
        else settle(error ? describeLostConnection(this.url, { error }) : null);
      });
    });
  }

  /** (Re)starts the stall timer while sends are pending, or stops it when none are. */
  private watchDrain(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer =
      this.pendingSends > 0 && !this.failure
        ? setTimeout(
            () => this.abandon(describeStalledUpload(this.url, this.limits.stallTimeoutMs)),
            this.limits.stallTimeoutMs,
          )
        : undefined;
  }

  /** Waits for the next text reply; replies that arrived before a failure are still delivered. */
  nextText(timeoutMs: number, onTimeout: () => FunscribeError): Promise<string> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      const check = (): void => {
        const text = this.texts.shift();
        if (text !== undefined) {
          done();
          resolve(text);
        } else if (this.failure) {
          done();
          reject(this.failure);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(onTimeout());
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Closes normally (code 1000) and waits for the close handshake, cutting the socket if it takes too long. */
  close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.stallTimer);
    this.signal?.removeEventListener('abort', this.onAbort);
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close(1000);
    });
  }

  /** Cuts the connection at once (after a failure or a cancel). */
  destroy(): void {
    this.closing = true;
    clearTimeout(this.stallTimer);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.ws.terminate();
  }

  /** Ends the session with `error` (a deadline, a cancel): every pending and later wait rejects with it, and the socket is cut. */
  abandon(error: FunscribeError): void {
    this.fail(error);
    this.destroy();
  }

  /** Records the first failure and wakes every pending wait. */
  private fail(error: FunscribeError): void {
    this.failure ??= error;
    this.notify();
  }

  /** Wakes every pending wait. */
  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
