// The identity of a recording's content: the SHA-256 of its bytes, read as a stream, so the same file dropped twice
// (under any name or folder) is recognised without holding it in memory.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { FunscribeError } from '../util/errors.js';

/** Bytes read at a time. */
const CHUNK_BYTES = 1 << 20;

/** The SHA-256 of a file's bytes as 64 lowercase hex digits; a missing or unreadable file is FILE_NOT_FOUND. */
export async function contentHash(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES, signal })) {
      hash.update(chunk as Buffer);
    }
  } catch (error) {
    if (signal?.aborted) throw new FunscribeError('CANCELLED', 'Cancelled.', { cause: error });
    throw new FunscribeError('FILE_NOT_FOUND', `Could not read ${path}.`, {
      cause: error,
      params: { reason: 'unreadable', file: basename(path) },
    });
  }
  return hash.digest('hex');
}

/** The SHA-256 of a file's bytes, or null when it cannot be read now (its job then fails with the reason). */
export function contentHashOrNull(path: string, signal?: AbortSignal): Promise<string | null> {
  return contentHash(path, signal).catch(() => null);
}
