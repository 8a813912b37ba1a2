// The speaker-model manager against real HTTP servers on 127.0.0.1: mirrors, resume, verification, cancel, store.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mirrorAt } from '../../../src-main/speakers/models/model-catalog.js';
import type { SpeakerModelEntry } from '../../../src-main/speakers/models/model-catalog.js';
import { downloadModel } from '../../../src-main/speakers/models/model-download.js';
import type { ModelDownloadProgress } from '../../../src-main/speakers/models/model-download.js';
import {
  ensureModel,
  importModelFile,
  installedModel,
  removeModel,
} from '../../../src-main/speakers/models/model-store.js';
import { onnxStructureProblem } from '../../../src-main/speakers/models/onnx-structure.js';
import { FunscribeError } from '../../../src-main/util/errors.js';
import { encodeEmbeddingModel, encodeRandomBytes } from '../../helpers/fabricated-onnx.js';
import { refusedUrl, startFileServer } from '../../helpers/http-file-server.js';
import type { FileServer, FileServerBehaviour } from '../../helpers/http-file-server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const PAYLOAD = randomBytes(300_000);
const FAST = { retryDelayMs: 5, stallTimeoutMs: 10_000 };

function testEntry(urls: string[]): SpeakerModelEntry {
  return {
    id: 'test-model',
    displayName: 'Test model',
    language: 'none',
    fileName: 'test-model.onnx',
    sizeBytes: PAYLOAD.length,
    sha256: createHash('sha256').update(PAYLOAD).digest('hex'),
    embeddingDim: 192,
    mirrors: urls.map((url) => mirrorAt(url, 'global')),
  };
}

async function caught(promise: Promise<unknown>): Promise<FunscribeError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FunscribeError);
  return error as FunscribeError;
}

let dir: { path: string; remove: () => Promise<void> };
let models: string;
const servers: FileServer[] = [];

async function serve(behaviour: FileServerBehaviour = {}): Promise<FileServer> {
  const server = await startFileServer(PAYLOAD, behaviour);
  servers.push(server);
  return server;
}

beforeEach(async () => {
  dir = await makeTempDir('models');
  models = join(dir.path, 'models', 'speaker');
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await dir.remove();
});

async function expectInstalled(path: string): Promise<void> {
  expect(path).toBe(join(models, 'test-model.onnx'));
  expect((await readFile(path)).equals(PAYLOAD)).toBe(true);
  expect(await readdir(models)).toEqual(['test-model.onnx', 'test-model.onnx.verified.json']);
}

