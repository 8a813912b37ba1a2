// Socket and TLS failures turned into FunscribeErrors with stable codes and messages a user can act on.
import { singleLineText } from '../util/control-chars.js';
import { FunscribeError } from '../util/errors.js';

/** Node error codes of an unreachable server, with the words we show for them. */
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host name',
  EAI_AGAIN: 'the host name could not be looked up',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'the connection timed out',
  ECONNRESET: 'the connection was reset',
};

/** Certificate verification failures (OpenSSL codes as Node reports them). */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The code of a Node system or TLS error, if any. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** A server address as people write it (no trailing slash). */
export function displayUrl(url: URL | string): string {
  return String(url).replace(/\/$/, '');
}

/** What went wrong while connecting: a socket error or the connect timeout. */
export interface ConnectProblem {
  error?: Error;
  timeoutMs?: number;
}

/** Maps a failure to open the websocket to ASR_CONNECT_FAILED or ASR_TLS_FAILED. */
export function describeConnectError(
  url: URL,
  allowSelfSignedTls: boolean,
  problem: ConnectProblem,
): FunscribeError {
  const where = displayUrl(url);
  const { error } = problem;
  if (!error) {
    const seconds = Math.round((problem.timeoutMs ?? 0) / 1000);
    return new FunscribeError(
      'ASR_CONNECT_FAILED',
      `The FunASR server at ${where} did not answer within ${seconds} s. Is it running, and is the address right?`,
      { params: { reason: 'noAnswer', server: where, seconds } },
    );
  }
  const code = errorCode(error);
  const options = { cause: error };
  const server = { server: where };
  if (CERTIFICATE_CODES.has(code)) {
    const hint = allowSelfSignedTls
      ? 'The certificate could not be used even with self-signed certificates allowed.'
      : 'FunASR servers use a self-signed certificate by default: turn on "Allow self-signed certificates" if you trust this server, or start the server with --certfile 0 and use ws://.';
    return new FunscribeError(
      'ASR_TLS_FAILED',
      `The secure connection to the FunASR server at ${where} failed: its certificate was not accepted (${error.message}). ${hint}`,
      { ...options, params: { reason: 'certificate', ...server } },
    );
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') {
    return new FunscribeError(
      'ASR_TLS_FAILED',
      `The secure connection to the FunASR server at ${where} failed (${error.message}). If the server runs without TLS (--certfile 0), use ws:// instead of wss://; otherwise check "Allow self-signed certificates".`,
      { ...options, params: { reason: 'handshake', ...server } },
    );
  }
  const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
  if (status) {
    return new FunscribeError(
      'ASR_CONNECT_FAILED',
      `The server at ${where} answered with HTTP status ${status} instead of opening a websocket. Is this the address of a FunASR server?`,
      { ...options, params: { reason: 'httpStatus', ...server, status: Number(status) } },
    );
  }
  const reason = UNREACHABLE[code] ?? error.message;
  const tlsHint =
    code === 'ECONNRESET' && url.protocol === 'ws:' ? ' If the server uses TLS, use wss://.' : '';
  return new FunscribeError(
    'ASR_CONNECT_FAILED',
    `Could not reach the FunASR server at ${where} (${reason}). Is it running?${tlsHint}`,
    { ...options, params: { reason: 'unreachable', ...server } },
  );
}

/** How an open connection ended: a socket error or a close frame. */
export interface LostConnection {
  error?: Error;
  code?: number;
  reason?: string;
}

/** Maps an unexpected end of an open connection to ASR_CONNECTION_LOST. */
export function describeLostConnection(url: string, lost: LostConnection): FunscribeError {
  const reason = singleLineText(lost.reason ?? '').slice(0, 120);
  const detail = lost.error
    ? lost.error.message
    : `close code ${lost.code ?? 'unknown'}${reason ? `, "${reason}"` : ''}`;
  return new FunscribeError(
    'ASR_CONNECTION_LOST',
    `The connection to the FunASR server at ${displayUrl(url)} was lost before it answered (${detail}). The server may have crashed or restarted; try again.`,
    { cause: lost.error, params: { reason: 'lost', server: displayUrl(url) } },
  );
}

/** A byte count in MiB as people read it ("16 MiB"). */
function mebibytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

/** Maps a socket error on an open connection: a reply over the size limit is ASR_BAD_REPLY, the rest a lost connection. */
export function describeSocketError(url: string, error: Error, maxReplyBytes: number): FunscribeError {
  if (errorCode(error) === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return new FunscribeError(
      'ASR_BAD_REPLY',
      `The FunASR server at ${displayUrl(url)} sent a reply larger than ${mebibytes(maxReplyBytes)}, far more than any transcript of this recording, so it was refused. Check that the address is a FunASR server and that it works.`,
      {
        cause: error,
        params: {
          reason: 'tooLarge',
          server: displayUrl(url),
          mebibytes: Math.round(maxReplyBytes / (1024 * 1024)),
        },
      },
    );
  }
  return describeLostConnection(url, { error });
}

/** The ASR_TIMEOUT error when the server stopped taking the audio for `ms`. */
export function describeStalledUpload(url: string, ms: number): FunscribeError {
  return new FunscribeError(
    'ASR_TIMEOUT',
    `The FunASR server at ${displayUrl(url)} stopped taking the audio: nothing could be sent for ${Math.round(ms / 1000)} s. It may be stuck or overloaded; check its log and try again.`,
    { params: { reason: 'stalled', server: displayUrl(url), seconds: Math.round(ms / 1000) } },
  );
}
