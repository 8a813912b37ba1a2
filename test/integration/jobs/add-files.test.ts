// Adding files through the application service on real services: real ffmpeg, the stand-in FunASR server on loopback,
// a real SQLite library. Folders give their audio and video files; the same content is reported, not queued again,
// unless the call says to go ahead; a batch's options reach its jobs; progress is one number with time left; a file
// ffmpeg cannot read fails without a retry; finished jobs can be cleared.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService, type AppService } from '../../../src-main/application/app-service.js';
import { contentHash } from '../../../src-main/audio/content-hash.js';
import { createServices, type Services } from '../../../src-main/services.js';
import type { JobInfo, TranscribeSettings } from '../../../src-shared/types.js';
import { startSimServer, type SimServer } from '../../funasr-sim/server.js';
import { generateConversation, MEETING_SCRIPT, type Conversation } from '../../fixtures/speech.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');

let conversation: Conversation;
let data: Awaited<ReturnType<typeof makeTempDir>>;
let sim: SimServer;
let services: Services;
let app: AppService;
let folder: string;
const updates: JobInfo[] = [];

beforeAll(async () => {
  await mkdir(GENERATED, { recursive: true });
  conversation = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  data = await makeTempDir('add-files');
  folder = join(data.path, 'recordings');
  await mkdir(join(folder, 'day 2'), { recursive: true });
  await copyFile(conversation.wavPath, join(folder, 'standup.wav'));
  await writeFile(join(folder, 'notes.txt'), 'not audio');
  await writeFile(join(folder, 'day 2', 'broken.mp3'), 'Agenda: the budget and the launch date.\n');
  await writeFile(join(folder, '.hidden.wav'), 'skipped');
  sim = await startSimServer({ protocol: 'offline', port: 0, language: 'zh', log: () => undefined });
  services = await createServices({ dataDir: join(data.path, 'library') });
  services.updateSettings({
    engineMode: 'remote',
    remoteEngines: [{ url: sim.url, concurrency: 1 }],
    hotwordLists: [
      { name: 'Default', hotwords: [] },
      { name: '产品', hotwords: [{ phrase: '飞书妙记', weight: 30 }] },
    ],
  });
  app = createAppService(services);
  services.queue.onUpdate((job) => updates.push(job));
}, 120_000);

afterAll(async () => {
  await services?.close();
  await sim?.close();
  await data?.remove();
});

