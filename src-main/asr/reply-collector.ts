// Gathers the replies of one file session from either FunASR server and tells which kind answered: the offline server
// sends one `offline` reply; the 2pass server sends a `2pass-offline` reply per sentence and ends with `is_final:true`.
import type { ServerKind } from '../../src-shared/types.js';
import { FunscribeError } from '../util/errors.js';
import type { ServerReply } from './protocol.js';
import { joinTokens } from './text-tokens.js';

/**
 * Merges the `2pass-offline` sentence replies of a file into one reply: texts joined, token times and `stamp_sents`
 * pieces concatenated in order. `stampSents` stays null unless every sentence with text brought its pieces, so a
 * missing one can never silently drop a sentence.
 */
export function mergeSentenceReplies(replies: readonly ServerReply[], wavName: string | null): ServerReply {
  const spoken = replies.filter((reply) => reply.text.trim() !== '');
  const everyHasPieces = spoken.length > 0 && spoken.every((reply) => reply.stampSents !== null);
  return {
    mode: '2pass-offline',
    text: joinTokens(spoken.map((reply) => reply.text)),
    isFinal: true,
    wavName: spoken.at(-1)?.wavName ?? wavName,
    timestamps: spoken.flatMap((reply) => reply.timestamps),
    stampSents: everyHasPieces ? spoken.flatMap((reply) => reply.stampSents ?? []) : null,
  };
}

/** Collects replies until the answer is complete; the server's kind is known from the first telling reply. */
export class ReplyCollector {
  private kindSeen: ServerKind | null = null;
  private answer: ServerReply | null = null;
  private readonly sentences: ServerReply[] = [];

  /** The server kind, once a reply has shown it. */
  get kind(): ServerKind | null {
    return this.kindSeen;
  }

  /** The whole answer once complete (the offline reply, or the 2pass sentences merged), else null. */
  get result(): ServerReply | null {
    return this.answer;
  }

  /**
   * Takes one reply; returns true once the answer is complete. Streaming `2pass-online` deltas are ignored (a file only
   * needs the re-decoded sentences); a final 2pass message without `mode` but with text is the server's error text.
   */
  add(reply: ServerReply): boolean {
    if (this.answer) return true;
    if (reply.mode === 'offline') {
      this.kindSeen = 'offline';
      this.answer = reply;
      return true;
    }
    if (reply.mode !== null || reply.isFinal) this.kindSeen = '2pass';
    if (reply.mode === '2pass-offline') this.sentences.push(reply);
    if (!reply.isFinal) return false;
    if (reply.mode === null && reply.text.trim() !== '') {
      throw new FunscribeError(
        'ASR_SERVER_ERROR',
        `The FunASR server refused the audio: ${reply.text.trim()}`,
        { params: { reason: 'refused', serverText: reply.text.trim() } },
      );
    }
    this.answer = mergeSentenceReplies(this.sentences, reply.wavName);
    return true;
  }
}
