// The 2pass streaming protocol (funasr-wss-server-2pass): audio is analysed as it arrives in 50 ms slices,
// streaming partials come every chunk (chunk_size[1] x 60 ms), a sentence closed by silence is re-sent whole.
//
// Loss when several sentences close in one decode step (`FunTpassInferBuffer` in funasrruntime.cpp): `tpass_msg` is
// overwritten per VAD segment, so only the last sentence's text is sent, while `cur_stamp` is never reset, so the
// timestamp string repeats the earlier groups: `[[1,2],[3,4]][[1,2],[3,4][5,6]]`. The real server makes one such step
// per 1,600-byte slice of a received message (do_decoder's loop); the stand-in makes one per received message, which
// is stricter: a client whose messages each close at most one sentence loses nothing on either.
import { bytesToSamples, LinearResampler, MODEL_RATE } from './audio-input.js';
import { jsonTypeName } from './hotwords.js';
import { OFFLINE_DEFAULTS } from './offline-session.js';
import {
  countTokens,
  joinTokens,
  MARKS,
  placeSentence,
  renderText,
  streamingTokenCount,
  tokenText,
  type TextPiece,
} from './placeholder-text.js';
import { addTimestamps, dumpJson } from './reply-format.js';
import type { DecodeParams, SimConnection } from './sim-connection.js';
import { SpeechDetector, type SpeechSentence } from './speech-detector.js';

/** Per-connection defaults set in the 2pass server's on_open. */
export const TWOPASS_DEFAULTS = { ...OFFLINE_DEFAULTS, mode: '2pass' };

/** The server re-slices input into pieces of this many bytes (800 samples). */
const SLICE_BYTES = 1600;
const PCM_ONLY_ERROR = 'ERROR. Real-time transcription service ONLY SUPPORT PCM stream.';

/** What one decode step (one received message) produced: streaming text and the sentences it closed. */
interface DecodeStep {
  online: string;
  closed: SpeechSentence[];
}

/** The timestamp string of `FunTpassInferBuffer` for the sentences closed in one step: one cumulative group each. */
function cumulativeStamp(groups: readonly (readonly TextPiece[])[]): string {
  let current = '[';
  let stamp = '';
  for (const pieces of groups) {
    for (const token of pieces.flatMap((piece) => piece.tokens)) current += `[${token.start},${token.end}],`;
    if (current !== '[') {
      current = current.slice(0, -1);
      stamp += `${current}]`;
    }
  }
  return stamp;
}

/** Engine state of one stream; replaced after each final message (the server's ResetIndex). */
class StreamState {
  readonly detector = new SpeechDetector();
  resampler: LinearResampler | null = null;
  samplesSinceChunk = 0;
  tokenBase = 0;
  onlineEmitted = 0;
}

/** Handles the messages of one connection to the 2pass server. */
export class TwoPassSession {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private chunkSamples: number | null = null;
  private stream = new StreamState();

  constructor(private readonly conn: SimConnection) {}

  /** Buffers audio; whole slices are decoded at once, or dropped before the first text message. */
  onBinary(data: Buffer): void {
    if (this.conn.deaf || this.conn.noteBinary(data.length)) return;
    this.pending.push(data);
    this.pendingBytes += data.length;
    if (this.pendingBytes <= SLICE_BYTES) return;
    const all = Buffer.concat(this.pending);
    const cut = Math.floor(all.length / SLICE_BYTES) * SLICE_BYTES;
    this.pending = [all.subarray(cut)];
    this.pendingBytes = all.length - cut;
    if (this.conn.ready) this.decode(all.subarray(0, cut), false);
  }

  /** Applies a control message: mode, chunk_size (once), hotwords (once), end of stream. */
  onText(text: string): void {
    const conn = this.conn;
    if (conn.deaf) return;
    const json = conn.parseText(text);
    if (!json) return;
    for (const key of ['wav_name', 'mode', 'wav_format'] as const)
      if (key in json) conn.state[key] = json[key];
    if (!conn.compileHotwords(json)) return;
    for (const key of ['audio_fs', 'svs_lang', 'svs_itn'] as const)
      if (key in json) conn.state[key] = json[key];
    if ('chunk_size' in json && this.chunkSamples === null && !this.initChunkSize(json.chunk_size)) return;
    if ('itn' in json) conn.state.itn = json.itn;
    conn.info(`jsonresult=${dumpJson(json)}, msg_data->msg=${dumpJson(conn.state)}`);
    if (json.is_speaking !== false && json.is_finished !== true) return;
    conn.info('client done');
    if (conn.dropIfFaulted()) return;
    const rest = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.decode(rest, true);
  }

  /** Reads chunk_size like FunTpassOnlineInit's caller; returns false when the message stops here. */
  private initChunkSize(value: unknown): boolean {
    const bad = !Array.isArray(value)
      ? value
      : value.find((v) => typeof v !== 'number' && typeof v !== 'boolean');
    if (!Array.isArray(value) || bad !== undefined) {
      this.conn.deaf = true;
      this.conn.ctx.fatal(
        `[json.exception.type_error.302] type must be ${Array.isArray(value) ? 'number' : 'array'}, but is ${jsonTypeName(bad)}`,
      );
      return false;
    }
    const middle = Math.trunc(Number(value[1]));
    if (value.length !== 3 || middle === 0) {
      this.conn.error('Wrong chunk_size!');
      return false;
    }
    this.chunkSamples = (Math.abs(middle) * 60 * MODEL_RATE) / 1000;
    return true;
  }

