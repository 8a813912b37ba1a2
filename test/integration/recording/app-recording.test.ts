// Recording from the app through the application service, on real services: a real SQLite library, real journal
// files, real ffmpeg and the stand-in FunASR server on loopback. A two-channel recording stops into a meeting whose
// speakers are told apart by channel; "record only" waits in the list until it is transcribed; unknown ids and empty
// recordings get clear errors; a recording takes the title the page gives it (in the interface language); closing
// the library keeps a recording in progress and queues it; one left marked as recording with nobody recording it (a
// full disk stopped it while the library could not be written) is finished and transcribed when asked.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppService, type AppService } from '../../../src-main/application/app-service.js';
import { dispatchCall } from '../../../src-main/app/ipc-router.js';
import { processStartTime } from '../../../src-main/jobs/job-owner.js';
import { recordingsDirOf } from '../../../src-main/recording/recording-session.js';
import { JournalWriter, WAV_HEADER_BYTES } from '../../../src-main/recording/wav-journal.js';
import type { JobOwner } from '../../../src-main/store/jobs-repo.js';
import { createServices, type Services } from '../../../src-main/services.js';
import { startSimServer, type SimServer } from '../../funasr-sim/server.js';
import { generateConversation, MEETING_SCRIPT, type Conversation } from '../../fixtures/speech.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import {
  captionEvents,
  ChunkFeeder,
  NO_DOCKER,
  SAMPLES_PER_CHUNK,
  stereoBytes,
  stereoCall,
} from './call-audio.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');

let conversation: Conversation;
let stereo: Buffer;
let data: Awaited<ReturnType<typeof makeTempDir>>;
let sim: SimServer;
let services: Services;
let app: AppService;
const events = captionEvents();
const captionStates = events.states;

beforeAll(async () => {
  await mkdir(GENERATED, { recursive: true });
  conversation = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  // The first two turns: A on the left, B on the right.
  stereo = (await stereoCall(conversation)).subarray(0, stereoBytes(10_000));
  data = await makeTempDir('app-recording');
  sim = await startSimServer({ protocol: 'offline', port: 0, language: 'zh', log: () => undefined });
  services = await createServices({ dataDir: join(data.path, 'library'), env: NO_DOCKER });
  services.updateSettings({ engineMode: 'remote', remoteEngines: [{ url: sim.url, concurrency: 1 }] });
  app = createAppService(services, events.emit);
}, 120_000);

afterAll(async () => {
  await services?.close();
  await sim?.close();
  await data?.remove();
});

