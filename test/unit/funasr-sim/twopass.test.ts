import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimServer, type SimServer } from '../../funasr-sim/server.js';
import { burstPcm, connect, sendPcm, settle } from './sim-client.js';

type Reply = Record<string, unknown>;
type Stamp = { text_seg: string; punc: string; start: number; end: number; ts_list: [number, number][] };

let server: SimServer;
const logs: string[] = [];

beforeAll(async () => {
  server = await startSimServer({ protocol: '2pass', port: 0, log: (l) => logs.push(l) });
});

afterAll(() => server.close());

const START = {
  chunk_size: [5, 10, 5],
  wav_name: 'live',
  is_speaking: true,
  wav_format: 'pcm',
  audio_fs: 16000,
  itn: true,
};

async function stream(pcm: Buffer, first: Reply, frameBytes = 1920): Promise<Reply[]> {
  const client = await connect(server.url);
  client.ws.send(JSON.stringify(first));
  sendPcm(client.ws, pcm, frameBytes);
  client.ws.send(JSON.stringify({ is_speaking: false }));
  const replies = await client.until((r) => r.is_final === true);
  client.close();
  return replies;
}

const strip = (text: string): string => text.replace(/[，。]/g, '');

describe('2pass protocol', () => {
  it('streams new tokens, re-sends closed sentences with absolute stamps, ends with a final without mode', async () => {
    const bursts = [
      { start: 500, end: 2300 },
      { start: 3500, end: 5200 },
    ];
    const replies = await stream(burstPcm(6500, bursts), { ...START, mode: '2pass' });
    const online = replies.filter((r) => r.mode === '2pass-online');
    const offline = replies.filter((r) => r.mode === '2pass-offline');
    expect(online.length).toBeGreaterThan(2);
    for (const r of online) expect(Object.keys(r).sort()).toEqual(['is_final', 'mode', 'text', 'wav_name']);
    expect(offline).toHaveLength(2);
    const firstOfflineAt = replies.indexOf(offline[0] as Reply);
    const partials = replies
      .slice(0, firstOfflineAt)
      .map((r) => r.text as string)
      .join('');
    expect(strip(offline[0]?.text as string).startsWith(partials)).toBe(true);
    offline.forEach((sentence, i) => {
      expect(sentence.is_final).toBe(false);
      const stamps = sentence.stamp_sents as Stamp[];
      expect(JSON.parse(sentence.timestamp as string)).toEqual(stamps.flatMap((s) => s.ts_list));
      expect(Math.abs((stamps[0]?.start ?? 0) - (bursts[i]?.start ?? 0))).toBeLessThanOrEqual(50);
      expect(Math.abs((stamps[stamps.length - 1]?.end ?? 0) - (bursts[i]?.end ?? 0))).toBeLessThanOrEqual(50);
      expect(stamps[stamps.length - 1]?.punc).toBe('');
    });
    expect(replies[replies.length - 1]).toEqual({ text: '', wav_name: 'live', is_final: true });
  });

  it('puts a sentence still open at the end into the final message with 。', async () => {
    const replies = await stream(burstPcm(3000, [{ start: 800, end: 3000 }]), { ...START, mode: '2pass' });
    const final = replies[replies.length - 1] ?? {};
    expect(final).toMatchObject({ mode: '2pass-offline', is_final: true });
    expect(final.text).toMatch(/^今天我们讨论[^。]*。$/);
    const stamps = final.stamp_sents as Stamp[];
    expect(stamps[stamps.length - 1]?.punc).toBe('。');
    expect(Math.abs((stamps[0]?.start ?? 0) - 800)).toBeLessThanOrEqual(50);
  });

  it('sends no partials in offline mode and no timestamps in online mode', async () => {
    const pcm = burstPcm(4000, [{ start: 500, end: 2000 }]);
    const offlineMode = await stream(pcm, { ...START, mode: 'offline' });
    expect(offlineMode.map((r) => r.mode)).toEqual(['2pass-offline', undefined]);
    expect(typeof offlineMode[0]?.timestamp).toBe('string');
    const onlineMode = await stream(pcm, { ...START, mode: 'online' });
    const sentence = onlineMode.find((r) => r.mode === '2pass-offline');
    expect(onlineMode.some((r) => r.mode === '2pass-online')).toBe(true);
    expect(sentence).toBeDefined();
    expect(sentence).not.toHaveProperty('timestamp');
    expect(sentence).not.toHaveProperty('stamp_sents');
  });

  it('sends only the last of several sentences closed in one message, with the cumulative timestamp string', async () => {
    const bursts = [
      { start: 300, end: 1300 },
      { start: 2300, end: 3300 },
      { start: 4300, end: 5300 },
    ];
    const pcm = burstPcm(6500, bursts);
    const perFrame = await stream(pcm, { ...START, mode: 'offline' });
    const kept = perFrame.filter((r) => r.mode === '2pass-offline');
    expect(kept).toHaveLength(3);

    const oneMessage = await stream(pcm, { ...START, mode: 'offline' }, pcm.length);
    expect(oneMessage.map((r) => r.mode)).toEqual(['2pass-offline', undefined]);
    const [lossy] = oneMessage;
    expect(lossy?.text).toBe(kept[2]?.text);
    expect(lossy?.stamp_sents).toEqual(kept[2]?.stamp_sents);
    const groups = kept.map((r) =>
      (JSON.parse(r.timestamp as string) as [number, number][]).map((p) => `[${p.join(',')}]`),
    );
    const cumulative = groups.map(
      (_, i) =>
        `[${groups
          .slice(0, i + 1)
          .map((g) => g.join(','))
          .join('')}]`,
    );
    expect(lossy?.timestamp).toBe(cumulative.join(''));
    expect(lossy?.timestamp).toMatch(/^\[\[\d+,\d+\](,\[\d+,\d+\])*\]\[\[/);
  });

  it('never answers without a valid chunk_size, even in offline mode', async () => {
    for (const first of [
      { mode: 'offline', wav_name: 'x' },
      { ...START, chunk_size: [5, 0, 5] },
      { ...START, chunk_size: [10, 5] },
    ]) {
      const client = await connect(server.url);
      client.ws.send(JSON.stringify(first));
      sendPcm(client.ws, burstPcm(2000, [{ start: 200, end: 1500 }]), 1920);
      client.ws.send(JSON.stringify({ is_speaking: false }));
      await settle();
      expect(client.replies).toEqual([]);
      client.close();
    }
    expect(logs.some((l) => l.endsWith('] tpass_online_handle  is free, return'))).toBe(true);
    expect(logs.some((l) => /^E\d{8} .*\] Wrong chunk_size!$/.test(l))).toBe(true);
  });

  it('rejects non-PCM streams at the end and keeps the connection for another stream', async () => {
    const client = await connect(server.url);
    client.ws.send(JSON.stringify({ ...START, wav_format: 'wav' }));
    sendPcm(client.ws, burstPcm(2000, [{ start: 200, end: 1500 }]), 1920);
    client.ws.send(JSON.stringify({ is_speaking: false }));
    expect(JSON.parse(await client.reply(0))).toEqual({
      text: 'ERROR. Real-time transcription service ONLY SUPPORT PCM stream.',
      wav_name: 'live',
      is_final: true,
    });
    client.ws.send(JSON.stringify({ wav_format: 'pcm', mode: 'offline', wav_name: 'again' }));
    sendPcm(client.ws, burstPcm(3000, [{ start: 1200, end: 2400 }]), 1920);
    client.ws.send(JSON.stringify({ is_speaking: false }));
    const replies = await client.until((r) => r.is_final === true, 1);
    client.close();
    const sentence = replies.find((r) => r.mode === '2pass-offline');
    expect(sentence?.wav_name).toBe('again');
    expect(Math.abs(((sentence?.stamp_sents as Stamp[])[0]?.start ?? 0) - 1200)).toBeLessThanOrEqual(50);
  });

  it('drops audio that arrives before the first text message', async () => {
    const client = await connect(server.url);
    sendPcm(client.ws, burstPcm(3000, [{ start: 500, end: 2000 }]), 1920);
    client.ws.send(JSON.stringify({ ...START, mode: 'offline' }));
    client.ws.send(JSON.stringify({ is_speaking: false }));
    expect(JSON.parse(await client.reply(0))).toEqual({ text: '', wav_name: 'live', is_final: true });
    client.close();
  });
});
