// State and helpers shared by the offline and 2pass protocol handlers of one websocket connection.
import WebSocket from 'ws';
import type { SimLogger } from './glog.js';
import { jsonTypeName, parseClientHotwords } from './hotwords.js';
import type { SimLanguage } from './placeholder-text.js';
import { dumpJson, type StampStyle } from './reply-format.js';
import type { SimFault, SimSessionRecord } from './sim-types.js';

/** Server-wide settings every connection reads. */
export interface SimContext {
  faults: ReadonlySet<SimFault>;
  language: SimLanguage;
  /** Whether the ASR model gives timestamps (a vad-punc model). */
  timestamps: boolean;
  slowReplyMs: number;
  /** Replies held back while `SimServer.holdReplies` holds them (each sends one when called), else null. */
  heldReplies: (() => void)[] | null;
  serverHotwords: ReadonlyMap<string, number>;
  log: SimLogger;
  /** The `file.cpp` tag of the connection log lines. */
  source: string;
  /** Where the real server would die with an uncaught exception. */
  fatal(reason: string): void;
}

/** Decode parameters after the C++ type conversions succeeded. */
export interface DecodeParams {
  wavName: string;
  wavFormat: string;
  itn: boolean;
  audioFs: number;
  mode: string;
}

const DROP_AFTER_BINARY_FRAMES = 3;

/** One client connection: its control state (`msg_data->msg`), hotwords, fault switches and reply sending. */
export class SimConnection {
  /** The per-connection control state, starting from the server's defaults. */
  readonly state: Record<string, unknown>;
  /** True once the real server would ignore this connection (`is_eof`: bad JSON, closed). */
  deaf = false;
  private hotwordsCompiled = false;
  private binaryFrames = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ws: WebSocket,
    readonly ctx: SimContext,
    readonly record: SimSessionRecord,
    defaults: Record<string, unknown>,
  ) {
    this.state = { ...defaults };
  }

  /** Logs one INFO line with this connection's source tag. */
  info(text: string): void {
    this.ctx.log('I', this.ctx.source, text);
  }

  /** Logs an ERROR line. */
  error(text: string): void {
    this.ctx.log('E', this.ctx.source, text);
  }

  /** Parses a text frame; invalid JSON is logged and makes the connection deaf, as in the real servers. */
  parseText(text: string): Record<string, unknown> | null {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      this.error(`[json.exception.parse_error.101] parse error: ${(error as Error).message}`);
      this.deaf = true;
      return null;
    }
    const json =
      parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
    Object.assign(this.record.config, json);
    return json;
  }

  /** The first text message compiles hotwords; a non-string value crashes the real server. Returns false on fatal. */
  compileHotwords(json: Record<string, unknown>): boolean {
    if (this.hotwordsCompiled) return true;
    const value = json.hotwords;
    if (value !== undefined && value !== null && typeof value !== 'string') {
      this.fatalTypeError('string', value);
      return false;
    }
    const client = parseClientHotwords(typeof value === 'string' ? value : '');
    if (client.problem) this.info(client.problem);
    const merged = new Map(client.weighted);
    for (const [phrase, weight] of this.ctx.serverHotwords)
      if (!merged.has(phrase)) merged.set(phrase, weight);
    this.info('hotwords: ');
    for (const [phrase, weight] of merged) this.info(`${phrase} : ${weight}`);
    for (const word of client.plain) if (!merged.has(word)) merged.set(word, 0);
    this.record.hotwords = Object.fromEntries(merged);
    this.hotwordsCompiled = true;
    return true;
  }

  /** Whether the first text message has compiled hotwords (2pass drops audio that comes before). */
  get ready(): boolean {
    return this.hotwordsCompiled;
  }

  /** Counts a binary frame; with 'drop-mid-stream' the TCP socket is destroyed after a few frames. */
  noteBinary(bytes: number): boolean {
    this.record.audioBytes += bytes;
    this.binaryFrames++;
    return this.binaryFrames >= DROP_AFTER_BINARY_FRAMES && this.dropIfFaulted();
  }

  /** Destroys the socket when 'drop-mid-stream' is on; returns whether it did. */
  dropIfFaulted(): boolean {
    if (!this.ctx.faults.has('drop-mid-stream')) return false;
    this.deaf = true;
    this.ws.terminate();
    return true;
  }

  /** Converts the decode parameters like the C++ code does; a wrong JSON type is fatal (returns null). */
  decodeParams(): DecodeParams | null {
    const s = this.state;
    const fail = (expected: string, value: unknown): null => {
      this.fatalTypeError(expected, value);
      return null;
    };
    if (typeof s.wav_name !== 'string') return fail('string', s.wav_name);
    if (typeof s.wav_format !== 'string') return fail('string', s.wav_format);
    if (typeof s.itn !== 'boolean') return fail('boolean', s.itn);
    if (typeof s.audio_fs !== 'number' && typeof s.audio_fs !== 'boolean') return fail('number', s.audio_fs);
    if (s.mode !== undefined && typeof s.mode !== 'string') return fail('string', s.mode);
    const mode = typeof s.mode === 'string' ? s.mode : 'offline';
    return {
      wavName: s.wav_name,
      wavFormat: s.wav_format,
      itn: s.itn,
      audioFs: Math.trunc(Number(s.audio_fs)),
      mode,
    };
  }

  /** The timestamp shape the model and the fault switches ask for. */
  stampStyle(): StampStyle {
    const f = this.ctx.faults;
    return {
      concat: f.has('concat-timestamps'),
      emptyStampSents: f.has('empty-stamp-sents'),
      none: !this.ctx.timestamps,
    };
  }

  /** Sends a reply (sorted keys like nlohmann), applying 'no-reply', 'invalid-json', 'slow-reply' and a hold. */
  send(reply: Record<string, unknown>): void {
    const faults = this.ctx.faults;
    if (faults.has('no-reply')) return;
    let text = dumpJson(reply);
    if (faults.has('invalid-json')) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    this.record.replies.push(faults.has('invalid-json') ? text : JSON.parse(text));
    const deliver = (): void => {
      if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
    };
    if (this.ctx.heldReplies) return void this.ctx.heldReplies.push(deliver);
    if (!faults.has('slow-reply')) return deliver();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      deliver();
    }, this.ctx.slowReplyMs);
    this.timers.add(timer);
  }

  /** Forgets pending delayed replies (socket closed). */
  dispose(): void {
    this.deaf = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private fatalTypeError(expected: string, value: unknown): void {
    this.deaf = true;
    this.ctx.fatal(`[json.exception.type_error.302] type must be ${expected}, but is ${jsonTypeName(value)}`);
  }
}
