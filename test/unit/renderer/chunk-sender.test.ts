// The chunk sender: chunks numbered from 0 reach the receiver in order with never two in flight; a failing send is
// tried again with the same number, a bounded number of times; a final error or the last try gives up once and
// drops what follows; a send that never answers times out and is tried again.
import { describe, expect, it } from 'vitest';
import {
  ChunkSender,
  SendTimeoutError,
  type SendChunk,
} from '../../../src-renderer/lib/recording/chunk-sender.js';

/** A receiver that takes chunks after a random short wait, logs them, and fails the tries listed in `failures`. */
function receiver(failures: Record<number, unknown[]> = {}) {
  const received: number[] = [];
  const tries: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send: SendChunk = async (seq, pcm) => {
    tries.push(seq);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
    inFlight -= 1;
    const failure = failures[seq]?.shift();
    if (failure !== undefined) throw failure;
    expect(pcm[0]).toBe(seq);
    received.push(seq);
  };
  return { send, received, tries, maxInFlight: () => maxInFlight };
}

const chunk = (seq: number): Uint8Array<ArrayBuffer> => Uint8Array.of(seq, 0);

describe('the chunk sender', () => {
  it('delivers in order, one at a time, and retries a failed chunk with its number', async () => {
    const target = receiver({ 3: [new Error('socket closed'), new Error('socket closed')] });
    const failures: unknown[] = [];
    const sender = new ChunkSender({
      send: target.send,
      onFailed: (error) => failures.push(error),
      isFinal: () => false,
      retryDelayMs: 1,
    });
    const numbers = Array.from({ length: 20 }, (_, i) => sender.enqueue(chunk(i)));
    expect(numbers).toEqual([...Array(20).keys()]);
    await sender.drained();
    expect(target.received).toEqual([...Array(20).keys()]);
    expect(target.tries.filter((seq) => seq === 3)).toHaveLength(3);
    expect(target.maxInFlight()).toBe(1);
    expect(failures).toEqual([]);
    expect(sender.failed).toBe(false);
  });

  it('gives up after the last try or at once on a final error, reports it once and sends nothing more', async () => {
    const stubborn = receiver({ 1: ['no', 'no', 'no'] });
    const failures: unknown[] = [];
    const sender = new ChunkSender({
      send: stubborn.send,
      onFailed: (error) => failures.push(error),
      isFinal: () => false,
      attempts: 3,
      retryDelayMs: 1,
    });
    for (let i = 0; i < 5; i++) sender.enqueue(chunk(i));
    await sender.drained();
    expect(stubborn.received).toEqual([0]);
    expect(stubborn.tries).toEqual([0, 1, 1, 1]);
    expect(failures).toEqual(['no']);
    expect(sender.failed).toBe(true);

    const full = receiver({ 0: ['DISK_FULL'] });
    const finalFailures: unknown[] = [];
    const final = new ChunkSender({
      send: full.send,
      onFailed: (error) => finalFailures.push(error),
      isFinal: (error) => error === 'DISK_FULL',
      retryDelayMs: 1,
    });
    final.enqueue(chunk(0));
    final.enqueue(chunk(1));
    await final.drained();
    expect(full.tries).toEqual([0]);
    expect(finalFailures).toEqual(['DISK_FULL']);
  });

  it('tries again when a send does not answer before its deadline', async () => {
    const received: number[] = [];
    let calls = 0;
    const failures: unknown[] = [];
    const sender = new ChunkSender({
      send: (seq) => {
        calls += 1;
        if (calls === 1) return new Promise<void>(() => undefined); // never answers
        received.push(seq);
        return Promise.resolve();
      },
      onFailed: (error) => failures.push(error),
      isFinal: () => false,
      timeoutMs: 20,
      retryDelayMs: 1,
    });
    sender.enqueue(chunk(0));
    await sender.drained();
    expect(received).toEqual([0]);
    expect(calls).toBe(2);
    expect(failures).toEqual([]);
    const never = new ChunkSender({
      send: () => new Promise<void>(() => undefined),
      onFailed: (error) => failures.push(error),
      isFinal: () => false,
      attempts: 2,
      timeoutMs: 10,
      retryDelayMs: 1,
    });
    never.enqueue(chunk(0));
    await never.drained();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(SendTimeoutError);
  });
});
