import { describe, expect, it } from 'vitest';
import { startSimServer, type SimFault, type SimServer } from '../../funasr-sim/server.js';
import { burstPcm, connect, sendPcm, settle, type SimClient } from './sim-client.js';

const TWO_SENTENCES = burstPcm(5000, [
  { start: 400, end: 1500 },
  { start: 2500, end: 3800 },
]);

async function withServer<T>(
  protocol: 'offline' | '2pass',
  faults: SimFault[],
  run: (server: SimServer, logs: string[]) => Promise<T>,
): Promise<T> {
  const logs: string[] = [];
  const server = await startSimServer({
    protocol,
    port: 0,
    faults,
    slowReplyMs: 1000,
    log: (l) => logs.push(l),
  });
  try {
    return await run(server, logs);
  } finally {
    await server.close();
  }
}

async function offlineUpload(server: SimServer, pcm = TWO_SENTENCES): Promise<SimClient> {
  const client = await connect(server.url);
  client.ws.send(JSON.stringify({ mode: 'offline', wav_name: 'f', is_speaking: true }));
  sendPcm(client.ws, pcm, 64000);
  client.ws.send(JSON.stringify({ is_speaking: false }));
  return client;
}

describe('fault switches', () => {
  it('drop-mid-stream destroys the socket without a close frame', async () => {
    for (const protocol of ['offline', '2pass'] as const) {
      await withServer(protocol, ['drop-mid-stream'], async (server) => {
        const client = await connect(server.url);
        client.ws.send(JSON.stringify({ mode: '2pass', chunk_size: [5, 10, 5] }));
        sendPcm(client.ws, TWO_SENTENCES, 1920);
        expect((await client.closed).code).toBe(1006);
        expect(client.replies).toEqual([]);
        expect(server.sessions[0]?.audioBytes).toBeLessThan(TWO_SENTENCES.length);
      });
    }
  });

  it('invalid-json sends a truncated reply that does not parse', async () => {
    await withServer('offline', ['invalid-json'], async (server) => {
      const client = await offlineUpload(server);
      const text = await client.reply(0);
      expect(text.startsWith('{"is_final":false')).toBe(true);
      expect(() => JSON.parse(text) as unknown).toThrow();
      expect(server.sessions[0]?.replies).toEqual([text]);
      client.close();
    });
  });

  it('no-reply never answers', async () => {
    await withServer('offline', ['no-reply'], async (server, logs) => {
      const client = await offlineUpload(server);
      await settle();
      expect(logs.some((l) => l.includes('] buffer.size='))).toBe(true);
      expect(client.replies).toEqual([]);
      client.close();
    });
  });

  it('slow-reply holds the reply back after the decode', async () => {
    await withServer('offline', ['slow-reply'], async (server, logs) => {
      const client = await offlineUpload(server);
      await settle();
      expect(logs.some((l) => l.includes('] buffer.size='))).toBe(true);
      expect(client.replies).toEqual([]);
      expect(JSON.parse(await client.reply(0))).toMatchObject({ mode: 'offline', wav_name: 'f' });
      client.close();
    });
  });

  it('holdReplies keeps every reply back until sent: the waiting ones, then all once released', async () => {
    await withServer('offline', [], async (server) => {
      const hold = server.holdReplies();
      const first = await offlineUpload(server);
      await expect.poll(() => hold.waiting).toBe(1);
      await settle();
      expect(first.replies).toEqual([]);
      hold.sendWaiting();
      expect(JSON.parse(await first.reply(0))).toMatchObject({ is_final: false, wav_name: 'f' });
      const second = await offlineUpload(server);
      await expect.poll(() => hold.waiting).toBe(1);
      hold.release();
      await second.reply(0);
      const third = await offlineUpload(server);
      await third.reply(0);
      expect(hold.waiting).toBe(0);
      for (const client of [first, second, third]) client.close();
    });
  });

  it('concat-timestamps glues arrays as [[a,b]][[c,d]] (offline and 2pass)', async () => {
    await withServer('offline', ['concat-timestamps'], async (server) => {
      const client = await offlineUpload(server);
      const reply = JSON.parse(await client.reply(0)) as {
        timestamp: string;
        stamp_sents: { ts_list: unknown[] }[];
      };
      expect(reply.timestamp).toContain(']][[');
      expect(() => JSON.parse(reply.timestamp) as unknown).toThrow();
      expect(JSON.parse(reply.timestamp.replace(']][[', '],['))).toEqual(
        reply.stamp_sents.flatMap((s) => s.ts_list),
      );
      client.close();
    });
    await withServer('2pass', ['concat-timestamps'], async (server) => {
      const client = await connect(server.url);
      client.ws.send(JSON.stringify({ mode: 'offline', chunk_size: [5, 10, 5] }));
      sendPcm(client.ws, burstPcm(3000, [{ start: 300, end: 2000 }]), 1920);
      client.ws.send(JSON.stringify({ is_speaking: false }));
      const [sentence] = await client.until((r) => r.is_final === true);
      expect(sentence?.timestamp).toMatch(/^\[\[\d+,\d+\](,\[\d+,\d+\])*\]\[\[\d+,\d+\]/);
      client.close();
    });
  });

  it('empty-stamp-sents sends stamp_sents as an empty string', async () => {
    await withServer('offline', ['empty-stamp-sents'], async (server) => {
      const client = await offlineUpload(server);
      const reply = JSON.parse(await client.reply(0)) as Record<string, unknown>;
      expect(reply.stamp_sents).toBe('');
      expect(JSON.parse(reply.timestamp as string)).toBeInstanceOf(Array);
      client.close();
    });
  });
});

describe('fatal JSON types', () => {
  const cases: { protocol: 'offline' | '2pass'; first: Record<string, unknown>; reason: RegExp }[] = [
    {
      protocol: 'offline',
      first: { hotwords: { 阿里巴巴: 20 } },
      reason: /type must be string, but is object/,
    },
    {
      protocol: 'offline',
      first: { itn: 'true', is_speaking: false },
      reason: /type must be boolean, but is string/,
    },
    {
      protocol: 'offline',
      first: { audio_fs: '16000', is_speaking: false },
      reason: /type must be number, but is string/,
    },
    {
      protocol: 'offline',
      first: { wav_name: 7, is_speaking: false },
      reason: /type must be string, but is number/,
    },
    { protocol: '2pass', first: { chunk_size: '5,10,5' }, reason: /type must be array, but is string/ },
    {
      protocol: '2pass',
      first: { chunk_size: [5, 10, 5], itn: 1, is_speaking: false },
      reason: /type must be boolean, but is number/,
    },
  ];

  it.each(cases)('$protocol $first crashes the server (onFatal)', async ({ protocol, first, reason }) => {
    const lines: string[] = [];
    let fatal: (reason: string) => void = () => undefined;
    const called = new Promise<string>((resolve) => (fatal = resolve));
    const server = await startSimServer({
      protocol,
      port: 0,
      log: (l) => lines.push(l),
      onFatal: (r) => fatal(r),
    });
    const client = await connect(server.url);
    client.ws.send(JSON.stringify(first));
    expect(await called).toMatch(reason);
    expect((await client.closed).code).toBe(1006);
    expect(lines.some((l) => l.startsWith('terminate called after throwing'))).toBe(true);
    await expect(connect(server.url)).rejects.toThrow();
    await server.close();
  });
});