describe('addFiles', () => {
  let good: JobInfo;
  let broken: JobInfo;

  it('takes a folder: its audio and video files, subfolders included, hidden and other files left out', async () => {
    const result = await app.addFiles([folder]);
    expect(result.duplicates).toEqual([]);
    expect(result.jobs.map((job) => job.file)).toEqual([
      join(folder, 'day 2', 'broken.mp3'),
      join(folder, 'standup.wav'),
    ]);
    [broken, good] = result.jobs as [JobInfo, JobInfo];
    await services.queue.whenIdle();
    const empty = join(data.path, 'empty folder');
    await mkdir(empty);
    await expect(app.addFiles([empty])).rejects.toMatchObject({ code: 'NOT_A_FILE' });
  }, 120_000);

  it('gives one progress number over all stages with the time left, and 1 when done', () => {
    const own = updates.filter((job) => job.id === good.id && job.status === 'running');
    const overall = own.map((job) => job.overallProgress);
    expect(overall.length).toBeGreaterThan(4);
    expect(overall).toEqual([...overall].sort((a, b) => a - b));
    expect(new Set(own.map((job) => job.stage))).toEqual(
      new Set(['decode', 'transcribe', 'speakers', 'save']),
    );
    expect(overall.every((value) => value >= 0 && value <= 1)).toBe(true);
    for (const job of own) if (job.remainingMs !== null) expect(job.remainingMs).toBeGreaterThanOrEqual(0);
    const done = services.jobs.get(good.id)!;
    expect(done).toMatchObject({ status: 'done', overallProgress: 1, remainingMs: null, retryable: false });
  });

  it('offers no retry for a file ffmpeg cannot read, and refuses one asked for', async () => {
    const failed = services.jobs.get(broken.id)!;
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'UNREADABLE_MEDIA' }, retryable: false });
    await expect(app.retryJob(broken.id)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('stores the hash of the bytes with the meeting and reports the same content dropped again', async () => {
    const meetingId = services.jobs.get(good.id)!.meetingId!;
    const copy = join(data.path, 'renamed copy.wav');
    await copyFile(conversation.wavPath, copy);
    const again = await app.addFiles([copy, join(folder, 'standup.wav')]);
    expect(again.jobs).toEqual([]);
    const title = services.meetings.get(meetingId)!.title;
    expect(again.duplicates).toEqual([
      { file: copy, meetingId, title },
      { file: join(folder, 'standup.wav'), meetingId, title },
    ]);
    expect(services.jobs.withContent(await contentHash(copy))).toEqual([{ meetingId, title }]);
  });

  it('reports a file twice in one batch, and goes ahead when told to', async () => {
    // Other bytes (a tenth of a second of silence more), so not the meeting's content; two copies of them.
    const other = join(data.path, 'other.wav');
    const sameAsOther = join(data.path, 'other (copy).wav');
    await writeFile(other, Buffer.concat([await readFile(conversation.wavPath), Buffer.alloc(3200)]));
    await copyFile(other, sameAsOther);
    const twice = await app.addFiles([other, sameAsOther], { hotwordList: null });
    expect(twice.jobs.map((job) => job.file)).toEqual([other]);
    expect(twice.duplicates).toEqual([{ file: sameAsOther, meetingId: null, title: 'other.wav' }]);
    const pending = await app.addFiles([sameAsOther]);
    expect(pending.duplicates).toEqual([{ file: sameAsOther, meetingId: null, title: 'other.wav' }]);
    const forced = await app.addFiles([other], { allowDuplicates: true });
    expect(forced.duplicates).toEqual([]);
    expect(forced.jobs).toHaveLength(1);
    await services.queue.whenIdle();
  }, 120_000);

  it("gives a batch's jobs its server, hotword list and speakers instead of the saved settings", async () => {
    const file = join(data.path, 'batch.wav');
    await copyFile(conversation.wavPath, file);
    const { jobs } = await app.addFiles([file], {
      allowDuplicates: true,
      serverUrl: sim.url,
      hotwordList: '产品',
      speakers: 2,
    });
    expect(services.jobs.settingsOf(jobs[0]!.id)).toMatchObject({
      serverUrl: sim.url,
      hotwords: [{ phrase: '飞书妙记', weight: 30 }],
      speakers: 2,
    });
    await services.queue.whenIdle();
    const meeting = services.meetings.get(services.jobs.get(jobs[0]!.id)!.meetingId!)!;
    expect(meeting.speakers).toHaveLength(2);
    await expect(app.addFiles([file], { hotwordList: 'Missing' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('"产品"'),
    });
  }, 120_000);

  it('recognises a file transcribed by the command line when it is dropped in the app', async () => {
    const cli = join(data.path, 'from the cli.wav');
    await writeFile(cli, Buffer.concat([await readFile(conversation.wavPath), Buffer.alloc(9600)]));
    const { meetings } = await app.transcribeAndWait(
      [cli],
      services.jobs.settingsOf(good.id) as TranscribeSettings,
    );
    expect(meetings).toHaveLength(1);
    const again = await app.addFiles([cli]);
    expect(again.duplicates).toEqual([{ file: cli, meetingId: meetings[0]!.id, title: 'from the cli' }]);
  }, 120_000);

  it('clears the finished jobs and keeps their meetings', async () => {
    const meetings = services.meetings.count();
    const finished = (await app.listJobs()).filter(
      (job) => job.status !== 'queued' && job.status !== 'running',
    );
    expect(finished.length).toBeGreaterThan(2);
    expect(await app.clearFinishedJobs()).toBe(finished.length);
    expect(await app.listJobs()).toEqual([]);
    expect(services.meetings.count()).toBe(meetings);
  });
});
