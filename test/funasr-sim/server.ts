// The stand-in FunASR websocket server: offline (funasr-wss-server) or 2pass (funasr-wss-server-2pass).
// It analyses the PCM it gets and answers with deterministic placeholder tokens timed on the detected speech.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { makeLogger, stderrSink, type SimLogger } from './glog.js';
import { asrModelTraits, SCRIPT_DEFAULT_MODEL_DIRS } from './asr-model.js';
import { readHotwordFile } from './hotwords.js';
import { OFFLINE_DEFAULTS, OfflineSession } from './offline-session.js';
import { SimConnection, type SimContext } from './sim-connection.js';
import type { ReplyHold, SimOptions, SimServer, SimSessionRecord } from './sim-types.js';
import { TWOPASS_DEFAULTS, TwoPassSession } from './twopass-session.js';

export type { ReplyHold, SimFault, SimOptions, SimServer, SimSessionRecord } from './sim-types.js';

/** websocketpp's default maximum message size, which FunASR keeps. */
export const MAX_MESSAGE_BYTES = 32_000_000;

const SOURCES = {
  offline: {
    main: 'funasr-wss-server.cpp',
    conn: 'websocket-server.cpp',
    decoderThreads: 8,
    ioThreads: 2,
    modelThreads: 1,
  },
  '2pass': {
    main: 'funasr-wss-server-2pass.cpp',
    conn: 'websocket-server-2pass.cpp',
    decoderThreads: 8,
    ioThreads: 2,
    modelThreads: 2,
  },
} as const;

/** Whether the real binary would serve TLS: certfile non-empty and existing (the sim also needs the key). */
function tlsFiles(options: SimOptions): { cert: Buffer; key: Buffer } | null {
  const usable = (path: string | undefined): path is string => !!path && path !== '0' && existsSync(path);
  if (!usable(options.certfile) || !usable(options.keyfile)) return null;
  return { cert: readFileSync(options.certfile), key: readFileSync(options.keyfile) };
}

function loadServerHotwords(options: SimOptions, log: SimLogger, source: string): Map<string, number> {
  if (options.hotwordFile === undefined) return new Map();
  log('I', source, `hotword path: ${options.hotwordFile}`);
  const map = readHotwordFile(options.hotwordFile);
  if (!map) {
    log(
      'E',
      'util.cpp:898',
      `Unable to open hotwords file: ${options.hotwordFile}. If you have not set hotwords, please ignore this message.`,
    );
    return new Map();
  }
  log('I', 'util.cpp:910', 'hotwords: ');
  for (const [phrase, weight] of map) log('I', 'util.cpp:912', `${phrase} : ${weight}`);
  return map;
}

/** Starts the stand-in server and resolves once it accepts connections (after the "listen on port" line). */
export async function startSimServer(options: SimOptions): Promise<SimServer> {
  const names = SOURCES[options.protocol];
  const sink = options.log ?? stderrSink;
  const log = makeLogger(sink);
  const mainSource = (line: number): string => `${names.main}:${line}`;
  const serverHotwords = loadServerHotwords(options, log, mainSource(433));
  const tls = tlsFiles(options);
  const httpServer = tls ? https.createServer(tls) : http.createServer();
  log('I', mainSource(tls ? 452 : 462), tls ? 'SSL is opened!' : 'SSL is closed!');
  if (tls) sink(`certfile path is ${options.certfile}`);

  const sessions: SimSessionRecord[] = [];
  const sockets = new Set<WebSocket>();
  let active = 0;
  let dead = false;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: () => false,
  });
  // The port is bound before the models are loaded; like the real io threads, handshakes are answered only after.
  let markLoaded = (): void => undefined;
  const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
  httpServer.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    void loaded.then(() =>
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)),
    );
  });

  const close = async (): Promise<void> => {
    for (const ws of sockets) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) =>
      httpServer.listening ? httpServer.close(() => resolve()) : resolve(),
    );
  };

  const model = asrModelTraits(options.modelDir ?? SCRIPT_DEFAULT_MODEL_DIRS[options.protocol]);
  const context: SimContext = {
    faults: new Set(options.faults ?? []),
    language: model.language ?? options.language ?? 'zh',
    timestamps: model.timestamps,
    slowReplyMs: options.slowReplyMs ?? 5000,
    heldReplies: null,
    serverHotwords,
    log,
    source: `${names.conn}:${options.protocol === 'offline' ? 230 : 346}`,
    fatal: (reason) => {
      if (dead) return;
      dead = true;
      sink("terminate called after throwing an instance of 'nlohmann::json_abi_v3_11_2::detail::type_error'");
      sink(`  what():  ${reason}`);
      void close().then(() => (options.onFatal ?? defaultOnFatal)(reason));
    },
  };

  wss.on('connection', (ws: WebSocket) => {
    if (dead) return ws.terminate();
    sockets.add(ws);
    const record: SimSessionRecord = { config: {}, hotwords: {}, audioBytes: 0, replies: [] };
    sessions.push(record);
    const defaults = options.protocol === 'offline' ? OFFLINE_DEFAULTS : TWOPASS_DEFAULTS;
    const conn = new SimConnection(ws, context, record, defaults);
    const session = options.protocol === 'offline' ? new OfflineSession(conn) : new TwoPassSession(conn);
    active++;
    if (options.protocol === 'offline') conn.info(`on_open, active connections: ${active}`);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (dead) return;
      if (isBinary) session.onBinary(data);
      else session.onText(data.toString('utf8'));
    });
    ws.on('error', (error) => conn.info(`handle_read_frame error: ${error.message}`));
    ws.on('close', () => {
      sockets.delete(ws);
      conn.dispose();
      if (options.protocol === 'offline') conn.info(`on_close, active connections: ${active}`);
      active--;
      if (options.protocol === 'offline') conn.info('remove one connection');
    });
  });
  httpServer.on('tlsClientError', () =>
    log('I', context.source, 'handle_transport_init received error: TLS handshake failed'),
  );

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 10095, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  await options.loadModels?.();
  markLoaded();
  if (options.protocol === 'offline') log('I', 'websocket-server.cpp:420', 'model successfully inited');
  log('I', `${names.conn}:422`, 'initAsr run check_and_clean_connection');
  log('I', `${names.conn}:425`, 'initAsr run check_and_clean_connection finished');
  const threads = options.threads ?? {
    decoder: names.decoderThreads,
    io: names.ioThreads,
    model: names.modelThreads,
  };
  log('I', mainSource(476), `decoder-thread-num: ${threads.decoder}`);
  log('I', mainSource(477), `io-thread-num: ${threads.io}`);
  log('I', mainSource(478), `model-thread-num: ${threads.model}`);
  log('I', mainSource(479), `asr model init finished. listen on port:${port}`);

  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const holdReplies = (): ReplyHold => {
    const held: (() => void)[] = [];
    context.heldReplies = held;
    const sendWaiting = (): void => {
      for (const deliver of held.splice(0)) deliver();
    };
    const release = (): void => {
      if (context.heldReplies === held) context.heldReplies = null;
      sendWaiting();
    };
    return {
      get waiting() {
        return held.length;
      },
      sendWaiting,
      release,
    };
  };
  return { port, url: `${tls ? 'wss' : 'ws'}://${urlHost}:${port}`, sessions, holdReplies, close };
}

function defaultOnFatal(reason: string): void {
  process.stderr.write(`funasr-sim: fatal: ${reason}\n`);
  process.exit(1);
}
