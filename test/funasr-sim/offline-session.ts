// The offline file protocol (funasr-wss-server): buffer everything, decode once per end signal, one reply.
import { bytesToSamples, decodeWithFfmpeg, LinearResampler } from './audio-input.js';
import { MARKS, placeSentence, renderText, countTokens, type TextPiece } from './placeholder-text.js';
import { addTimestamps, dumpJson } from './reply-format.js';
import type { DecodeParams, SimConnection } from './sim-connection.js';
import { detectSentences } from './speech-detector.js';

/** Per-connection defaults set in the offline server's on_open. */
export const OFFLINE_DEFAULTS = {
  wav_format: 'pcm',
  wav_name: 'wav-default-id',
  itn: true,
  audio_fs: 16000,
  svs_lang: 'auto',
  svs_itn: true,
};

/** Handles the messages of one connection to the offline server. */
export class OfflineSession {
  private chunks: Buffer[] = [];
  private decodes: Promise<void> = Promise.resolve();

  constructor(private readonly conn: SimConnection) {}

  /** Appends audio; nothing is decoded before the end signal. */
  onBinary(data: Buffer): void {
    if (this.conn.deaf || this.conn.noteBinary(data.length)) return;
    this.chunks.push(data);
  }

  /** Applies a control message; `is_speaking:false` or `is_finished:true` posts one decode of the buffer. */
  onText(text: string): void {
    const conn = this.conn;
    if (conn.deaf) return;
    const json = conn.parseText(text);
    if (!json) return;
    for (const key of ['wav_name', 'wav_format'] as const)
      if (json[key] !== undefined && json[key] !== null) conn.state[key] = json[key];
    if (!conn.compileHotwords(json)) return;
    for (const key of ['audio_fs', 'itn', 'svs_lang', 'svs_itn'] as const)
      if (key in json) conn.state[key] = json[key];
    if (json.is_speaking !== false && json.is_finished !== true) return;
    conn.info('client done');
    if (conn.dropIfFaulted()) return;
    const buffer = Buffer.concat(this.chunks);
    this.chunks = [];
    const params = conn.decodeParams();
    if (!params) return;
    this.decodes = this.decodes.then(() => this.decode(buffer, params));
  }

  private async decode(buffer: Buffer, params: DecodeParams): Promise<void> {
    const conn = this.conn;
    const reply: Record<string, unknown> = {
      text: '',
      mode: 'offline',
      is_final: false,
      wav_name: params.wavName,
    };
    if (buffer.length === 0) {
      conn.info('Sent empty msg');
      conn.send(reply);
      return;
    }
    const samples = await this.samplesOf(buffer, params);
    if (samples) {
      const language = conn.ctx.language;
      const groups: TextPiece[][] = [];
      let index = 0;
      const sentences = detectSentences(samples);
      const { faults } = conn.ctx;
      const openMark = faults.has('unmarked-sentences')
        ? ''
        : faults.has('commas-only')
          ? MARKS[language].comma
          : null;
      for (const [at, sentence] of sentences.entries()) {
        const last = at === sentences.length - 1;
        const mark = openMark !== null && !last ? openMark : MARKS[language].stop;
        const pieces = placeSentence(language, sentence, index, mark);
        index += countTokens(pieces);
        groups.push(pieces);
      }
      reply.text = groups.map((pieces) => renderText(language, pieces)).join(language === 'zh' ? '' : ' ');
      addTimestamps(reply, groups, conn.stampStyle());
    } else {
      conn.error('FUNASR_RESULT is nullptr.');
    }
    conn.send(reply);
    conn.info(`buffer.size=${buffer.length},result json=${dumpJson(reply)}`);
  }

  private async samplesOf(buffer: Buffer, params: DecodeParams): Promise<Int16Array | null> {
    if (params.wavFormat === 'pcm' || params.wavFormat === 'PCM') {
      if (params.audioFs <= 0) return null;
      return new LinearResampler(params.audioFs).push(bytesToSamples(buffer));
    }
    const decoded = await decodeWithFfmpeg(buffer);
    if (!decoded.samples) this.conn.error(`Error: Could not open input file. ${decoded.error}`);
    return decoded.samples;
  }
}
