// The range answers of the media protocol and the test bridge, read back from a real file on disk.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fileResponse,
  mediaTypeOf,
  parseRange,
  type MediaResponse,
} from '../../../src-main/audio/media-response.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const SIZE = 1000;
const BYTES = Buffer.from(Array.from({ length: SIZE }, (_, i) => (i * 7) % 256));

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let file: string;

/** Everything a body stream gives. */
async function bodyOf(response: MediaResponse): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.body as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  dir = await makeTempDir('media-response');
  file = join(dir.path, 'meeting.webm');
  await writeFile(file, BYTES);
});
afterAll(() => dir.remove());

describe('fileResponse', () => {
  it('sends the whole file with its type and length when no range is asked', async () => {
    const response = await fileResponse(file, null);
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'Content-Type': 'audio/webm',
      'Content-Length': String(SIZE),
      'Accept-Ranges': 'bytes',
    });
    expect(response.headers['Content-Range']).toBeUndefined();
    expect((await bodyOf(response)).equals(BYTES)).toBe(true);
  });

  it.each([
    ['bytes=100-199', 100, 199],
    ['bytes=900-', 900, 999],
    ['bytes=-100', 900, 999],
    ['bytes=-5000', 0, 999],
    ['bytes=990-5000', 990, 999],
    ['bytes=0-0', 0, 0],
  ])('answers %s with 206 and exactly those bytes', async (range, start, end) => {
    const response = await fileResponse(file, range);
    expect(response.status).toBe(206);
    expect(response.headers['Content-Range']).toBe(`bytes ${start}-${end}/${SIZE}`);
    expect(response.headers['Content-Length']).toBe(String(end - start + 1));
    expect((await bodyOf(response)).equals(BYTES.subarray(start, end + 1))).toBe(true);
  });

  it.each(['bytes=1000-', 'bytes=5000-6000', 'bytes=-0'])(
    'refuses %s, which lies beyond the end, with 416 and the size',
    async (range) => {
      const response = await fileResponse(file, range);
      expect(response.status).toBe(416);
      expect(response.headers['Content-Range']).toBe(`bytes */${SIZE}`);
      expect(response.body).toBeNull();
    },
  );

  it.each(['bytes=abc', 'items=0-10', 'bytes=0-1,5-6', 'bytes=200-100', 'bytes=-'])(
    'ignores the range %s it does not take and sends the whole file',
    async (range) => {
      const response = await fileResponse(file, range);
      expect(response.status).toBe(200);
      expect((await bodyOf(response)).length).toBe(SIZE);
    },
  );

  it('answers HEAD with the headers of GET and no body', async () => {
    const response = await fileResponse(file, 'bytes=10-19', 'HEAD');
    expect(response.status).toBe(206);
    expect(response.headers['Content-Length']).toBe('10');
    expect(response.body).toBeNull();
  });

  it('answers 404 for a file that is not there or a folder', async () => {
    expect((await fileResponse(join(dir.path, 'gone.webm'), null)).status).toBe(404);
    expect((await fileResponse(dir.path, 'bytes=0-1')).status).toBe(404);
  });
});

describe('parseRange and mediaTypeOf', () => {
  it('names no range for an empty file and refuses any asked of it', () => {
    expect(parseRange(null, 0)).toBeNull();
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
    expect(parseRange('bytes=-10', 0)).toBe('unsatisfiable');
  });

  it('types the files a meeting may play by their ending', () => {
    expect(mediaTypeOf('/a/b/Meeting.M4A')).toBe('audio/mp4');
    expect(mediaTypeOf('call.mp3')).toBe('audio/mpeg');
    expect(mediaTypeOf('raw.pcm')).toBe('application/octet-stream');
  });
});
