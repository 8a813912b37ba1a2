// Test helpers for the stand-in server: synthetic PCM with known speech positions and a small ws client.
import WebSocket from 'ws';

/** A stretch of synthetic "speech" (tone plus noise) in ms. */
export interface Burst {
  start: number;
  end: number;
}

/** Deterministic pseudo-random numbers in [-0.5, 0.5). */
function noiseSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

/** 16 kHz s16le PCM of `totalMs`: faint background noise with loud voiced bursts at the given positions. */
export function burstPcm(totalMs: number, bursts: readonly Burst[], rate = 16000): Buffer {
  const pcm = new Int16Array(Math.round((totalMs * rate) / 1000));
  const noise = noiseSource(7);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(noise() * 60);
  // 180 Hz + 540 Hz repeat exactly every second, so one second of waveform is computed once.
  const voice = new Float64Array(rate);
  for (let i = 0; i < rate; i++)
    voice[i] =
      9000 *
      (Math.sin((2 * Math.PI * 180 * i) / rate) * 0.6 + Math.sin((2 * Math.PI * 540 * i) / rate) * 0.3);
  for (const burst of bursts) {
    const from = Math.round((burst.start * rate) / 1000);
    const to = Math.min(pcm.length, Math.round((burst.end * rate) / 1000));
    for (let i = from; i < to; i++) pcm[i] = Math.round((voice[i % rate] ?? 0) + noise() * 1500);
  }
  return Buffer.from(pcm.buffer);
}

/** An open websocket to the sim that records every text reply. */
export interface SimClient {
  ws: WebSocket;
  replies: string[];
  /** Resolves with the next reply (or the already received reply number `index`). */
  reply(index: number): Promise<string>;
  /** Resolves once a reply from number `from` on satisfies `done`; returns those replies parsed. */
  until(done: (reply: Record<string, unknown>) => boolean, from?: number): Promise<Record<string, unknown>[]>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Connects with Node `ws` (no subprotocol), optionally accepting self-signed certificates. */
export async function connect(url: string): Promise<SimClient> {
  const ws = new WebSocket(url, { rejectUnauthorized: false });
  const replies: string[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data: Buffer) => {
    replies.push(data.toString('utf8'));
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const wait = (): Promise<void> => new Promise((resolve) => waiters.push(resolve));
  const client: SimClient = {
    ws,
    replies,
    closed,
    async reply(index) {
      while (replies.length <= index)
        await Promise.race([wait(), closed.then(() => Promise.reject(new Error('closed')))]);
      return replies[index] as string;
    },
    async until(done, from = 0) {
      for (let i = from; ; i++) {
        const parsed = JSON.parse(await client.reply(i)) as Record<string, unknown>;
        if (done(parsed))
          return replies.slice(from, i + 1).map((r) => JSON.parse(r) as Record<string, unknown>);
      }
    },
    close: () => ws.close(),
  };
  return client;
}

/** Sends PCM in frames of `frameBytes` bytes. */
export function sendPcm(ws: WebSocket, pcm: Buffer, frameBytes = 32000): void {
  for (let offset = 0; offset < pcm.length; offset += frameBytes)
    ws.send(pcm.subarray(offset, offset + frameBytes));
}

/** Waits a little to check that nothing arrives (a deliberately short, behaviour-only wait). */
export function settle(ms = 300): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
