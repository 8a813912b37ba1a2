// One attempt to bring a model file from one URL into its `.part` file: resumes with a Range request when part of
// the file is already there, starts over when the server ignores the Range, and hashes the bytes as they arrive.
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

/** Why one attempt failed; `nextMirror` means retrying this URL is pointless, `partIsBad` that the .part must go. */
export class TransferError extends Error {
  constructor(
    message: string,
    readonly nextMirror: boolean,
    readonly partIsBad = false,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

/** What one attempt needs; `onBytes` hears the size of the .part file as it grows. */
export interface TransferRequest {
  url: string;
  partPath: string;
  sizeBytes: number;
  signal: AbortSignal;
  onBytes: (bytesDone: number) => void;
}

/** HTTP statuses after which the same URL will not start working on a retry. */
const PERMANENT_STATUSES = new Set([401, 403, 404, 410, 451]);

async function partSize(partPath: string, sizeBytes: number): Promise<number> {
  const size = (await stat(partPath).catch(() => null))?.size ?? 0;
  if (size <= sizeBytes) return size;
  await rm(partPath, { force: true });
  return 0;
}

async function hashExisting(partPath: string, hash: Hash, signal: AbortSignal): Promise<void> {
  for await (const chunk of createReadStream(partPath, { signal })) hash.update(chunk as Buffer);
}

/** The first byte of a 206 reply (`Content-Range: bytes 100-199/200`), checked against the size we expect. */
function rangeStart(response: Response, sizeBytes: number): number {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
  if (!match)
    throw new TransferError('it answered a resume request without a valid Content-Range', false, true);
  if (match[2] !== '*' && Number(match[2]) !== sizeBytes)
    throw new TransferError(`it serves a file of ${match[2]} bytes, not ${sizeBytes}`, true, true);
  return Number(match[1]);
}

/** Checks the status and returns where the body starts in the file (0 when the server sends the whole file). */
async function bodyOffset(response: Response, offset: number, sizeBytes: number): Promise<number> {
  if (response.status === 206 && offset > 0) {
    if (rangeStart(response, sizeBytes) === offset) return offset;
    throw new TransferError('it resumed at the wrong position', false, true);
  }
  if (response.status === 200) {
    const length = response.headers.get('content-length');
    if (length !== null && Number(length) !== sizeBytes)
      throw new TransferError(`it serves a file of ${length} bytes, not ${sizeBytes}`, true);
    return 0;
  }
  if (response.status === 416) throw new TransferError('it refused to resume (HTTP 416)', false, true);
  throw new TransferError(`HTTP ${response.status}`, PERMANENT_STATUSES.has(response.status));
}

/** Downloads `url` into `partPath` until it holds `sizeBytes` bytes; returns the SHA-256 of the whole part file. */
export async function transferToPart(request: TransferRequest): Promise<string> {
  const { url, partPath, sizeBytes, signal, onBytes } = request;
  const offset = await partSize(partPath, sizeBytes);
  const hash = createHash('sha256');
  if (offset === sizeBytes) {
    await hashExisting(partPath, hash, signal);
    return hash.digest('hex');
  }
  // identity: a compressed reply would make Content-Length and Range count different bytes than we store.
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (offset > 0) headers.range = `bytes=${offset}-`;
  const response = await fetch(url, { headers, signal, redirect: 'follow' });
  let bytesDone: number;
  try {
    bytesDone = await bodyOffset(response, offset, sizeBytes);
  } catch (error) {
    await response.body?.cancel().catch(() => undefined);
    throw error;
  }
  if (!response.body) throw new TransferError('it sent no data', false);
  if (bytesDone > 0) await hashExisting(partPath, hash, signal);
  onBytes(bytesDone);
  await pipeline(
    response.body,
    async function* (chunks: AsyncIterable<Uint8Array>) {
      for await (const chunk of chunks) {
        bytesDone += chunk.byteLength;
        if (bytesDone > sizeBytes)
          throw new TransferError(`it sends more than ${sizeBytes} bytes`, true, true);
        hash.update(chunk);
        yield chunk;
        onBytes(bytesDone);
      }
    },
    createWriteStream(partPath, { flags: bytesDone > 0 ? 'a' : 'w' }),
    { signal },
  );
  if (bytesDone < sizeBytes)
    throw new TransferError(`the connection closed after ${bytesDone} of ${sizeBytes} bytes`, false);
  return hash.digest('hex');
}
