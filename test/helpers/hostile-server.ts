// A real websocket server on loopback whose behaviour a test scripts: what it replies once the client has sent its
// audio, whether it stops reading, what it sends unasked. For broken and hostile FunASR servers.
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';

/** One client connection as the server sees it. */
export interface HostileSession {
  /** The server side of the connection. */
  socket: WebSocket;
  /** The client's first text message (its start message) parsed, once it has come. */
  start: Record<string, unknown> | null;
  /** Binary bytes read so far. */
  audioBytes: number;
  /** Settles when the client has sent its end-of-audio message. */
  ended: Promise<void>;
  /** Whether the end-of-audio message has come. */
  endSeen: boolean;
  /** Settles with the close code once the connection is closed, however it ended. */
  closed: Promise<number>;
  /** Sends a text frame and resolves once it has been written. */
  send(text: string): Promise<void>;
  /** Stops reading from the TCP socket, as a stuck server does: the client's writes soon stop draining. */
  stopReading(): void;
  /** Reads again (so the server notices a close the client sent meanwhile). */
  resumeReading(): void;
}

/** What the server does; every hook may be async. */
export interface HostileScript {
  /** Called when a client connects. */
  onOpen?(session: HostileSession): void | Promise<void>;
  /** Called when the client has sent its end-of-audio message: the usual place to reply. */
  onEnd?(session: HostileSession): void | Promise<void>;
}

/** A running scripted server. */
export interface HostileServer {
  url: string;
  sessions: HostileSession[];
  /** Cuts every connection and stops listening. */
  close(): Promise<void>;
}

/** True for the client's end-of-audio message. */
function isEndOfAudio(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { is_speaking?: unknown }).is_speaking === false
  );
}

/** Parses a text frame, or null when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The TCP socket under a websocket (ws keeps it as `_socket`). */
function tcpSocket(socket: WebSocket): Socket {
  return (socket as unknown as { _socket: Socket })._socket;
}

/** Wraps a new connection and runs the script on it. */
function openSession(socket: WebSocket, script: HostileScript): HostileSession {
  let markEnded = (): void => undefined;
  const session: HostileSession = {
    socket,
    start: null,
    audioBytes: 0,
    ended: new Promise<void>((resolve) => (markEnded = resolve)),
    endSeen: false,
    closed: new Promise<number>((resolve) => socket.once('close', (code) => resolve(code))),
    send: (text) =>
      new Promise<void>((resolve, reject) =>
        socket.send(text, (error) => (error ? reject(error) : resolve())),
      ),
    stopReading: () => tcpSocket(socket).pause(),
    resumeReading: () => tcpSocket(socket).resume(),
  };
  socket.on('error', () => undefined);
  socket.on('message', (data, isBinary) => {
    const bytes = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
    if (isBinary) {
      session.audioBytes += bytes.length;
      return;
    }
    const message = parseJson(bytes.toString('utf8'));
    if (session.start === null && !isEndOfAudio(message)) {
      session.start = (message as Record<string, unknown> | null) ?? {};
    } else if (isEndOfAudio(message)) {
      session.endSeen = true;
      markEnded();
      void Promise.resolve(script.onEnd?.(session)).catch(() => socket.terminate());
    }
  });
  void Promise.resolve(script.onOpen?.(session)).catch(() => socket.terminate());
  return session;
}

/** Starts a scripted websocket server on 127.0.0.1 (a free port). */
export async function startHostileServer(script: HostileScript): Promise<HostileServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const sessions: HostileSession[] = [];
  server.on('connection', (socket) => sessions.push(openSession(socket, script)));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    sessions,
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One `stamp_sents` element as the real servers write it. */
export interface StampSentFields {
  text_seg: string;
  punc: string;
  start: number;
  end: number;
  ts_list: number[][];
}

/** A well-formed first piece, "今天，" over 500–900 ms, that the tests put before a hostile one. */
export const TODAY_PIECE: StampSentFields = {
  text_seg: '今 天',
  punc: '，',
  start: 500,
  end: 900,
  ts_list: [
    [500, 700],
    [700, 900],
  ],
};

/** The offline server's reply for `wavName` (its keys, in its sorted order), with the fields a test chooses. */
export function offlineReply(
  wavName: unknown,
  fields: { text: string; timestamp?: string; stamp_sents?: StampSentFields[] | string },
): string {
  return JSON.stringify({
    is_final: false,
    mode: 'offline',
    ...(fields.stamp_sents === undefined ? {} : { stamp_sents: fields.stamp_sents }),
    text: fields.text,
    ...(fields.timestamp === undefined ? {} : { timestamp: fields.timestamp }),
    wav_name: typeof wavName === 'string' ? wavName : 'wav',
  });
}

/** The text of `pieces` as the server writes it: each piece's tokens run together, then its mark. */
export function piecesText(pieces: readonly StampSentFields[]): string {
  return pieces.map((piece) => piece.text_seg.replace(/ /g, '') + piece.punc).join('');
}

/**
 * A script answering the end of audio with one offline reply made of `pieces`: their `stamp_sents`, all their token
 * times as `timestamp`, and `text` (by default the pieces' own).
 */
export function replyingWithPieces(pieces: StampSentFields[], text = piecesText(pieces)): HostileScript {
  return {
    onEnd: (session) =>
      session.send(
        offlineReply(session.start?.wav_name, {
          text,
          timestamp: JSON.stringify(pieces.flatMap((piece) => piece.ts_list)),
          stamp_sents: pieces,
        }),
      ),
  };
}

/** Registers an afterEach that closes the servers a test started; returns the starter. */
export function useHostileServers(): (script: HostileScript) => Promise<HostileServer> {
  const running: HostileServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });
  return async (script) => {
    const server = await startHostileServer(script);
    running.push(server);
    return server;
  };
}
