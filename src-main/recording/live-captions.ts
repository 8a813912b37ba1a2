// Live captions of one recording: the mono mix streams to a FunASR 2pass server in 60 ms frames as it is recorded
// (mode "2pass", chunk_size [5,10,5], chunk_interval 10, pcm, the hotwords), `2pass-online` pieces add up to the
// provisional text and each `2pass-offline` sentence replaces it and is stored with the recording. With no server to
// begin with the captions are 'unavailable' and look again now and then ('connecting', and soon, while a managed
// engine that will serve them starts). A dropped server is looked for and connected to again with a backoff (each attempt with a deadline); audio recorded meanwhile is not
// sent, so captions resume from the audio after the reconnection, their times still in recording time. The journal
// never waits for any of this: frames are handed to the socket without waiting; a server that takes none of them for
// a while, or leaves too much unsent, counts as dropped.
import type { CaptionSentence, CaptionState } from '../../src-shared/contract.js';
import type { ErrorInfo, Hotword } from '../../src-shared/types.js';
import { AsrSocket } from '../asr/asr-socket.js';
import {
  buildLiveStartMessage,
  END_OF_AUDIO,
  LIVE_FRAME_SAMPLES,
  parseServerMessage,
  SAMPLE_RATE,
  type ServerReply,
} from '../asr/protocol.js';
import { describeLostConnection, describeStalledUpload } from '../asr/socket-errors.js';
import { FunscribeError, toErrorInfo } from '../util/errors.js';
import { CAPTION_SERVER_STARTING, type CaptionServer } from './caption-server.js';
import type { RecordingRepository } from '../store/recordings-repo.js';
import type { CaptionFeed, CaptionStarter, RecordingEventListener } from './live-recordings.js';

/** The deadlines and pauses of live captions, in ms. */
export interface CaptionTiming {
  /** One attempt to find and connect to a server. */
  attemptMs: number;
  /** The pauses between attempts after a drop (the last one repeats). */
  backoffMs: readonly number[];
  /** How often captions that found no server to begin with look again. */
  lookAgainMs: number;
  /** How long the stop waits for the last sentence after `is_speaking: false`. */
  endWaitMs: number;
  /** How long the audio handed to the socket may drain nothing before the server counts as stalled. */
  stallMs: number;
  /** How much audio may wait to be sent (a server that takes it too slowly) before the server counts as stalled. */
  maxUnsentMs: number;
}

/** The default deadlines and pauses. */
export const CAPTION_TIMING: CaptionTiming = {
  attemptMs: 5000,
  backoffMs: [250, 500, 1000, 2000],
  lookAgainMs: 10_000,
  endWaitMs: 3000,
  stallMs: 5000,
  maxUnsentMs: 60_000,
};

/** How long one wait for a reply lasts before the loop looks again (silence brings no replies). */
const REPLY_POLL_MS = 1000;

/** What live captions need. */
export interface LiveCaptionOptions {
  recordingId: string;
  /**
   * The 2pass server to use now, CAPTION_SERVER_STARTING when a managed one is starting, or null when none runs
   * (called again for each reconnection).
   */
  findServer(signal: AbortSignal): Promise<CaptionServer | typeof CAPTION_SERVER_STARTING | null>;
  hotwords: readonly Hotword[];
  itn: boolean;
  emit: RecordingEventListener;
  /** Stores a sentence with the recording. */
  store(sentence: CaptionSentence): void;
  timing?: Partial<CaptionTiming>;
}

/** The error of the 'unavailable' state. */
function noCaptionServer(): FunscribeError {
  return new FunscribeError(
    'ENGINE_UNAVAILABLE',
    'No live-caption (2pass) server is running, so this recording has no live captions; it is recorded all the same. Start the live-caption engine, or add a 2pass server in the settings.',
    { params: { reason: 'noCaptions' } },
  );
}

/** The sentinel of a reply wait that found nothing yet. */
const NO_REPLY_YET = new FunscribeError('ASR_TIMEOUT', 'No reply yet.');

/** The sentinel that ends the reply loop of a connection closed on purpose. */
const CLOSED = new FunscribeError('CANCELLED', 'The captions stopped.');

/** Resolves after `ms`, or at once when `signal` fires. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A caption sentence from a `2pass-offline` reply, its times (ms of its connection's stream) moved by `offsetMs`. */
function captionSentence(reply: ServerReply, offsetMs: number): CaptionSentence {
  const pieces = (reply.stampSents ?? []).filter((piece) => piece.start >= 0 && piece.end >= piece.start);
  const spans = pieces.length > 0 ? pieces.map((piece) => [piece.start, piece.end]) : reply.timestamps;
  const first = spans[0];
  const last = spans[spans.length - 1];
  if (!first || !last) return { text: reply.text, startMs: null, endMs: null };
  return { text: reply.text, startMs: offsetMs + first[0]!, endMs: offsetMs + last[1]! };
}

/** One connection of the captions: its socket, where its stream starts in the recording, and the audio to send. */
class CaptionConnection {
  private pending = new Int16Array(0);
  private unsentFrames = 0;
  private finalSeen: (() => void) | null = null;
  private readonly maxUnsentFrames: number;

