// A websocket relay on loopback between the app and a FunASR server, for measuring from outside: it forwards every
// message both ways unchanged and tells when each passed (epoch ms, sub-ms), so the app's time on either side of the
// socket can be told apart from the server's own time.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

/** Epoch ms with sub-ms resolution (comparable across processes on one machine, and with a page's clock). */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** What the relay tells about each message it forwards. */
export interface RelayTaps {
  /** A message from the app to the server (audio is binary). */
  toServer?: (data: Buffer, isBinary: boolean, at: number) => void;
  /** A message from the server to the app. */
  toApp?: (data: Buffer, isBinary: boolean, at: number) => void;
}

/** A running relay. */
export interface WsRelay {
  /** The address to give the app instead of the server's. */
  url: string;
  close(): Promise<void>;
}

/** The bytes of a received message. */
function bytesOf(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
}

/**
 * Starts a relay to `target` (ws://host:port); each app connection gets its own connection to the server, and the taps
 * `onConnection` gives for it.
 */
export async function startWsRelay(target: string, onConnection: () => RelayTaps): Promise<WsRelay> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  server.on('connection', (app, request) => {
    const taps = onConnection();
    const upstream = new WebSocket(new URL(request.url ?? '/', target));
    const early: { data: Buffer; isBinary: boolean }[] = [];
    upstream.on('open', () => {
      for (const message of early.splice(0)) upstream.send(message.data, { binary: message.isBinary });
    });
    app.on('message', (raw, isBinary) => {
      const data = bytesOf(raw);
      taps.toServer?.(data, isBinary, epochNow());
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
      else early.push({ data, isBinary });
    });
    upstream.on('message', (raw, isBinary) => {
      const data = bytesOf(raw);
      taps.toApp?.(data, isBinary, epochNow());
      app.send(data, { binary: isBinary });
    });
    app.on('close', () => upstream.close());
    upstream.on('close', () => app.close());
    upstream.on('error', () => app.terminate());
    app.on('error', () => upstream.terminate());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