describe('downloadModel', () => {
  it('downloads, reports monotonic progress from one mirror and records the verification', async () => {
    const server = await serve();
    const progress: ModelDownloadProgress[] = [];
    const path = await downloadModel(testEntry([server.url]), models, {
      ...FAST,
      onProgress: (p) => progress.push(p),
    });
    await expectInstalled(path);
    const done = progress.map((p) => p.bytesDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual({
      modelId: 'test-model',
      bytesDone: PAYLOAD.length,
      bytesTotal: PAYLOAD.length,
      mirror: server.host,
    });
    expect(server.requests).toEqual([{ path: '/model.onnx', range: undefined }]);
  });

  it('moves on to the next mirror after a 404 without retrying the first', async () => {
    const missing = await serve({ status: 404 });
    const good = await serve();
    const mirrors = new Set<string>();
    const path = await downloadModel(testEntry([missing.url, good.url]), models, {
      ...FAST,
      onProgress: (p) => mirrors.add(p.mirror),
    });
    await expectInstalled(path);
    expect(missing.requests).toHaveLength(1);
    expect([...mirrors]).toEqual([good.host]);
  });

  it('resumes a dropped connection from the .part file with a Range request', async () => {
    const server = await serve({ dropAfterBytes: 100_000 });
    const path = await downloadModel(testEntry([server.url]), models, FAST);
    await expectInstalled(path);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.range).toBeUndefined();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(server.requests[1]?.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(100_000);
  });

  it('starts over when the server ignores the Range header', async () => {
    const server = await serve({ dropAfterBytes: 100_000, ignoreRange: true });
    const path = await downloadModel(testEntry([server.url]), models, FAST);
    await expectInstalled(path);
    // Appending the whole file to the part would overflow it and cost a third request.
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
  });

  it('deletes a part with the wrong checksum and takes the file from the next mirror', async () => {
    const bad = await serve({ wrongBytes: true });
    const good = await serve();
    const path = await downloadModel(testEntry([bad.url, good.url]), models, FAST);
    await expectInstalled(path);
    expect(bad.requests).toHaveLength(1);
    expect(good.requests).toEqual([{ path: '/model.onnx', range: undefined }]);
  });

  it('follows redirects', async () => {
    const target = await serve();
    const redirect = await serve({ redirectTo: target.url });
    await expectInstalled(await downloadModel(testEntry([redirect.url]), models, FAST));
    expect(redirect.requests).toHaveLength(1);
    expect(target.requests).toHaveLength(1);
  });

  it('names every host, the connection and the manual install path when all mirrors fail', async () => {
    const urls = [await refusedUrl(), await refusedUrl()];
    const error = await caught(downloadModel(testEntry(urls), models, { ...FAST, attemptsPerMirror: 2 }));
    expect(error.code).toBe('MODEL_DOWNLOAD_FAILED');
    for (const url of urls) expect(error.message).toContain(`${new URL(url).host} (connection refused)`);
    expect(error.message).toContain('internet connection');
    expect(error.message).toContain(join(models, 'test-model.onnx'));
    expect((await readdir(models)).filter((f) => !f.endsWith('.part'))).toEqual([]);
  });

  it('gives up on a mirror that stalls and says so', async () => {
    const stalled = await serve({ slowDelayMs: 5_000, slowChunkBytes: 1024 });
    const error = await caught(
      downloadModel(testEntry([stalled.url]), models, { ...FAST, stallTimeoutMs: 100, attemptsPerMirror: 1 }),
    );
    expect(error.code).toBe('MODEL_DOWNLOAD_FAILED');
    expect(error.message).toContain(`${stalled.host} (no data arrived for 0.1 s)`);
  });

  it('cancels with CANCELLED, keeps the .part, and a later download resumes it', async () => {
    const slow = await serve({ slowDelayMs: 30, slowChunkBytes: 8 * 1024 });
    const controller = new AbortController();
    const error = await caught(
      downloadModel(testEntry([slow.url]), models, {
        ...FAST,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.bytesDone > 0) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('CANCELLED');
    const part = await stat(join(models, 'test-model.onnx.part'));
    expect(part.size).toBeGreaterThan(0);
    expect(part.size).toBeLessThan(PAYLOAD.length);

    const fast = await serve();
    await expectInstalled(await downloadModel(testEntry([fast.url]), models, FAST));
    expect(fast.requests[0]?.range).toBe(`bytes=${part.size}-`);
  });

  it('reports a models folder it cannot create as MODEL_DIR_UNWRITABLE', async () => {
    const server = await serve();
    const blocker = join(dir.path, 'not-a-folder');
    await writeFile(blocker, 'x');
    const error = await caught(downloadModel(testEntry([server.url]), join(blocker, 'speaker'), FAST));
    expect(error.code).toBe('MODEL_DIR_UNWRITABLE');
    expect(server.requests).toHaveLength(0);
  });
});

describe('model store', () => {
  it('ensureModel downloads once, then answers from disk without a request', async () => {
    const server = await serve();
    const entry = testEntry([server.url]);
    expect(await installedModel(models, entry)).toBeNull();
    const [first, second] = await Promise.all([
      ensureModel(models, entry, FAST),
      ensureModel(models, entry, FAST),
    ]);
    expect(second).toBe(first);
    await expectInstalled(first);
    expect(server.requests).toHaveLength(1);
    expect(await ensureModel(models, entry, FAST)).toBe(first);
    expect(await installedModel(models, entry)).toBe(first);
    expect(server.requests).toHaveLength(1);
  });

  it('notices a file changed after verification and downloads it again', async () => {
    const server = await serve();
    const entry = testEntry([server.url]);
    const path = await ensureModel(models, entry, FAST);
    const damaged = Buffer.from(PAYLOAD);
    damaged[1000] = (damaged[1000] ?? 0) ^ 1;
    await writeFile(path, damaged);
    expect(await installedModel(models, entry)).toBeNull();
    await expectInstalled(await ensureModel(models, entry, FAST));
    expect(server.requests).toHaveLength(2);
  });

  it('accepts a correct file put in place by hand after hashing it once', async () => {
    const entry = testEntry([await refusedUrl()]);
    await mkdir(models, { recursive: true });
    await writeFile(join(models, 'test-model.onnx'), PAYLOAD);
    expect(await installedModel(models, entry)).toBe(join(models, 'test-model.onnx'));
    await expectInstalled(join(models, 'test-model.onnx'));
  });

  it('removeModel deletes the file, its record and any partial download', async () => {
    const server = await serve();
    const entry = testEntry([server.url]);
    const path = await ensureModel(models, entry, FAST);
    await writeFile(`${path}.part`, 'partial');
    await removeModel(models, entry);
    expect(await readdir(models)).toEqual([]);
    expect(await installedModel(models, entry)).toBeNull();
    await removeModel(models, entry);
  });

  it('rejects an unknown model id', async () => {
    const error = await caught(ensureModel(models, 'no-such-model'));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('campplus-zh-cn');
  });
});

describe('importModelFile', () => {
  it('installs a file whose size and checksum match a catalog entry', async () => {
    const entry = testEntry([await refusedUrl()]);
    const source = join(dir.path, 'downloaded by hand.onnx');
    await writeFile(source, PAYLOAD);
    expect(await importModelFile(models, source, { catalog: [entry] })).toEqual({
      modelId: 'test-model',
      path: join(models, 'test-model.onnx'),
    });
    await expectInstalled(join(models, 'test-model.onnx'));
    expect(await installedModel(models, entry)).toBe(join(models, 'test-model.onnx'));
  });

  it('tells a foreign ONNX model from a file that is not ONNX at all', async () => {
    const entry = testEntry([await refusedUrl()]);
    const onnx = join(dir.path, 'other.onnx');
    const notOnnx = join(dir.path, 'random.onnx');
    const sameSizeWrongBytes = join(dir.path, 'same-size.onnx');
    await writeFile(onnx, encodeEmbeddingModel());
    await writeFile(notOnnx, encodeRandomBytes());
    await writeFile(sameSizeWrongBytes, randomBytes(PAYLOAD.length));

    const foreign = await caught(importModelFile(models, onnx, { catalog: [entry] }));
    expect(foreign.code).toBe('MODEL_INVALID');
    expect(foreign.message).toContain('is an ONNX model, but not one');
    for (const path of [notOnnx, sameSizeWrongBytes]) {
      const error = await caught(importModelFile(models, path, { catalog: [entry] }));
      expect(error.code).toBe('MODEL_INVALID');
      expect(error.message).toContain('is not an ONNX model file');
    }
    await expect(readdir(models)).rejects.toThrow();
  });

  it('reports a missing source file', async () => {
    const error = await caught(importModelFile(models, join(dir.path, 'nope.onnx')));
    expect(error.code).toBe('FILE_NOT_FOUND');
  });
});

describe('onnxStructureProblem', () => {
  it('accepts a real ModelProto and rejects truncated, empty and random files', async () => {
    const model = encodeEmbeddingModel();
    const cases: [string, Uint8Array, RegExp | null][] = [
      ['ok.onnx', model, null],
      ['truncated.onnx', model.subarray(0, model.length - 10), /truncated|cut off/],
      ['empty.onnx', new Uint8Array(), /empty/],
      ['random.onnx', encodeRandomBytes(), /./],
    ];
    for (const [name, bytes, expected] of cases) {
      const path = join(dir.path, name);
      await writeFile(path, bytes);
      const problem = await onnxStructureProblem(path);
      if (expected === null) expect(problem).toBeNull();
      else expect(problem).toMatch(expected);
    }
  });
});
