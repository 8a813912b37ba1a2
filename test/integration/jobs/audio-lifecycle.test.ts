// What a transcription job leaves in the audio folder, through the real services: real ffmpeg, the stand-in FunASR
// server on loopback and a real SQLite library. Only the meeting's Opus copy may stay, and only with a saved meeting.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppService } from '../../../src-main/application/app-service.js';
import type { JobInfo, JobStage } from '../../../src-shared/types.js';
import { createServices, type Services } from '../../../src-main/services.js';
import { startSimServer, type SimServer } from '../../funasr-sim/server.js';
import { generateConversation, MEETING_SCRIPT, type Conversation } from '../../fixtures/speech.js';
import { ffmpegWithoutOpus, probeCopy } from '../../helpers/audio-copy-checks.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const run = promisify(execFile);
const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');

let conversation: Conversation;
let stereoPath: string;
let data: Awaited<ReturnType<typeof makeTempDir>>;
let sim: SimServer;
let services: Services | null = null;

/** Services over a fresh library that send every file to the stand-in. */
async function openServices(name: string): Promise<Services> {
  services = await createServices({ dataDir: join(data.path, name) });
  services.updateSettings({ engineMode: 'remote', remoteEngines: [{ url: sim.url, concurrency: 1 }] });
  return services;
}

/** Runs one file through the queue and returns the finished job; `onStage` sees each stage as it starts. */
async function transcribe(
  s: Services,
  file: string,
  onStage: (stage: JobStage, job: JobInfo) => void = () => undefined,
): Promise<JobInfo> {
  let stage: JobStage | null = null;
  const stop = s.queue.onUpdate((job) => {
    if (job.stage !== null && job.stage !== stage) onStage((stage = job.stage), job);
  });
  const current = s.settings.get();
  const job = s.queue.enqueue(file, {
    serverUrl: null,
    hotwords: [],
    itn: true,
    allowSelfSignedTls: false,
    speakers: current.speakers,
  });
  await s.queue.whenIdle();
  stop();
  return s.jobs.get(job.id)!;
}

beforeAll(async () => {
  await mkdir(GENERATED, { recursive: true });
  conversation = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  data = await makeTempDir('audio-lifecycle');
  stereoPath = join(data.path, 'call 48k stereo.m4a');
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-i',
    conversation.wavPath,
    '-af',
    'pan=stereo|c0=c0|c1=0.3*c0',
    '-ar',
    '48000',
    '-c:a',
    'aac',
    stereoPath,
  ]);
  sim = await startSimServer({ protocol: 'offline', port: 0, language: 'zh', log: () => undefined });
});

afterEach(async () => {
  await services?.close();
  services = null;
  delete process.env.FUNSCRIBE_FFMPEG;
});

afterAll(async () => {
  await sim?.close();
  await data?.remove();
});

describe('the audio folder around a transcription job', () => {
  it('keeps only a stereo Opus copy of a stereo file once the meeting is saved: no PCM, no stereo PCM, no partial file', async () => {
    const s = await openServices('stereo');
    const audioDir = join(s.dataDir, 'audio');
    const seenWhileTranscribing: string[] = [];
    const job = await transcribe(s, stereoPath, (stage) => {
      if (stage === 'speakers') seenWhileTranscribing.push(...readdirSync(audioDir));
    });
    expect(job).toMatchObject({ status: 'done', error: null });
    // While the job ran: its two PCM files, and the copy being written next to them (under its temporary name or,
    // once complete, its own).
    expect(seenWhileTranscribing).toEqual(expect.arrayContaining([`${job.id}.pcm`, `${job.id}.stereo.pcm`]));
    const copyNames = [`${job.id}.webm`, `${job.id}.webm.partial`];
    for (const name of seenWhileTranscribing.filter((n) => !n.endsWith('.pcm')))
      expect(copyNames).toContain(name);
    expect(await readdir(audioDir)).toEqual([`${job.id}.webm`]);

    const meeting = s.meetings.get(job.meetingId!)!;
    expect(meeting.audioPath).toBe(join(audioDir, `${job.id}.webm`));
    const copy = await probeCopy(meeting.audioPath!);
    expect(copy).toMatchObject({ codec: 'opus', channels: 2 });
    expect(Math.abs(copy.ms - meeting.durationMs)).toBeLessThan(100);
  });

  it('keeps a mono copy of a mono file', async () => {
    const s = await openServices('mono');
    const job = await transcribe(s, conversation.wavPath);
    expect(job.status).toBe('done');
    const meeting = s.meetings.get(job.meetingId!)!;
    expect(await readdir(join(s.dataDir, 'audio'))).toEqual([`${job.id}.webm`]);
    expect(await probeCopy(meeting.audioPath!)).toMatchObject({ codec: 'opus', channels: 1 });
  });

  it('removes the copy when the meeting is deleted through the API, after the row is gone', async () => {
    const s = await openServices('deleted');
    const job = await transcribe(s, stereoPath);
    const { audioPath } = s.meetings.get(job.meetingId!)!;
    const events: string[] = [];
    let purged: () => void = () => undefined;
    const gone = new Promise<void>((resolve) => (purged = resolve));
    const api = createAppService({ ...s, meetingUndoWindowMs: 0 }, (event) => {
      events.push(event);
      if (event === 'meeting:purged') purged();
    });
    await api.deleteMeeting(job.meetingId!);
    expect(s.meetings.get(job.meetingId!)).toBeNull();
    await gone;
    expect(s.meetings.deletedMeetings()).toEqual([]);
    expect(existsSync(audioPath!)).toBe(false);
    expect(await readdir(join(s.dataDir, 'audio'))).toEqual([]);
    expect(events).toContain('library:changed');
    await expect(api.deleteMeeting(job.meetingId!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps no audio at all when the setting says so, and the meeting has no audio path', async () => {
    const s = await openServices('no-copies');
    expect(s.settings.get().keepAudioCopies).toBe(true);
    expect(s.updateSettings({ keepAudioCopies: false }).keepAudioCopies).toBe(false);
    expect(() => s.updateSettings({ keepAudioCopies: 'no' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const job = await transcribe(s, stereoPath);
    expect(job.status).toBe('done');
    expect(s.meetings.get(job.meetingId!)!.audioPath).toBeNull();
    expect(await readdir(join(s.dataDir, 'audio'))).toEqual([]);
  });

  it('leaves nothing when the job is cancelled as its save stage starts', async () => {
    const s = await openServices('cancelled');
    const job = await transcribe(s, stereoPath, (stage, current) => {
      if (stage === 'save') s.queue.cancel(current.id);
    });
    expect(job).toMatchObject({ status: 'cancelled', meetingId: null });
    expect(s.meetings.count()).toBe(0);
    expect(await readdir(join(s.dataDir, 'audio'))).toEqual([]);
  });

  it('saves the meeting without audio, and says why, when this ffmpeg cannot write Opus', async () => {
    const fake = await ffmpegWithoutOpus(data.path);
    process.env.FUNSCRIBE_FFMPEG = fake;
    const s = await openServices('no-opus');
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      const job = await transcribe(s, conversation.wavPath);
      expect(job).toMatchObject({ status: 'done', error: null });
      expect(s.meetings.get(job.meetingId!)!.audioPath).toBeNull();
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([expect.stringContaining("Unknown encoder 'libopus'")]);
    expect(await readdir(join(s.dataDir, 'audio'))).toEqual([]);
  });
});
