// A batch sent to the managed engine while the settings send files to remote servers, against the real Docker engine
// and the stand-in FunASR image from the local registry: the batch's job is transcribed by the container FunScribe
// starts for it (the remote stand-in never hears from it), and the next batch without the choice goes to the remote
// server again. The batch options are checked by the IPC schema on the way in, as the page sends them.
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService, type AppService } from '../../src-main/application/app-service.js';
import { createServices, type Services } from '../../src-main/services.js';
import { AddFilesOptionsSchema } from '../../src-shared/schemas/api-args.js';
import { startSimServer, type SimServer } from '../funasr-sim/server.js';
import { generateConversation, MEETING_SCRIPT, type Conversation } from '../fixtures/speech.js';
import { ensureSimImage } from '../helpers/docker-image.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SPEECH = join(import.meta.dirname, '../fixtures/generated/speech');

describe('the managed engine chosen for one batch', () => {
  const instance = `batch-${randomUUID().slice(0, 8)}`;
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let conversation: Conversation;
  let remote: SimServer;
  let services: Services;
  let app: AppService;

  beforeAll(async () => {
    const { registryRef } = await ensureSimImage();
    await mkdir(SPEECH, { recursive: true });
    conversation = await generateConversation(SPEECH, 'meeting-4-turns', MEETING_SCRIPT);
    data = await makeTempDir('per-batch-engine');
    remote = await startSimServer({ protocol: 'offline', port: 0, log: () => undefined });
    services = await createServices({
      dataDir: join(data.path, 'library'),
      env: {
        ...process.env,
        FUNSCRIBE_ENGINE_INSTANCE: instance,
        FUNSCRIBE_IMAGE_OFFLINE_CPU: registryRef,
        FUNASR_SIM_DOWNLOAD_MS: '300',
      },
    });
    services.updateSettings({ engineMode: 'remote', remoteEngines: [{ url: remote.url, concurrency: 1 }] });
    app = createAppService(services);
  }, 600_000);

  afterAll(async () => {
    await services?.engine.remove({ keepModels: false });
    await services?.close();
    await remote?.close();
    await data?.remove();
  });

  it('runs on the container started for it, then the next batch goes to the remote server', async () => {
    const first = join(data.path, 'first.wav');
    const second = join(data.path, 'second.wav');
    await copyFile(conversation.wavPath, first);
    await copyFile(conversation.wavPath, second);
    expect((await services.engine.status()).state).not.toBe('ready');

    const options = v.parse(AddFilesOptionsSchema, { managedEngine: true });
    const [managedJob] = (await app.addFiles([first], options)).jobs;
    await services.queue.whenIdle();
    const done = (await app.listJobs()).find((job) => job.id === managedJob!.id);
    expect(done, done?.error?.message).toMatchObject({ status: 'done' });
    expect((await services.engine.status()).state).toBe('ready');
    expect(remote.sessions).toHaveLength(0);
    const meeting = await app.getMeeting(done!.meetingId!);
    expect(meeting.segments).toHaveLength(conversation.turns.length);

    const [remoteJob] = (await app.addFiles([second], { allowDuplicates: true })).jobs;
    await services.queue.whenIdle();
    expect((await app.listJobs()).find((job) => job.id === remoteJob!.id)).toMatchObject({ status: 'done' });
    expect(remote.sessions).toHaveLength(1);
  }, 600_000);
});