  /** One decode step over a received message (or the rest at the end signal); sends at most one reply. */
  private decode(bytes: Buffer, isFinal: boolean): void {
    const params = this.conn.decodeParams();
    if (!params) return;
    if (this.chunkSamples === null) {
      this.conn.info('tpass_online_handle  is free, return');
      return;
    }
    const step: DecodeStep = { online: '', closed: [] };
    let offset = 0;
    for (; offset + SLICE_BYTES <= bytes.length; offset += SLICE_BYTES) {
      this.analyseSlice(bytes.subarray(offset, offset + SLICE_BYTES), params, step);
    }
    if (isFinal) return this.finish(bytes.subarray(offset), params, step);
    const reply = this.result(step, '', params);
    if (reply.text !== '') this.conn.send({ ...reply, wav_name: params.wavName, is_final: false });
  }

  private isPcm(params: DecodeParams): boolean {
    return params.wavFormat === 'pcm' || params.wavFormat === 'PCM';
  }

  private samples(bytes: Buffer, params: DecodeParams): Int16Array {
    this.stream.resampler ??= new LinearResampler(params.audioFs > 0 ? params.audioFs : MODEL_RATE);
    return this.stream.resampler.push(bytesToSamples(bytes));
  }

  private analyseSlice(bytes: Buffer, params: DecodeParams, step: DecodeStep): void {
    if (!this.isPcm(params)) {
      this.conn.error(`Wrong wav_format: ${params.wavFormat}`);
      return;
    }
    const samples = this.samples(bytes, params);
    step.closed.push(...this.stream.detector.push(samples));
    this.stream.samplesSinceChunk += samples.length;
    while (this.chunkSamples !== null && this.stream.samplesSinceChunk >= this.chunkSamples) {
      this.stream.samplesSinceChunk -= this.chunkSamples;
      step.online += this.newOnlineTokens(params);
    }
  }

  private finish(rest: Buffer, params: DecodeParams, step: DecodeStep): void {
    if (!this.isPcm(params)) {
      this.conn.send({ text: PCM_ONLY_ERROR, wav_name: params.wavName, is_final: true });
      this.stream = new StreamState();
      return;
    }
    const detector = this.stream.detector;
    step.closed.push(...detector.push(this.samples(rest, params)));
    step.online += this.newOnlineTokens(params);
    step.closed.push(...detector.flush());
    const reply = this.result(step, MARKS[this.conn.ctx.language].stop, params);
    this.conn.send({ ...reply, wav_name: params.wavName, is_final: true });
    this.stream = new StreamState();
  }

  /**
   * Builds handle_result's fields for one step: the offline text wins over the streaming text, and of several
   * sentences closed in the step only the last one's text and pieces are sent, with the cumulative timestamp string.
   */
  private result(step: DecodeStep, lastMark: string, params: DecodeParams): Record<string, unknown> {
    const reply: Record<string, unknown> = { text: '' };
    if (step.online !== '') {
      this.conn.info(`online_res :${step.online}`);
      Object.assign(reply, { text: step.online, mode: '2pass-online' });
    }
    const groups = this.placeSentences(step.closed, lastMark);
    const last = groups[groups.length - 1];
    if (!last) return reply;
    const text = renderText(this.conn.ctx.language, last);
    this.conn.info(`offline results : ${text}`);
    Object.assign(reply, { text, mode: '2pass-offline' });
    if (params.mode === 'online') return reply;
    addTimestamps(reply, [last], this.conn.stampStyle());
    if (groups.length > 1 && typeof reply.timestamp === 'string') reply.timestamp = cumulativeStamp(groups);
    return reply;
  }

  /** Token pieces of the sentences closed in a step (the last one ends with `lastMark`); the token counter moves on. */
  private placeSentences(closed: SpeechSentence[], lastMark: string): TextPiece[][] {
    const language = this.conn.ctx.language;
    return closed.map((sentence, i) => {
      const mark = i === closed.length - 1 ? lastMark : '';
      const pieces = placeSentence(language, sentence, this.stream.tokenBase, mark);
      this.stream.tokenBase += countTokens(pieces);
      this.stream.onlineEmitted = 0;
      return pieces;
    });
  }

  /** Streaming tokens of the open sentence not sent yet (none in offline mode). */
  private newOnlineTokens(params: DecodeParams): string {
    if (params.mode === 'offline') return '';
    const language = this.conn.ctx.language;
    const count = streamingTokenCount(language, this.stream.detector.openVoicedMs());
    const tokens: string[] = [];
    for (let i = this.stream.onlineEmitted; i < count; i++)
      tokens.push(tokenText(language, this.stream.tokenBase + i));
    this.stream.onlineEmitted = Math.max(this.stream.onlineEmitted, count);
    return joinTokens(language, tokens);
  }
}