  constructor(
    readonly socket: AsrSocket,
    private readonly url: string,
    /** The recording time of the first sample this connection sends. */
    readonly offsetMs: number,
    private readonly maxUnsentMs: number,
  ) {
    this.maxUnsentFrames = Math.ceil((maxUnsentMs * SAMPLE_RATE) / 1000 / LIVE_FRAME_SAMPLES);
  }

  /** Sends whole 60 ms frames of the audio so far; the rest waits for more. */
  feed(mono: Int16Array): void {
    const all = new Int16Array(this.pending.length + mono.length);
    all.set(this.pending);
    all.set(mono, this.pending.length);
    let offset = 0;
    for (; offset + LIVE_FRAME_SAMPLES <= all.length; offset += LIVE_FRAME_SAMPLES)
      this.sendFrame(all.subarray(offset, offset + LIVE_FRAME_SAMPLES));
    this.pending = all.slice(offset);
  }

  /** Sends the end: the last part frame, then `is_speaking: false`; waits for the final reply up to `waitMs`. */
  async finish(waitMs: number): Promise<void> {
    if (this.pending.length > 0) this.sendFrame(this.pending);
    this.pending = new Int16Array(0);
    const final = new Promise<void>((resolve) => (this.finalSeen = resolve));
    const deadline = new AbortController();
    await Promise.race([
      this.socket
        .send(JSON.stringify(END_OF_AUDIO))
        .then(() => final)
        .catch(() => undefined),
      pause(waitMs, deadline.signal),
    ]);
    deadline.abort();
    await this.socket.close();
    this.socket.abandon(CLOSED);
  }

  /** Cuts the connection after a failure of its own (the captions connect again). */
  drop(error: unknown): void {
    this.socket.abandon(
      describeLostConnection(this.url, { error: error instanceof Error ? error : undefined }),
    );
  }

  /** Notes a reply with `is_final` (the answer to `is_speaking: false`). */
  noteFinal(): void {
    this.finalSeen?.();
  }

  /** Hands one frame to the socket without waiting; too much unsent audio drops the connection. */
  private sendFrame(samples: Int16Array): void {
    if (this.unsentFrames >= this.maxUnsentFrames) {
      this.socket.abandon(describeStalledUpload(this.url, this.maxUnsentMs));
      return;
    }
    this.unsentFrames++;
    const bytes = Buffer.from(
      samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength),
    );
    this.socket.send(bytes).then(
      () => this.unsentFrames--,
      () => undefined,
    );
  }
}

/** The live captions of one recording; fed with `push`, ended with `end`. */
export class LiveCaptions implements CaptionFeed {
  private readonly timing: CaptionTiming;
  private readonly stopping = new AbortController();
  private samplesSeen = 0;
  private connection: CaptionConnection | null = null;
  private state: CaptionState = 'connecting';
  private stateReason: string | null = null;
  private provisional = '';
  private ending: Promise<void> | null = null;
  private readonly running: Promise<void>;

  constructor(private readonly options: LiveCaptionOptions) {
    this.timing = { ...CAPTION_TIMING, ...options.timing };
    this.running = this.run().catch(() => undefined);
  }

  push(mono: Int16Array): void {
    if (this.ending) return;
    this.samplesSeen += mono.length;
    const connection = this.connection;
    try {
      connection?.feed(mono);
    } catch (error) {
      // Never into the recording's append: the connection counts as lost and is made again.
      connection?.drop(error);
    }
  }

  end(): Promise<void> {
    this.ending ??= this.finish();
    return this.ending;
  }

  private async finish(): Promise<void> {
    const connection = this.connection;
    this.stopping.abort();
    if (connection) await connection.finish(this.timing.endWaitMs).catch(() => undefined);
    await this.running;
  }

