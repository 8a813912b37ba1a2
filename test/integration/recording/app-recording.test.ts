// Recording from the app through the application service, on real services: a real SQLite library, real journal
// files, real ffmpeg and the stand-in FunASR server on loopback. A two-channel recording stops into a meeting whose
// speakers are told apart by channel; "record only" waits in the list until it is transcribed; unknown ids and empty
// recordings get clear errors; closing the library keeps a recording in progress and queues it.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService, type AppService } from '../../../src-main/application/app-service.js';
import { dispatchCall } from '../../../src-main/app/ipc-router.js';
import { WAV_HEADER_BYTES } from '../../../src-main/recording/wav-journal.js';
import { createServices, type Services } from '../../../src-main/services.js';
import { startSimServer, type SimServer } from '../../funasr-sim/server.js';
import { generateConversation, MEETING_SCRIPT, type Conversation } from '../../fixtures/speech.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');
const SAMPLES_PER_CHUNK = 1600;

let conversation: Conversation;
let stereo: Buffer;
let data: Awaited<ReturnType<typeof makeTempDir>>;
let sim: SimServer;
let services: Services;
let app: AppService;

/** The meeting's mono speech as a call: speaker A on the left channel, everyone else on the right. */
async function stereoCall(source: Conversation): Promise<Buffer> {
  const mono = (await readFile(source.wavPath)).subarray(WAV_HEADER_BYTES);
  const frames = mono.length / 2;
  const out = Buffer.alloc(frames * 4);
  const sampleOf = (ms: number): number => Math.round(ms * 16);
  for (const turn of source.turns) {
    const channel = turn.speaker === 'A' ? 0 : 1;
    for (let i = sampleOf(turn.startMs); i < Math.min(frames, sampleOf(turn.endMs)); i++)
      out.writeInt16LE(mono.readInt16LE(i * 2), i * 4 + channel * 2);
  }
  return out;
}

/** Appends `pcm` (interleaved frames of `channels`) in chunks of 100 ms numbered from `firstSeq`. */
async function appendAll(id: string, pcm: Buffer, channels: 1 | 2, firstSeq = 0): Promise<number> {
  const bytes = SAMPLES_PER_CHUNK * channels * 2;
  let seq = firstSeq;
  for (let offset = 0; offset < pcm.length; offset += bytes)
    await app.appendRecording(id, seq++, new Uint8Array(pcm.subarray(offset, offset + bytes)));
  return seq;
}

beforeAll(async () => {
  await mkdir(GENERATED, { recursive: true });
  conversation = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  stereo = await stereoCall(conversation);
  data = await makeTempDir('app-recording');
  sim = await startSimServer({ protocol: 'offline', port: 0, language: 'zh', log: () => undefined });
  services = await createServices({ dataDir: join(data.path, 'library') });
  services.updateSettings({ engineMode: 'remote', remoteEngines: [{ url: sim.url, concurrency: 1 }] });
  app = createAppService(services);
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
    await app.appendRecording(info.id, 0, first);
    await appendAll(info.id, stereo.subarray(first.length), 2, 1);
    const finished = await app.stopRecording(info.id);
    expect(finished.error).toBeNull();
    expect(finished.durationMs).toBeCloseTo(conversation.durationMs, 0);
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
    const mono = (await readFile(conversation.wavPath)).subarray(WAV_HEADER_BYTES);
    const info = await app.startRecording({ channels: 1, captions: false, transcribe: false });
    await appendAll(info.id, mono, 1);
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
    expect(listed!.durationMs).toBeCloseTo(conversation.durationMs, 0);
    const job = await app.transcribeRecording(info.id);
    expect((await app.listRecordings()).map((entry) => entry.jobId)).toEqual([job.id]);
    expect((await app.transcribeRecording(info.id)).id).toBe(job.id);
    await services.queue.whenIdle();
    expect(services.jobs.get(job.id)).toMatchObject({ status: 'done' });
    expect(services.meetings.get(services.jobs.get(job.id)!.meetingId!)!.title).toBe(listed!.title);
    expect(await app.listRecordings()).toEqual([]);
    expect(await app.getRecordingCaptions(info.id)).toEqual([]);
  }, 120_000);

  it('refuses unknown recordings and empty ones, and says captions are unavailable without a 2pass server', async () => {
    for (const call of [
      () => app.stopRecording('no-such-recording'),
      () => app.transcribeRecording('no-such-recording'),
      () => app.getRecordingCaptions('no-such-recording'),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'NOT_FOUND', params: { reason: 'recording' } });
    }
    const info = await app.startRecording({ channels: 1, captions: true, transcribe: false });
    expect(info.captions).toBe('unavailable');
    expect(await app.stopRecording(info.id)).toMatchObject({ durationMs: 0, jobId: null, error: null });
    expect(await app.listRecordings()).toEqual([]);
    await expect(app.transcribeRecording(info.id)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      params: { reason: 'recordingEmpty' },
    });
  });

  it('keeps a recording in progress when the library closes, with its job queued for the next start', async () => {
    const info = await app.startRecording({ channels: 2, captions: false, transcribe: true });
    await appendAll(info.id, stereo.subarray(0, 16_000 * 4), 2);
    await services.close();
    services = await createServices({ dataDir: join(data.path, 'library') });
    const row = services.recordings.get(info.id)!;
    expect(row).toMatchObject({ status: 'finished', durationMs: 1000 });
    expect(services.jobs.get(row.jobId!)).toMatchObject({ status: 'queued', file: row.path });
  });
});