describe('recording from the app', () => {
  it('records two channels into a journal and stops into a meeting with one speaker per channel', async () => {
    const info = await app.startRecording({ channels: 2, captions: false, transcribe: true });
    expect(info).toMatchObject({ channels: 2, captions: 'off' });
    const row = services.recordings.get(info.id)!;
    expect(row).toMatchObject({ status: 'recording', channels: 2, channelLayout: 'microphone-system' });
    expect((await readFile(row.path)).length).toBe(WAV_HEADER_BYTES);
    // The chunk goes through the IPC router's validation as the renderer's bytes do.
    const first = new Uint8Array(stereo.subarray(0, SAMPLES_PER_CHUNK * 4));
    const routed = await dispatchCall(
      'appendRecording',
      app,
      { senderFrame: { url: 'app://x/' } },
      [info.id, 0, first],
      {
        isTrustedSender: () => true,
      },
    );
    expect(routed).toEqual({ ok: true, value: undefined });
    const feeder = new ChunkFeeder(app, info.id, 2);
    await feeder.append(stereo);
    await app.appendRecording(info.id, 0, first);
    const finished = await app.stopRecording(info.id);
    expect(finished.error).toBeNull();
    expect(finished.durationMs).toBe(10_000);
    expect(finished.jobId).not.toBeNull();
    const journal = await readFile(row.path);
    expect(journal.subarray(WAV_HEADER_BYTES).equals(stereo)).toBe(true);
    await services.queue.whenIdle();
    const job = services.jobs.get(finished.jobId!)!;
    expect(job).toMatchObject({ status: 'done', file: row.path });
    const meeting = services.meetings.get(job.meetingId!)!;
    expect(meeting.segments.length).toBeGreaterThan(0);
    expect(meeting.speakerLabelling?.mode).toBe('channels');
    expect(meeting.speakers).toHaveLength(2);
    expect(services.recordings.get(info.id)).toMatchObject({ status: 'finished', jobId: job.id });
    expect(await app.listRecordings()).toEqual([]);
    await expect(app.appendRecording(info.id, 999, first)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      params: { reason: 'recording', id: info.id },
    });
  }, 120_000);

  it('keeps a record-only recording in the list until it is transcribed', async () => {
    // The first speaker's first words: 4 s.
    const mono = (await readFile(conversation.wavPath)).subarray(
      WAV_HEADER_BYTES,
      WAV_HEADER_BYTES + 4 * 32_000,
    );
    const info = await app.startRecording({ channels: 1, captions: false, transcribe: false });
    await new ChunkFeeder(app, info.id, 1).append(mono);
    await expect(app.transcribeRecording(info.id)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      params: { reason: 'recordingInProgress' },
    });
    const finished = await app.stopRecording(info.id);
    expect(finished).toMatchObject({ id: info.id, jobId: null, error: null });
    const [listed, ...others] = await app.listRecordings();
    expect(others).toEqual([]);
    expect(listed).toMatchObject({ id: info.id, channels: 1, jobId: null, startedAt: info.startedAt });
    expect(listed!.title).toMatch(/^Recording \d{4}-\d{2}-\d{2} \d{2}\.\d{2}/);
    expect(listed!.durationMs).toBe(4000);
    const job = await app.transcribeRecording(info.id);
    expect((await app.listRecordings()).map((entry) => entry.jobId)).toEqual([job.id]);
    expect((await app.transcribeRecording(info.id)).id).toBe(job.id);
    await services.queue.whenIdle();
    expect(services.jobs.get(job.id)).toMatchObject({ status: 'done' });
    expect(services.meetings.get(services.jobs.get(job.id)!.meetingId!)!.title).toBe(listed!.title);
    expect(await app.listRecordings()).toEqual([]);
    expect(await app.getRecordingCaptions(info.id)).toEqual([]);
  }, 120_000);

  it('transcribes a recording left marked as recording when no process records it any more, and refuses one that another does', async () => {
    // As a recording stopped by a full disk is left when the library could not be written either: its row still says
    // it records (owned by this process, whose session is over), its journal's header never got its sizes.
    const mono = (await readFile(conversation.wavPath)).subarray(
      WAV_HEADER_BYTES,
      WAV_HEADER_BYTES + 3 * 32_000,
    );
    // The settings a recording from the app is transcribed with, from one started and stopped at once.
    const donor = await app.startRecording({ channels: 1, captions: false, transcribe: false });
    await app.stopRecording(donor.id);
    const { settings } = services.recordings.get(donor.id)!;
    const leftBehind = (owner: JobOwner): string => {
      const id = randomUUID();
      const dir = join(recordingsDirOf(services.dataDir), id);
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${id}.wav`);
      const journal = JournalWriter.create(path, { sampleRate: 16_000, channels: 1 });
      journal.append(mono);
      services.recordings.start({
        id,
        path,
        sampleRate: 16_000,
        channels: 1,
        channelLayout: 'mono',
        settings,
        owner,
        transcribeLater: true,
      });
      return id;
    };
    const self = {
      token: randomUUID(),
      pid: process.pid,
      host: hostname(),
      startedAt: processStartTime(process.pid),
    };
    const ours = leftBehind(self);
    const job = await app.transcribeRecording(ours);
    expect(services.recordings.get(ours)).toMatchObject({ status: 'finished', durationMs: 3000 });
    await services.queue.whenIdle();
    expect(services.jobs.get(job.id)).toMatchObject({ status: 'done' });

    // The test runner's own process is alive: a recording it owned would still be going on.
    const parent = {
      ...self,
      token: randomUUID(),
      pid: process.ppid,
      startedAt: processStartTime(process.ppid),
    };
    const theirs = leftBehind(parent);
    await expect(app.transcribeRecording(theirs)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      params: { reason: 'recordingInProgress' },
    });
    expect(services.recordings.get(theirs)).toMatchObject({ status: 'recording' });
  }, 120_000);

  it('refuses unknown recordings and empty ones, and says captions are unavailable with no 2pass server', async () => {
    for (const call of [
      () => app.stopRecording('no-such-recording'),
      () => app.transcribeRecording('no-such-recording'),
      () => app.getRecordingCaptions('no-such-recording'),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'NOT_FOUND', params: { reason: 'recording' } });
    }
    // The only server in the settings is an offline one.
    const info = await app.startRecording({ channels: 1, captions: true, transcribe: false });
    expect(info.captions).toBe('connecting');
    await vi.waitFor(() => expect(captionStates.map((change) => change.state)).toEqual(['unavailable']), {
      timeout: 10_000,
    });
    expect(captionStates[0]).toMatchObject({
      recordingId: info.id,
      error: { code: 'ENGINE_UNAVAILABLE', params: { reason: 'noCaptions' } },
    });
    await app.appendRecording(info.id, 0, new Uint8Array(3200));
    expect(await app.stopRecording(info.id)).toMatchObject({ durationMs: 100, jobId: null, error: null });
    const empty = await app.startRecording({ channels: 1, captions: false, transcribe: false });
    expect(await app.stopRecording(empty.id)).toMatchObject({ durationMs: 0, jobId: null, error: null });
    expect((await app.listRecordings()).map((entry) => entry.id)).toEqual([info.id]);
    await expect(app.transcribeRecording(empty.id)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      params: { reason: 'recordingEmpty' },
    });
  });

  it('offers a stopped recording for transcription when the process ends before its job is queued', async () => {
    const info = await app.startRecording({ channels: 1, captions: false, transcribe: true });
    const mono = (await readFile(conversation.wavPath)).subarray(
      WAV_HEADER_BYTES,
      WAV_HEADER_BYTES + 4 * 32_000,
    );
    await new ChunkFeeder(app, info.id, 1).append(mono);
    // The process ends at the moment the stop queues the job: nothing of the job is written.
    const enqueue = vi.spyOn(services.queue, 'enqueue').mockImplementationOnce(() => {
      throw new Error('the process ended here');
    });
    await expect(app.stopRecording(info.id)).rejects.toThrow('the process ended here');
    enqueue.mockRestore();
    expect(services.recordings.get(info.id)).toMatchObject({
      status: 'finished',
      durationMs: 4000,
      jobId: null,
    });
    expect((await app.listRecordings()).map((entry) => entry.id)).toContain(info.id);
    const job = await app.transcribeRecording(info.id);
    await services.queue.whenIdle();
    expect(services.jobs.get(job.id)).toMatchObject({ status: 'done' });
    expect((await app.listRecordings()).map((entry) => entry.id)).not.toContain(info.id);
  }, 120_000);

  it("names a recording as the page asks (the interface language's title), and refuses a title no file can have", async () => {
    const title = '录音 2026年12月04日 16时29分';
    const start = (options: unknown) =>
      dispatchCall('startRecording', app, { senderFrame: { url: 'app://x/' } }, [options], {
        isTrustedSender: () => true,
      });
    const started = await start({ title, channels: 1, captions: false, transcribe: false });
    if (!started.ok) throw new Error(started.error.message);
    const info = started.value as { id: string };
    await app.appendRecording(info.id, 0, new Uint8Array(3200));
    await app.stopRecording(info.id);
    expect(basename(services.recordings.get(info.id)!.path)).toBe(`${title}.wav`);
    expect((await app.listRecordings()).find((entry) => entry.id === info.id)?.title).toBe(title);
    for (const bad of ['录音 16:29', 'a/b', ' padded', 'CON', 'x'.repeat(81)]) {
      expect(await start({ title: bad, channels: 1, captions: false, transcribe: false })).toMatchObject({
        ok: false,
        error: {
          code: 'INVALID_ARGUMENT',
          message: expect.stringMatching(/^Invalid request: the recording's title/),
        },
      });
    }
  });

  it('keeps a recording in progress when the library closes, with its job queued for the next start', async () => {
    const info = await app.startRecording({ channels: 2, captions: false, transcribe: true });
    await new ChunkFeeder(app, info.id, 2).append(stereo.subarray(0, stereoBytes(1000)));
    await services.close();
    services = await createServices({ dataDir: join(data.path, 'library'), env: NO_DOCKER });
    const row = services.recordings.get(info.id)!;
    expect(row).toMatchObject({ status: 'finished', durationMs: 1000 });
    expect(services.jobs.get(row.jobId!)).toMatchObject({ status: 'queued', file: row.path });
  });
});