  /** Connects, reads replies until the connection drops, and connects again until the captions end. */
  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping.signal.aborted) {
      const found = await this.connect();
      if (this.stopping.signal.aborted) {
        found.socket?.destroy();
        return;
      }
      if (found.socket) {
        attempt = 0;
        // In the same turn as the audio starts to flow to it, so its stream starts exactly at this recording time.
        const offsetMs = (this.samplesSeen / SAMPLE_RATE) * 1000;
        const connection = new CaptionConnection(found.socket, found.url, offsetMs, this.timing.maxUnsentMs);
        this.connection = connection;
        this.setState('live', null);
        const lost = await this.readReplies(connection);
        this.connection = null;
        if (this.stopping.signal.aborted) return;
        this.showProvisional('');
        this.setState('reconnecting', toErrorInfo(lost));
      } else if (found.starting && (this.state === 'connecting' || this.state === 'unavailable')) {
        // The managed engine that will serve them is starting: still connecting, looked for again soon.
        this.setState('connecting', null);
        await pause(this.timing.backoffMs.at(-1) ?? 1000, this.stopping.signal);
        continue;
      } else if (found.noServer && (this.state === 'connecting' || this.state === 'unavailable')) {
        // No server to begin with: looked for again now and then (one may be started while recording).
        this.setState('unavailable', toErrorInfo(noCaptionServer()));
        await pause(this.timing.lookAgainMs, this.stopping.signal);
        continue;
      } else {
        this.setState('reconnecting', toErrorInfo(found.error));
      }
      const { backoffMs } = this.timing;
      await pause(backoffMs[Math.min(attempt++, backoffMs.length - 1)] ?? 1000, this.stopping.signal);
    }
  }

  /**
   * One attempt, within its deadline: find the server, connect and send the start message. The attempt's signal
   * never fires after it (the socket keeps it, and would be cut by it).
   */
  private async connect(): Promise<
    | { socket: AsrSocket; url: string; noServer?: never; starting?: never; error?: never }
    | { socket: null; noServer: boolean; starting?: boolean; error: unknown }
  > {
    const attempt = new AbortController();
    const abort = (): void => attempt.abort();
    const deadline = setTimeout(abort, this.timing.attemptMs);
    this.stopping.signal.addEventListener('abort', abort, { once: true });
    const { signal } = attempt;
    try {
      const server = await this.options.findServer(signal);
      if (server === CAPTION_SERVER_STARTING) {
        return { socket: null, noServer: true, starting: true, error: noCaptionServer() };
      }
      if (!server) return { socket: null, noServer: true, error: noCaptionServer() };
      const socket = await AsrSocket.connect({
        url: server.url,
        allowSelfSignedTls: server.allowSelfSignedTls,
        connectTimeoutMs: this.timing.attemptMs,
        stallTimeoutMs: this.timing.stallMs,
        signal,
      });
      const start = buildLiveStartMessage({
        wavName: `funscribe-${this.options.recordingId}`,
        itn: this.options.itn,
        hotwords: this.options.hotwords,
      });
      await socket.send(start).catch((error: unknown) => {
        socket.destroy();
        throw error;
      });
      return { socket, url: server.url };
    } catch (error) {
      return { socket: null, noServer: false, error };
    } finally {
      clearTimeout(deadline);
      this.stopping.signal.removeEventListener('abort', abort);
    }
  }

  /** Reads replies until the connection fails or is closed; returns why it ended. */
  private async readReplies(connection: CaptionConnection): Promise<unknown> {
    for (;;) {
      let text: string;
      try {
        text = await connection.socket.nextText(REPLY_POLL_MS, () => NO_REPLY_YET);
      } catch (error) {
        if (error === NO_REPLY_YET) continue;
        return error;
      }
      let reply: ServerReply;
      try {
        reply = parseServerMessage(text);
      } catch (error) {
        connection.socket.abandon(error as FunscribeError);
        return error;
      }
      this.takeReply(reply, connection);
    }
  }

  /** A `2pass-online` piece adds to the provisional text; a `2pass-offline` sentence replaces it and is stored. */
  private takeReply(reply: ServerReply, connection: CaptionConnection): void {
    if (reply.mode === '2pass-online' && reply.text !== '') {
      this.showProvisional(this.provisional + reply.text);
    } else if (reply.mode === '2pass-offline' && reply.text !== '') {
      const sentence = captionSentence(reply, connection.offsetMs);
      try {
        this.options.store(sentence);
      } catch {
        // The library takes no writes (a full disk): the captions are still shown, the recording goes on.
      }
      this.provisional = '';
      this.options.emit('recording:caption', {
        recordingId: this.options.recordingId,
        provisional: '',
        sentence,
      });
    }
    if (reply.isFinal) connection.noteFinal();
  }

  private showProvisional(text: string): void {
    if (text === this.provisional) return;
    this.provisional = text;
    this.options.emit('recording:caption', {
      recordingId: this.options.recordingId,
      provisional: text,
      sentence: null,
    });
  }

  /** Tells a change of state, or of its error; the same state for the same reason again is not told again. */
  private setState(state: CaptionState, error: ErrorInfo | null): void {
    if (state === this.state && (error?.message ?? null) === this.stateReason) return;
    this.state = state;
    this.stateReason = error?.message ?? null;
    this.options.emit('recording:captions-state', { recordingId: this.options.recordingId, state, error });
  }
}

/** What the captions of every recording share: where to find a server and where sentences are stored. */
export interface CaptionStarterParts {
  recordings: Pick<RecordingRepository, 'addCaption'>;
  /** The caption server now (as findCaptionServer says); `preferredUrl` is the server the recording's job names. */
  findServer(
    signal: AbortSignal,
    preferredUrl: string | null,
  ): Promise<CaptionServer | typeof CAPTION_SERVER_STARTING | null>;
  timing?: Partial<CaptionTiming>;
}

/** Starts live captions for a recording, stored with it. */
export function captionStarter(parts: CaptionStarterParts): CaptionStarter {
  return (recordingId, settings, emit) =>
    new LiveCaptions({
      recordingId,
      findServer: (signal) => parts.findServer(signal, settings.serverUrl ?? null),
      hotwords: settings.hotwords,
      itn: settings.itn,
      emit,
      store: (sentence) => parts.recordings.addCaption(recordingId, sentence),
      timing: parts.timing,
    });
}
