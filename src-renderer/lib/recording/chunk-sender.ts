// Delivers a recording's chunks to main one at a time in capture order, numbered from 0: never two in flight, so
// they cannot arrive out of order. A failed or timed-out send is tried again (main ignores a number it already has)
// a bounded number of times; then nothing more is sent and the failure is reported once.

/** How one chunk is sent (api.appendRecording for the recording in progress). */
export type SendChunk = (seq: number, pcm: Uint8Array<ArrayBuffer>) => Promise<void>;

/** What the sender is told and how hard it tries. */
export interface ChunkSenderOptions {
  send: SendChunk;
  /** Called once with the error that made the sender give up. */
  onFailed: (error: unknown) => void;
  /** Errors that no retry can fix (a full disk): given up on at once. */
  isFinal: (error: unknown) => boolean;
  /** Tries per chunk, the first included. */
  attempts?: number;
  /** Wait before the n-th retry: n × this. */
  retryDelayMs?: number;
  /** Deadline of one try. */
  timeoutMs?: number;
}

/** Thrown when a try did not answer in time. */
export class SendTimeoutError extends Error {
  constructor(seq: number, timeoutMs: number) {
    super(`Chunk ${seq} was not taken within ${timeoutMs} ms.`);
    this.name = 'SendTimeoutError';
  }
}

const DEFAULT_ATTEMPTS = 4;
const DEFAULT_RETRY_DELAY_MS = 250;
const DEFAULT_TIMEOUT_MS = 5000;

/** Rejects with SendTimeoutError when `promise` has not settled after `ms`. */
function withDeadline(promise: Promise<void>, seq: number, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeoutError(seq, ms)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** The ordered, retrying queue of one recording's chunks. */
export class ChunkSender {
  private nextSeq = 0;
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  private readonly attempts: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: ChunkSenderOptions) {
    this.attempts = options.attempts ?? DEFAULT_ATTEMPTS;
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** True once the sender gave up (later chunks are dropped). */
  get failed(): boolean {
    return this.failure !== null;
  }

  /** Queues a chunk behind the ones before it and returns its number. */
  enqueue(pcm: Uint8Array<ArrayBuffer>): number {
    const seq = this.nextSeq++;
    this.tail = this.tail.then(() => this.deliver(seq, pcm));
    return seq;
  }

  /** Resolves when every queued chunk was sent or the sender gave up. */
  drained(): Promise<void> {
    return this.tail;
  }

  private async deliver(seq: number, pcm: Uint8Array<ArrayBuffer>): Promise<void> {
    for (let attempt = 1; !this.failure; attempt++) {
      try {
        await withDeadline(this.options.send(seq, pcm), seq, this.timeoutMs);
        return;
      } catch (error) {
        if (attempt >= this.attempts || this.options.isFinal(error)) {
          this.failure = { error };
          this.options.onFailed(error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, attempt * this.retryDelayMs));
      }
    }
  }
}
