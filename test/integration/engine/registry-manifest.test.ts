// Reading an image's size from a registry that behaves like Docker Hub or Aliyun's: a 401 with a Bearer challenge, an
// anonymous token, then a multi-platform index whose entry for the asked platform holds the layer sizes. The
// registry is a real loopback HTTP server; references are split the way Docker splits them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressedImageBytes, imageLocation } from '../../../src-main/engine/registry-manifest.js';

const TOKEN = 'anonymous-pull-token';

describe('imageLocation', () => {
  it('splits references as Docker does', () => {
    expect(
      imageLocation('registry.cn-hangzhou.aliyuncs.com/funasr_repo/funasr:funasr-runtime-sdk-cpu-0.4.7'),
    ).toEqual({
      registry: 'registry.cn-hangzhou.aliyuncs.com',
      repository: 'funasr_repo/funasr',
      reference: 'funasr-runtime-sdk-cpu-0.4.7',
    });
    expect(imageLocation('ubuntu')).toEqual({
      registry: 'registry-1.docker.io',
      repository: 'library/ubuntu',
      reference: 'latest',
    });
    expect(imageLocation('localhost:5000/a/b@sha256:abc')).toEqual({
      registry: 'localhost:5000',
      repository: 'a/b',
      reference: 'sha256:abc',
    });
    expect(imageLocation('funscribe/funasr-sim:test').registry).toBe('registry-1.docker.io');
  });
});

describe('compressedImageBytes with token auth and a multi-platform index', () => {
  let server: Server;
  let registry: string;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
      seen.push(url.pathname + url.search);
      const json = (body: unknown): void => {
        response.setHeader('Content-Type', 'application/json');
        response.end(JSON.stringify(body));
      };
      if (url.pathname === '/token') {
        const scope = url.searchParams.get('scope');
        if (scope === 'repository:team/funasr:pull' && url.searchParams.get('service') === 'test-registry') {
          json({ token: TOKEN });
        } else response.writeHead(403).end();
        return;
      }
      if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        response.setHeader(
          'WWW-Authenticate',
          `Bearer realm="http://${request.headers.host}/token",service="test-registry",scope="repository:team/funasr:pull"`,
        );
        response.writeHead(401).end();
        return;
      }
      if (url.pathname === '/v2/team/funasr/manifests/multi') {
        json({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: [
            { digest: 'sha256:amd', platform: { os: 'linux', architecture: 'amd64' } },
            { digest: 'sha256:arm', platform: { os: 'linux', architecture: 'arm64' } },
          ],
        });
      } else if (url.pathname === '/v2/team/funasr/manifests/sha256:arm') {
        json({ schemaVersion: 2, layers: [{ size: 1000 }, { size: 234 }] });
      } else if (url.pathname === '/v2/team/funasr/manifests/sha256:amd') {
        json({ schemaVersion: 2, layers: [{ size: 5000 }] });
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("fetches a token when challenged and sums the asked platform's layers", async () => {
    const ref = `${registry}/team/funasr:multi`;
    expect(await compressedImageBytes(ref, { platform: { os: 'linux', architecture: 'arm64' } })).toBe(1234);
    expect(await compressedImageBytes(ref, { platform: { os: 'linux', architecture: 'amd64' } })).toBe(5000);
    expect(seen).toContain('/token?service=test-registry&scope=repository%3Ateam%2Ffunasr%3Apull');
    await expect(
      compressedImageBytes(ref, { platform: { os: 'linux', architecture: 's390x' } }),
    ).rejects.toThrow(/no image for linux\/s390x/);
    await expect(compressedImageBytes(`${registry}/team/funasr:gone`)).rejects.toThrow(/404/);
  });
});
