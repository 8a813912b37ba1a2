import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSimServer, type SimServer } from '../../funasr-sim/server.js';
import { burstPcm, connect, sendPcm, settle } from './sim-client.js';

const BURSTS = [
  { start: 400, end: 1600 },
  { start: 1900, end: 2700 },
  { start: 3800, end: 5600 },
];

let server: SimServer;
let dir: string;
const logs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'funasr-sim-offline-'));
  writeFileSync(
    join(dir, 'hotwords.txt'),
    '阿里巴巴 20\n通义实验室 30\nbad line\nno weight x\n阿里巴巴 99\nmachine learning 12.7\n',
  );
  server = await startSimServer({
    protocol: 'offline',
    port: 0,
    hotwordFile: join(dir, 'hotwords.txt'),
    log: (l) => logs.push(l),
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

type Stamp = { text_seg: string; punc: string; start: number; end: number; ts_list: [number, number][] };

async function transcribe(
  pcm: Buffer,
  first: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const client = await connect(server.url);
  client.ws.send(
    JSON.stringify({
      mode: 'offline',
      wav_name: 'meeting',
      wav_format: 'pcm',
      audio_fs: 16000,
      is_speaking: true,
      itn: true,
      ...first,
    }),
  );
  sendPcm(client.ws, pcm);
  client.ws.send(JSON.stringify({ is_speaking: false }));
  const reply = JSON.parse(await client.reply(0)) as Record<string, unknown>;
  client.close();
  return reply;
}

describe('offline protocol', () => {
  it('answers once with the real reply shape and timestamps on the speech', async () => {
    const reply = await transcribe(burstPcm(7000, BURSTS));
    expect(reply).toMatchObject({ mode: 'offline', is_final: false, wav_name: 'meeting' });
    expect(Object.keys(reply)).toEqual(['is_final', 'mode', 'stamp_sents', 'text', 'timestamp', 'wav_name']);
    expect(typeof reply.timestamp).toBe('string');
    const pairs = JSON.parse(reply.timestamp as string) as [number, number][];
    const sents = reply.stamp_sents as Stamp[];
    expect(sents.map((s) => s.punc)).toEqual(['，', '。', '。']);
    expect(reply.text).toMatch(/^今天我们讨[^，。]*，[^，。]+。[^，。]+。$/);
    for (const s of sents) expect(s.text_seg.split(' ').every((t) => [...t].length === 1)).toBe(true);
    expect(sents.flatMap((s) => s.ts_list)).toEqual(pairs);
    expect(pairs.length).toBe((reply.text as string).replace(/[，。]/g, '').length);
    const edges = [sents[0]?.start, sents[1]?.end, sents[2]?.start, sents[2]?.end];
    [400, 2700, 3800, 5600].forEach((edge, i) =>
      expect(Math.abs((edges[i] ?? 0) - edge)).toBeLessThanOrEqual(50),
    );
    for (const [start, end] of pairs)
      expect(BURSTS.some((b) => start >= b.start - 50 && end <= b.end + 50)).toBe(true);
    expect(logs.some((l) => /websocket-server\.cpp:\d+\] buffer\.size=224000,result json=/.test(l))).toBe(
      true,
    );
  });

  it('produces English words with spaces and ASCII punctuation when asked', async () => {
    const english = await startSimServer({
      protocol: 'offline',
      port: 0,
      language: 'en',
      log: () => undefined,
    });
    const client = await connect(english.url);
    client.ws.send(JSON.stringify({ wav_name: 'en' }));
    sendPcm(client.ws, burstPcm(4000, [{ start: 500, end: 2500 }]));
    client.ws.send(JSON.stringify({ is_speaking: false }));
    const reply = JSON.parse(await client.reply(0)) as { text: string; stamp_sents: Stamp[] };
    await english.close();
    expect(reply.text).toMatch(/^today we discuss( \w+)*\.$/);
    expect(reply.stamp_sents[0]?.text_seg).toBe(reply.text.slice(0, -1));
  });

  it('returns the empty reply for no audio and for silence', async () => {
    const empty = { text: '', mode: 'offline', is_final: false, wav_name: 'meeting' };
    expect(await transcribe(Buffer.alloc(0))).toEqual(empty);
    expect(await transcribe(burstPcm(3000, []))).toEqual(empty);
  });

  it('only a JSON false is_speaking or a true is_finished ends the input', async () => {
    const client = await connect(server.url);
    client.ws.send(JSON.stringify({ wav_name: 'a' }));
    sendPcm(client.ws, burstPcm(3000, [{ start: 500, end: 2000 }]));
    client.ws.send(JSON.stringify({ is_speaking: 0 }));
    client.ws.send(JSON.stringify({ is_speaking: 'false' }));
    client.ws.send(JSON.stringify({ is_finished: 'true' }));
    await settle();
    expect(client.replies).toHaveLength(0);
    client.ws.send(JSON.stringify({ is_finished: true }));
    expect(JSON.parse(await client.reply(0))).toMatchObject({ mode: 'offline', wav_name: 'a' });
    client.close();
  });

  it('carries several files on one connection, each with its own name and clock', async () => {
    const client = await connect(server.url);
    client.ws.send(JSON.stringify({ wav_name: 'one', hotwords: '{"预算":10}' }));
    sendPcm(client.ws, burstPcm(3000, [{ start: 1000, end: 2000 }]));
    client.ws.send(JSON.stringify({ is_speaking: false }));
    const first = JSON.parse(await client.reply(0)) as { wav_name: string; stamp_sents: Stamp[] };
    client.ws.send(JSON.stringify({ wav_name: 'two', hotwords: '{"ignored":5}' }));
    sendPcm(client.ws, burstPcm(3000, [{ start: 300, end: 1500 }]));
    client.ws.send(JSON.stringify({ is_speaking: false }));
    const second = JSON.parse(await client.reply(1)) as { wav_name: string; stamp_sents: Stamp[] };
    client.ws.send(JSON.stringify({ is_speaking: false }));
    expect(JSON.parse(await client.reply(2))).toEqual({
      text: '',
      mode: 'offline',
      is_final: false,
      wav_name: 'two',
    });
    client.close();
    expect(first.wav_name).toBe('one');
    expect(Math.abs((first.stamp_sents[0]?.start ?? 0) - 1000)).toBeLessThanOrEqual(50);
    expect(second.wav_name).toBe('two');
    expect(Math.abs((second.stamp_sents[0]?.start ?? 0) - 300)).toBeLessThanOrEqual(50);
    const record = server.sessions.find((s) => s.config.wav_name === 'two');
    expect(record?.hotwords).toEqual({ 预算: 10, 阿里巴巴: 20, 通义实验室: 30, 'machine learning': 12 });
    expect(record?.replies).toHaveLength(3);
  });

  it('parses client hotwords like the server: client wins, string weights drop all, plain words', async () => {
    const hotwordsOf = async (hotwords: string): Promise<Record<string, number> | undefined> => {
      const name = `hw-${Math.random()}`;
      await transcribe(Buffer.alloc(0), { wav_name: name, hotwords });
      return server.sessions.find((s) => s.config.wav_name === name)?.hotwords;
    };
    expect(await hotwordsOf('{"阿里巴巴":50,"会议":12.9}')).toMatchObject({
      阿里巴巴: 50,
      会议: 12,
      通义实验室: 30,
    });
    const dropped = await hotwordsOf('{"会议":"100"}');
    expect(dropped).not.toHaveProperty('会议');
    expect(dropped).toHaveProperty('阿里巴巴', 20);
    expect(await hotwordsOf('项目 预算')).toMatchObject({ 项目: 0, 预算: 0 });
  });

  it('resamples audio_fs 8000 and decodes other formats with ffmpeg', async () => {
    const at8k = await transcribe(burstPcm(4000, [{ start: 1000, end: 2500 }], 8000), { audio_fs: 8000 });
    const stamps8k = at8k.stamp_sents as Stamp[];
    expect(Math.abs((stamps8k[0]?.start ?? 0) - 1000)).toBeLessThanOrEqual(50);
    expect(Math.abs((stamps8k[stamps8k.length - 1]?.end ?? 0) - 2500)).toBeLessThanOrEqual(50);

    writeFileSync(join(dir, 'in.pcm'), burstPcm(4000, [{ start: 700, end: 2200 }], 44100));
    const made = spawnSync('ffmpeg', [
      '-y',
      '-loglevel',
      'error',
      '-f',
      's16le',
      '-ar',
      '44100',
      '-ac',
      '1',
      '-i',
      join(dir, 'in.pcm'),
      '-ac',
      '2',
      join(dir, 'in.wav'),
    ]);
    expect(made.status).toBe(0);
    const wav = await transcribe(readFileSync(join(dir, 'in.wav')), { wav_format: 'wav' });
    const stampsWav = wav.stamp_sents as Stamp[];
    expect(Math.abs((stampsWav[0]?.start ?? 0) - 700)).toBeLessThanOrEqual(50);
    expect(Math.abs((stampsWav[stampsWav.length - 1]?.end ?? 0) - 2200)).toBeLessThanOrEqual(50);

    const garbage = await transcribe(Buffer.from('this is not audio at all'), { wav_format: 'mp3' });
    expect(garbage).toEqual({ text: '', mode: 'offline', is_final: false, wav_name: 'meeting' });
  });

  it('goes deaf after invalid JSON, as the real server marks the connection finished', async () => {
    const client = await connect(server.url);
    client.ws.send('{"wav_name": ');
    sendPcm(client.ws, burstPcm(2000, [{ start: 200, end: 1500 }]));
    client.ws.send(JSON.stringify({ is_speaking: false }));
    await settle();
    expect(client.replies).toHaveLength(0);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    client.close();
  });

  it('never selects a subprotocol and fails messages above 32,000,000 bytes', async () => {
    const client = await connect(server.url);
    expect(client.ws.protocol).toBe('');
    client.ws.send(Buffer.alloc(32_000_001));
    expect((await client.closed).code).toBe(1009);
    await expect(
      new Promise((_, reject) => new WebSocket(server.url, 'binary').once('error', reject)),
    ).rejects.toThrow(/subprotocol/);
  });

  it('handles half an hour of audio in one upload', async () => {
    const bursts = Array.from({ length: 450 }, (_, i) => ({ start: i * 4000 + 300, end: i * 4000 + 2800 }));
    const reply = await transcribe(burstPcm(1_800_000, bursts), {});
    const sents = reply.stamp_sents as Stamp[];
    expect(sents.filter((s) => s.punc === '。')).toHaveLength(450);
    expect(Math.abs((sents[sents.length - 1]?.end ?? 0) - 1_798_800)).toBeLessThanOrEqual(50);
  });
});
