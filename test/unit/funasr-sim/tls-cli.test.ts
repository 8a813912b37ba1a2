import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startSimServer } from '../../funasr-sim/server.js';
import { burstPcm, connect, sendPcm } from './sim-client.js';

let dir: string;
const GLOG = /^[IWE]\d{8} \d{2}:\d{2}:\d{2}\.\d{6} {1,}\d+ [\w.-]+\.cpp:\d+\] /;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'funasr-sim-tls-'));
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'].concat([
      '-keyout',
      join(dir, 'server.key'),
      '-out',
      join(dir, 'server.crt'),
    ]),
  );
  expect(made.status).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TLS', () => {
  it('serves wss with a self-signed certificate and logs failed handshakes', async () => {
    const logs: string[] = [];
    const server = await startSimServer({
      protocol: 'offline',
      port: 0,
      certfile: join(dir, 'server.crt'),
      keyfile: join(dir, 'server.key'),
      log: (l) => logs.push(l),
    });
    expect(server.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    expect(logs.some((l) => l.endsWith('] SSL is opened!'))).toBe(true);
    const client = await connect(server.url);
    client.ws.send(JSON.stringify({ wav_name: 'tls' }));
    sendPcm(client.ws, burstPcm(2000, [{ start: 300, end: 1500 }]));
    client.ws.send(JSON.stringify({ is_speaking: false }));
    expect(JSON.parse(await client.reply(0))).toMatchObject({ mode: 'offline', wav_name: 'tls' });
    client.close();
    await expect(new Promise((_, reject) => new WebSocket(server.url).once('error', reject))).rejects.toThrow(
      /self-signed|certificate/,
    );
    await vi.waitFor(() =>
      expect(
        logs.some((l) => l.endsWith('] handle_transport_init received error: TLS handshake failed')),
      ).toBe(true),
    );
    await server.close();
  });

  it('falls back to plain ws for certfile 0 or a missing file, like the real binary', async () => {
    for (const certfile of ['0', join(dir, 'missing.crt'), '']) {
      const logs: string[] = [];
      const server = await startSimServer({
        protocol: '2pass',
        port: 0,
        certfile,
        keyfile: join(dir, 'server.key'),
        log: (l) => logs.push(l),
      });
      expect(server.url.startsWith('ws://')).toBe(true);
      expect(logs.some((l) => l.endsWith('] SSL is closed!'))).toBe(true);
      await server.close();
    }
  });
});

function startCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'test/funasr-sim/main.ts', ...args], {
    cwd: process.cwd(),
  });
}

function collect(child: ChildProcessWithoutNullStreams): {
  lines: string[];
  ready: Promise<number>;
  exit: Promise<number | null>;
} {
  const lines: string[] = [];
  let buffered = '';
  let markReady: (port: number) => void = () => undefined;
  const ready = new Promise<number>((resolve) => (markReady = resolve));
  child.stderr.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      const match = /asr model init finished\. listen on port:(\d+)$/.exec(line);
      if (match) markReady(Number(match[1]));
    }
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { lines, ready, exit };
}

describe('CLI', () => {
  it('prints the real startup lines in order, then serves', async () => {
    writeFileSync(join(dir, 'hotwords.txt'), '阿里巴巴 20\n');
    const child = startCli(
      ['--port', '0', '--listen-ip', '127.0.0.1', '--certfile', '0', '--hotword', join(dir, 'hotwords.txt')]
        .concat([
          '--model-dir',
          'iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx',
          '--decoder-thread-num',
          '3',
        ])
        .concat(['--global-beam', '2.5', '--gpu', '--language', 'en']),
    );
    const { lines, ready, exit } = collect(child);
    const port = await ready;
    for (const line of lines) expect(line).toMatch(GLOG);
    const text = lines.map((l) => l.replace(GLOG, ''));
    expect(text.slice(0, 3)).toEqual([
      'model-dir : iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx',
      'quantize : true',
      'bladedisc : true',
    ]);
    expect(text).toContain(`hotword : ${join(dir, 'hotwords.txt')}`);
    expect(text).toContain(
      'Set model-dir : /workspace/models/iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx',
    );
    const order = [
      'hotword path: ',
      'SSL is closed!',
      'decoder-thread-num: 3',
      'io-thread-num: 2',
      'model-thread-num: 1',
      'asr model init finished',
    ];
    const positions = order.map((needle) => text.findIndex((l) => l.startsWith(needle)));
    expect(positions.every((p, i) => p >= 0 && (i === 0 || p > (positions[i - 1] ?? 0)))).toBe(true);
    expect(text).toContain('阿里巴巴 : 20');

    const client = await connect(`ws://127.0.0.1:${port}`);
    client.ws.send(JSON.stringify({ wav_name: 'cli' }));
    sendPcm(client.ws, burstPcm(2000, [{ start: 300, end: 1500 }]));
    client.ws.send(JSON.stringify({ is_speaking: false }));
    expect(JSON.parse(await client.reply(0))).toMatchObject({
      mode: 'offline',
      wav_name: 'cli',
      text: expect.stringMatching(/^today/),
    });
    client.close();
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('rejects unknown flags, flags of the other binary and --name=value like TCLAP', async () => {
    for (const args of [
      ['--bogus', '1'],
      ['--protocol', '2pass', '--gpu'],
      ['--port=10095'],
      ['--port', 'abc'],
    ]) {
      const child = startCli(args);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(1);
      expect(stderr).toMatch(/^PARSE ERROR: Argument: /);
    }
  });

  it('exits with an error when a client crashes it with a wrong JSON type', async () => {
    const child = startCli(['--port', '0', '--listen-ip', '127.0.0.1', '--protocol', '2pass']);
    const { lines, ready, exit } = collect(child);
    const client = await connect(`ws://127.0.0.1:${await ready}`);
    client.ws.send(JSON.stringify({ hotwords: ['x'] }));
    expect(await exit).toBe(1);
    expect(lines.some((l) => l.includes('type must be string, but is array'))).toBe(true);
  });
});
