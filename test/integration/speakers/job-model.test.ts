// The model a job uses, against a real HTTP mirror on 127.0.0.1: a failed download is not tried again by every job,
// but is after a while, and a model that can be downloaded is installed and used.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorAt, type SpeakerModelEntry } from '../../../src-main/speakers/models/model-catalog.js';
import { JOB_DOWNLOAD_RETRY_AFTER_MS, jobSpeakerModel } from '../../../src-main/speakers/models/job-model.js';
import { startFileServer, type FileServer } from '../../helpers/http-file-server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const PAYLOAD = randomBytes(50_000);

describe('jobSpeakerModel', () => {
  let server: FileServer;
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let catalog: SpeakerModelEntry[];

  beforeAll(async () => {
    server = await startFileServer(PAYLOAD, { status: 404 });
    temp = await makeTempDir('job-model');
    catalog = [
      {
        id: 'mirror-model',
        displayName: 'Model on a local mirror',
        language: 'none',
        fileName: 'mirror-model.onnx',
        sizeBytes: PAYLOAD.length,
        sha256: createHash('sha256').update(PAYLOAD).digest('hex'),
        embeddingDim: 192,
        mirrors: [mirrorAt(server.url, 'global')],
      },
    ];
  });

  afterAll(async () => {
    await server?.close();
    await temp?.remove();
  });

  it('gives no model when none is chosen', async () => {
    const resolve = jobSpeakerModel(temp.path, () => ({ speakerModel: null, modelRegion: 'global' }), {
      catalog,
    });
    expect(await resolve()).toBeNull();
    expect(server.requests).toHaveLength(0);
  });

  it('remembers a failed download for a while, then tries again and installs the model', async () => {
    let clock = 1_000_000;
    const resolve = jobSpeakerModel(
      join(temp.path, 'models'),
      () => ({ speakerModel: 'mirror-model', modelRegion: 'global' }),
      { catalog, now: () => clock },
    );
    await expect(resolve()).rejects.toMatchObject({ code: 'MODEL_DOWNLOAD_FAILED' });
    expect(server.requests).toHaveLength(1);
    clock += JOB_DOWNLOAD_RETRY_AFTER_MS - 1;
    await expect(resolve()).rejects.toMatchObject({ code: 'MODEL_DOWNLOAD_FAILED' });
    expect(server.requests).toHaveLength(1);
    clock += 1;
    server.behaviour.status = undefined;
    const model = await resolve();
    expect(model).toEqual({ id: 'mirror-model', path: join(temp.path, 'models', 'mirror-model.onnx') });
    expect(server.requests).toHaveLength(2);
    expect(await resolve()).toEqual(model);
    expect(server.requests).toHaveLength(2);
  });
});
