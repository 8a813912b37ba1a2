// A real HTTP server on 127.0.0.1 that serves one file from memory, with Range support and switches that make it
// misbehave the way real mirrors do: 404, a dropped connection, ignoring Range, wrong bytes, a redirect, slowness.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the server misbehaves; the fields can be changed while it runs. */
export interface FileServerBehaviour {
  /** Answer every request with this status and no file (e.g. 404, 503). */
  status?: number;
  /** Close the connection after sending this many body bytes… */
  dropAfterBytes?: number;
  /** …for this many requests (default 1); later requests are served whole. */
  dropRequests?: number;
  /** Answer Range requests with the whole file (200), as some servers and proxies do. */
  ignoreRange?: boolean;
  /** Serve bytes of the right length but different content. */
  wrongBytes?: boolean;
  /** Answer with a 302 to this URL. */
  redirectTo?: string;
  /** Send the body in chunks of `slowChunkBytes` (default 16 KiB) with this pause between them. */
  slowDelayMs?: number;
  slowChunkBytes?: number;
}

/** One request the server saw. */
export interface SeenRequest {
  path: string;
  range: string | undefined;
}

/** A running file server. */
export interface FileServer {
  /** URL of the served file. */
  url: string;
  /** `host:port`, as the downloader labels mirrors. */
  host: string;
  requests: SeenRequest[];
  behaviour: FileServerBehaviour;
  close: () => Promise<void>;
}

function corrupted(payload: Buffer): Buffer {
  const copy = Buffer.from(payload);
  for (let i = 0; i < copy.length; i += 997) copy[i] = (copy[i] ?? 0) ^ 0xff;
  return copy;
}

/** Parses `bytes=N-` or `bytes=N-M` against a file of `size` bytes. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  const match = /^bytes=(\d+)-(\d*)$/.exec(header ?? '');
  if (!match) return null;
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  return { start, end };
}

async function sendBody(res: ServerResponse, body: Buffer, behaviour: FileServerBehaviour, drop: boolean) {
  const limit = drop ? Math.min(body.length, behaviour.dropAfterBytes ?? body.length) : body.length;
  const chunkBytes = behaviour.slowDelayMs === undefined ? limit : (behaviour.slowChunkBytes ?? 16 * 1024);
  for (let sent = 0; sent < limit && !res.destroyed; sent += chunkBytes) {
    const chunk = body.subarray(sent, Math.min(limit, sent + chunkBytes));
    await new Promise<void>((done) => res.write(chunk, () => done()));
    if (behaviour.slowDelayMs !== undefined) await new Promise((r) => setTimeout(r, behaviour.slowDelayMs));
  }
  if (drop) res.socket?.destroy();
  else res.end();
}

/** Starts a server for `payload` at `path`; close it in afterEach/afterAll. */
export async function startFileServer(
  payload: Buffer,
  behaviour: FileServerBehaviour = {},
  path = '/model.onnx',
): Promise<FileServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const range = req.headers.range;
    requests.push({ path: req.url ?? '', range });
    const b = fileServer.behaviour;
    if (b.redirectTo !== undefined) {
      res.writeHead(302, { location: b.redirectTo }).end();
      return;
    }
    if (b.status !== undefined || req.url !== path) {
      res.writeHead(b.status ?? 404).end('not here');
      return;
    }
    const drop =
      b.dropAfterBytes !== undefined &&
      requests.filter((r) => r.path === path).length <= (b.dropRequests ?? 1);
    const file = b.wrongBytes ? corrupted(payload) : payload;
    const wanted = b.ignoreRange ? null : parseRange(range, file.length);
    if (wanted && wanted.start >= file.length) {
      res.writeHead(416, { 'content-range': `bytes */${file.length}` }).end();
      return;
    }
    const body = wanted ? file.subarray(wanted.start, wanted.end + 1) : file;
    const headers: Record<string, string | number> = {
      'content-length': body.length,
      'accept-ranges': 'bytes',
    };
    if (wanted) headers['content-range'] = `bytes ${wanted.start}-${wanted.end}/${file.length}`;
    res.writeHead(wanted ? 206 : 200, headers);
    void sendBody(res, body, b, drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fileServer: FileServer = {
    url: `http://127.0.0.1:${port}${path}`,
    host: `127.0.0.1:${port}`,
    requests,
    behaviour,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fileServer;
}

/** A URL on 127.0.0.1 where nothing listens (connection refused): a port that was free a moment ago. */
export async function refusedUrl(path = '/model.onnx'): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}
