// Public option and record types of the stand-in FunASR server (re-exported by server.ts).
import type { SimLanguage } from './placeholder-text.js';

/** Misbehaviours the stand-in server can be told to show. */
export type SimFault =
  | 'drop-mid-stream'
  | 'invalid-json'
  | 'no-reply'
  | 'slow-reply'
  | 'concat-timestamps'
  | 'empty-stamp-sents'
  /** The punctuation model puts only a comma between sentences (as ct-punc often does between two people's words);
   *  a full stop ends only the last sentence of a reply. */
  | 'commas-only'
  /** The punctuation model leaves sentence ends unmarked (only the reply's last sentence gets a full stop), so the
   *  server's pieces run from one person's words into the next one's. */
  | 'unmarked-sentences';

/** Every fault name, for flag parsing. */
export const SIM_FAULTS: readonly SimFault[] = [
  'drop-mid-stream',
  'invalid-json',
  'no-reply',
  'slow-reply',
  'concat-timestamps',
  'empty-stamp-sents',
  'commas-only',
  'unmarked-sentences',
];

/** Options of `startSimServer`. */
export interface SimOptions {
  protocol: 'offline' | '2pass';
  host?: string;
  port?: number;
  /** Placeholder language of a Chinese model (default 'zh'); the English model always answers in English. */
  language?: SimLanguage;
  /** The ASR model (`--model-dir`): replies carry timestamps only for a vad-punc model (see asr-model.ts). Default:
   *  the model run_server.sh / run_server_2pass.sh pass, which gives timestamps. */
  modelDir?: string;
  certfile?: string;
  keyfile?: string;
  hotwordFile?: string;
  faults?: SimFault[];
  slowReplyMs?: number;
  log?: (line: string) => void;
  onFatal?: (reason: string) => void;
  /** Runs once the port is bound, before the ready line (the real binaries load their models then); websocket
   *  handshakes wait until it is done. */
  loadModels?: () => Promise<void>;
  /** Thread counts echoed in the startup log (the CLI passes its flags; defaults are the binaries'). */
  threads?: { decoder: number; io: number; model: number };
}

/** What one connection did: merged control fields, effective hotwords, audio bytes, replies sent. */
export interface SimSessionRecord {
  config: Record<string, unknown>;
  hotwords: Record<string, number>;
  audioBytes: number;
  replies: unknown[];
}

/** A running stand-in server. */
export interface SimServer {
  port: number;
  url: string;
  sessions: SimSessionRecord[];
  /** Holds every connection's replies from now on, as a recogniser still at work would, until released. */
  holdReplies(): ReplyHold;
  close(): Promise<void>;
}

/** Replies held back by `SimServer.holdReplies`. */
export interface ReplyHold {
  /** How many replies are waiting. */
  readonly waiting: number;
  /** Sends the replies waiting now; later ones are held too. */
  sendWaiting(): void;
  /** Sends every waiting reply and stops holding. */
  release(): void;
}
