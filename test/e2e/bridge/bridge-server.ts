// The browser test bridge: serves the built renderer on 127.0.0.1 and answers `window.funscribe` calls over a loopback
// websocket with the real services, through the same validation and dispatch as the Electron IPC router.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { isApiMethod } from '../../../src-shared/contract.js';
import type { EmitEvent } from '../../../src-main/application/events.js';
import { createAppService, type AppService } from '../../../src-main/application/app-service.js';
import { meetingIdOfMediaPath } from '../../../src-main/application/media-urls.js';
import { dispatchCall } from '../../../src-main/app/ipc-router.js';
import type { Services } from '../../../src-main/services.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Where the bridge serves a meeting's audio: /media/meeting/<id>, on the page's own origin (as Electron's media scheme). */
const MEDIA_PATH = '/media/meeting/';

/** Answers a media URL with the application's range response, as the desktop app's media protocol does. */
async function serveMedia(
  media: Pick<AppService, 'meetingMediaResponse'>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { pathname } = new URL(request.url ?? '/', 'http://x');
  const id = meetingIdOfMediaPath('meeting', pathname.slice(MEDIA_PATH.length - 1));
  const answer = await media.meetingMediaResponse(id, request.headers.range ?? null, request.method ?? 'GET');
  response.writeHead(answer.status, answer.headers);
  if (!answer.body) return void response.end();
  answer.body.on('error', () => response.destroy());
  response.on('close', () => answer.body?.destroy());
  answer.body.pipe(response);
}

/** A call from the page. */
interface BridgeCall {
  id: number;
  method: unknown;
  args: unknown[];
  page: string;
}

/** Reads a call from the page: an object tagged `$bytes` (see bridge-client.ts) becomes the Uint8Array it encodes. */
export function parseBridgeCall(text: string): BridgeCall {
  return JSON.parse(text, (_key, value: unknown) => {
    const bytes = (value as { $bytes?: unknown } | null)?.$bytes;
    return typeof bytes === 'string' && Object.keys(value as object).length === 1
      ? new Uint8Array(Buffer.from(bytes, 'base64'))
      : value;
  }) as BridgeCall;
}

/** A running bridge: the page URL and a way to stop it. */
export interface BridgeServer {
  url: string;
  /** Sends an event to the page as the main process does (e.g. the global shortcut's recording:toggle-request). */
  emit: EmitEvent;
  close(): Promise<void>;
}

/** Serves `rendererDir` and bridges API calls to `services`; only pages from this server are trusted callers. */
export async function startBridgeServer(services: Services, rendererDir: string): Promise<BridgeServer> {
  const clients = new Set<WebSocket>();
  const emit: EmitEvent = (event, payload) => {
    const message = JSON.stringify({ event, payload });
    for (const client of clients) client.send(message);
  };
  const handlers = createAppService(services, emit, (meetingId) => `${MEDIA_PATH}${meetingId}`);
  const http: Server = createServer((request, response) => {
    if (request.url?.startsWith(MEDIA_PATH)) return void serveMedia(handlers, request, response);
    const path = normalize(
      join(rendererDir, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)),
    );
    const file = path === normalize(rendererDir + sep) ? join(rendererDir, 'index.html') : path;
    if (request.url === '/favicon.ico') return void response.writeHead(204).end();
    if (!file.startsWith(rendererDir)) return void response.writeHead(403).end();
    readFile(file).then(
      (body) =>
        response
          .writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => response.writeHead(404).end(),
    );
  });
  const wss = new WebSocketServer({ server: http, path: '/bridge' });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  wss.on('connection', (socket) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    socket.on('message', async (data) => {
      const call = parseBridgeCall(String(data));
      const result = isApiMethod(call.method)
        ? await dispatchCall(call.method, handlers, { senderFrame: { url: call.page } }, call.args, {
            isTrustedSender: (frameUrl) => frameUrl.startsWith(`${origin}/`),
          })
        : {
            ok: false,
            error: { code: 'INVALID_ARGUMENT', message: `Unknown method ${String(call.method)}` },
          };
      socket.send(JSON.stringify({ id: call.id, result }));
    });
  });
  return {
    url: `${origin}/`,
    emit,
    close: async () => {
      for (const client of clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
