import { execFile } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { transcribeOffline } from '../../../src-main/asr/offline-session.js';
import type { OfflineTranscribeRequest } from '../../../src-main/asr/offline-session.js';
import { writeBurstPcm } from './pcm-bursts.js';
import { useSimFixture } from './sim-fixture.js';
import { closedPort } from '../../helpers/closed-port.js';

const fixture = useSimFixture();

/** A request for a short file with one burst. */
async function request(
  url: string,
  extra: Partial<OfflineTranscribeRequest> = {},
): Promise<OfflineTranscribeRequest> {
  const pcmPath = join(fixture.dir(), 'short.pcm');
  await writeBurstPcm(pcmPath, 3000, [{ startMs: 500, endMs: 2000 }]);
  return { url, pcmPath, wavName: 'short', hotwords: [], itn: true, allowSelfSignedTls: false, ...extra };
}

/** Listens on a loopback port with `server` and returns the port; the caller closes it. */
async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Closes a server and every connection it still holds. */
async function shut(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('server addresses', () => {
  it.each(['http://127.0.0.1:10095', 'not a url', 'ws://', 'ftp://host'])(
    'refuses %s with ASR_BAD_URL',
    async (url) => {
      await expect(transcribeOffline(await request(url))).rejects.toMatchObject({
        code: 'ASR_BAD_URL',
        message: expect.stringContaining('ws://'),
      });
    },
  );
});

describe('connecting', () => {
  it('reports a refused connection as ASR_CONNECT_FAILED', async () => {
    const port = await closedPort();
    await expect(transcribeOffline(await request(`ws://127.0.0.1:${port}`))).rejects.toMatchObject({
      code: 'ASR_CONNECT_FAILED',
      message: expect.stringMatching(
        new RegExp(`Could not reach the FunASR server at ws://127\\.0\\.0\\.1:${port}.*Is it running\\?`),
      ),
    });
  });

  it('gives up on a server that accepts TCP but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => sockets.add(socket));
    const port = await listen(server);
    try {
      await expect(
        transcribeOffline(await request(`ws://127.0.0.1:${port}`, { connectTimeoutMs: 300 })),
      ).rejects.toMatchObject({
        code: 'ASR_CONNECT_FAILED',
        message: expect.stringContaining('did not answer'),
      });
    } finally {
      await shut(server, sockets);
    }
  });

  it('cancels while the server has not answered the handshake yet', async () => {
    const sockets = new Set<net.Socket>();
    const controller = new AbortController();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      controller.abort();
    });
    const port = await listen(server);
    try {
      await expect(
        transcribeOffline(await request(`ws://127.0.0.1:${port}`, { signal: controller.signal })),
      ).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      await shut(server, sockets);
    }
  });

  it('explains an HTTP answer that is not a websocket', async () => {
    const sockets = new Set<net.Socket>();
    const server = http.createServer((_req, res) => res.writeHead(404).end('not here'));
    server.on('connection', (socket) => sockets.add(socket));
    const port = await listen(server);
    try {
      await expect(transcribeOffline(await request(`ws://127.0.0.1:${port}`))).rejects.toMatchObject({
        code: 'ASR_CONNECT_FAILED',
        message: expect.stringContaining('HTTP status 404'),
      });
    } finally {
      await shut(server, sockets);
    }
  });
});

describe('TLS', () => {
  /** A self-signed certificate for 127.0.0.1 made with openssl in the temp dir. */
  async function selfSigned(): Promise<{ certfile: string; keyfile: string }> {
    const certfile = join(fixture.dir(), 'server.crt');
    const keyfile = join(fixture.dir(), 'server.key');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      keyfile,
      '-out',
      certfile,
    ]);
    return { certfile, keyfile };
  }

  it('refuses a self-signed certificate unless allowed, then transcribes over wss', async () => {
    const sim = await fixture.start(await selfSigned());
    expect(sim.url).toMatch(/^wss:\/\//);
    await expect(transcribeOffline(await request(sim.url))).rejects.toMatchObject({
      code: 'ASR_TLS_FAILED',
      message: expect.stringContaining('Allow self-signed certificates'),
    });
    const transcript = await transcribeOffline(await request(sim.url, { allowSelfSignedTls: true }));
    expect(transcript.sentences).toHaveLength(1);
    expect(sim.sessions.filter((s) => s.audioBytes > 0)).toHaveLength(1);
  });

  it('reports wss:// to a plain server as a TLS failure that suggests ws://', async () => {
    const sim = await fixture.start();
    await expect(
      transcribeOffline(await request(sim.url.replace('ws://', 'wss://'), { allowSelfSignedTls: true })),
    ).rejects.toMatchObject({ code: 'ASR_TLS_FAILED', message: expect.stringContaining('use ws://') });
  });
});

describe('cancelling', () => {
  it('aborts mid-upload with CANCELLED and closes the socket', async () => {
    const sim = await fixture.start();
    const controller = new AbortController();
    const pcmPath = join(fixture.dir(), 'cancel.pcm');
    const total = await writeBurstPcm(pcmPath, 60_000, [{ startMs: 1000, endMs: 3000 }]);
    const upload = transcribeOffline({
      url: sim.url,
      pcmPath,
      wavName: 'cancel',
      hotwords: [],
      itn: true,
      allowSelfSignedTls: false,
      frameBytes: 32_000,
      signal: controller.signal,
      onProgress: ({ phase, fraction }) => {
        if (phase === 'upload' && fraction > 0.2) controller.abort();
      },
    });
    await expect(upload).rejects.toMatchObject({ code: 'CANCELLED' });
    const session = sim.sessions[0];
    expect(session?.audioBytes).toBeGreaterThan(0);
    expect(session?.audioBytes).toBeLessThan(total);
    expect(session?.replies).toEqual([]);
    await vi.waitFor(() => expect(process.getActiveResourcesInfo()).not.toContain('TCPSocketWrap'));
  });

  it('does not connect when the signal is already aborted', async () => {
    const sim = await fixture.start();
    await expect(
      transcribeOffline(await request(sim.url, { signal: AbortSignal.abort() })),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(sim.sessions).toHaveLength(0);
  });

  it('aborts while waiting for the reply', async () => {
    const sim = await fixture.start({ faults: ['no-reply'] });
    const controller = new AbortController();
    const pending = transcribeOffline(
      await request(sim.url, {
        signal: controller.signal,
        onProgress: ({ phase }) => {
          if (phase === 'recognise') controller.abort();
        },
      }),
    );
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
