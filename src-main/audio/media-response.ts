// One HTTP answer for a media file, with byte ranges (RFC 9110 §14): what the Electron media protocol and the
// browser test bridge both send, so that a player can seek without reading the file from its start.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';

/** A response to send: status, headers and a body stream (null for HEAD, errors and empty files). */
export interface MediaResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable | null;
}

/** A satisfiable byte range of a file: first and last byte, both included. */
export interface ByteRange {
  start: number;
  end: number;
}

/** The Content-Type of the media files FunScribe serves, by file name ending (Chromium sniffs the rest). */
const MEDIA_TYPES: Record<string, string> = {
  '.webm': 'audio/webm',
  '.weba': 'audio/webm',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
};

/** The Content-Type for a media file's name. */
export function mediaTypeOf(path: string): string {
  return MEDIA_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * What a Range header asks of a file of `size` bytes: one satisfiable range, 'unsatisfiable' (416), or null when the
 * whole file is to be sent (no header, a header this server ignores: not bytes, several ranges, malformed).
 */
export function parseRange(
  header: string | null | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

/** A response without a body. */
export function emptyResponse(status: number, headers: Record<string, string> = {}): MediaResponse {
  return { status, headers, body: null };
}

/**
 * Answers a GET or HEAD for the file at `path`: 200 with the whole file, 206 with the asked range, 416 when the range
 * lies beyond the end, 404 when the file cannot be opened. The file is opened once, so a size and its bytes agree.
 */
export async function fileResponse(
  path: string,
  rangeHeader: string | null | undefined,
  method = 'GET',
): Promise<MediaResponse> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return emptyResponse(404);
  }
  let size: number;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch {
    await handle.close();
    return emptyResponse(404);
  }
  const common = { 'Content-Type': mediaTypeOf(path), 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' };
  const range = parseRange(rangeHeader, size);
  if (range === 'unsatisfiable') {
    await handle.close();
    return emptyResponse(416, { ...common, 'Content-Range': `bytes */${size}` });
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = end - start + 1;
  const headers: Record<string, string> = { ...common, 'Content-Length': String(Math.max(0, length)) };
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  const status = range ? 206 : 200;
  if (method === 'HEAD' || length <= 0) {
    await handle.close();
    return emptyResponse(status, headers);
  }
  return { status, headers, body: createReadStream('', { fd: handle, start, end }) };
}
