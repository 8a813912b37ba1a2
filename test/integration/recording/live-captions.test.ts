// Live captions of a recording made through the application service, against the stand-in 2pass server run as its
// own process: provisional text grows and is replaced by sentences, in order, at their times in the recording; the
// server is killed mid-recording (the recording goes on, the captions reconnect) and started again on the same port
// (the captions resume from the audio after the reconnection, still in recording time); the stop sends the end of
// the audio and stores the last sentence; the recording becomes a meeting through the queue on the same server.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppService, type AppService } from '../../../src-main/application/app-service.js';
import { WAV_HEADER_BYTES } from '../../../src-main/recording/wav-journal.js';
import { createServices, type Services } from '../../../src-main/services.js';
import type { CaptionSentence, CaptionState } from '../../../src-shared/contract.js';
import { generateConversation, MEETING_SCRIPT, type Conversation } from '../../fixtures/speech.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { captionEvents, ChunkFeeder, NO_DOCKER, stereoBytes, stereoCall } from './call-audio.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');
/** The call's first turn (A: 0.7–4.2 s) with the silence after it, then the server drops. */
const FIRST_PART_MS = 5000;
/** Where the call goes on after the drop: in the silence before its third turn (C: 10.6–15.7 s). */
const SECOND_PART_MS = 10_000;
/** How far a sentence may reach beyond the speech of its turn (the stand-in's frames and smoothing). */
const SLACK_MS = 150;

let conversation: Conversation;
let call: Buffer;
let data: Awaited<ReturnType<typeof makeTempDir>>;
let sim: SimProcess;
let services: Services;
let app: AppService;
const { captions, states, emit } = captionEvents();

/** The sentences shown so far. */
function sentences(): CaptionSentence[] {
  return captions.flatMap((update) => (update.sentence ? [update.sentence] : []));
}

/** The states the captions went through so far. */
function stateNames(): CaptionState[] {
  return states.map((change) => change.state);
}

/** Expects every sentence to lie on the speech of a turn, its times moved by `shiftMs` into the recording. */
function expectOnTurns(
  list: readonly CaptionSentence[],
  turns: Conversation['turns'],
  shiftMs: number,
): void {
  expect(list.length).toBeGreaterThan(0);
  for (const sentence of list) {
    const turn = turns.find(
      (candidate) =>
        sentence.startMs! >= candidate.startMs + shiftMs - SLACK_MS &&
        sentence.endMs! <= candidate.endMs + shiftMs + SLACK_MS,
    );
    expect(turn, `${JSON.stringify(sentence)} lies on no turn`).toBeDefined();
  }
}

beforeAll(async () => {
  conversation = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  call = await stereoCall(conversation);
  data = await makeTempDir('live-captions');
  sim = await startSimProcess(['--protocol', '2pass']);
  services = await createServices({ dataDir: join(data.path, 'library'), env: NO_DOCKER });
  services.updateSettings({
    engineMode: 'remote',
    remoteEngines: [{ url: sim.url, concurrency: 1 }],
    hotwords: [{ phrase: '预算', weight: 20 }],
  });
  app = createAppService(services, emit);
}, 60_000);

afterAll(async () => {
  await services?.close();
  await sim?.stop();
  await data?.remove();
});

describe('live captions while recording', () => {
  it('shows provisional text and sentences, survives the server dropping, and stores the captions', async () => {
    const info = await app.startRecording({ channels: 2, captions: true, transcribe: true });
    expect(info.captions).toBe('connecting');
    await vi.waitFor(() => expect(stateNames()).toEqual(['live']), { timeout: 10_000 });
    const feeder = new ChunkFeeder(app, info.id, 2);
    // About twenty times real time: 100 ms of audio every 5 ms.
    await feeder.append(call.subarray(0, stereoBytes(FIRST_PART_MS)), 5);
    const [turnA, , turnC] = conversation.turns;
    await vi.waitFor(() => expect(sentences().at(-1)?.endMs).toBeGreaterThan(turnA!.endMs - 500), {
      timeout: 10_000,
    });
    const before = sentences();
    expectOnTurns(before, [turnA!], 0);
    const firstSentence = captions.findIndex((update) => update.sentence !== null);
    const provisional = captions.slice(0, firstSentence).map((update) => update.provisional);
    expect(provisional.length).toBeGreaterThan(1);
    for (let i = 1; i < provisional.length; i++)
      expect(provisional[i]!.startsWith(provisional[i - 1]!)).toBe(true);
    expect(captions[firstSentence]?.provisional).toBe('');

    // The server dies; the recording goes on in real time with silence until the captions are live again.
    sim.child.kill('SIGKILL');
    const silence = Buffer.alloc(stereoBytes(100));
    let restarted: Promise<SimProcess> | null = null;
    while (stateNames().filter((state) => state === 'live').length < 2) {
      await feeder.append(silence, 100);
      if (!restarted && stateNames().includes('reconnecting'))
        restarted = startSimProcess(['--protocol', '2pass', '--port', String(sim.port)]);
      expect(feeder.appendedMs).toBeLessThan(30_000);
    }
    sim = await restarted!;
    const resumedAtMs = feeder.appendedMs;
    const dropped = states.find((change) => change.state === 'reconnecting')!;
    expect(['ASR_CONNECTION_LOST', 'ASR_CONNECT_FAILED']).toContain(dropped.error?.code);
    expect(sentences()).toEqual(before);
    // Stopped 100 ms after the third turn's words: only the end of the audio closes its last sentence.
    const shiftMs = resumedAtMs - SECOND_PART_MS;
    await feeder.append(call.subarray(stereoBytes(SECOND_PART_MS), stereoBytes(turnC!.endMs + 100)), 5);
    const finished = await app.stopRecording(info.id);

    const after = sentences().slice(before.length);
    expectOnTurns(after, [turnC!], shiftMs);
    const all = sentences();
    for (let i = 0; i < all.length; i++) {
      expect(all[i]!.endMs!).toBeGreaterThan(all[i]!.startMs!);
      if (i > 0) expect(all[i]!.startMs!).toBeGreaterThanOrEqual(all[i - 1]!.endMs!);
    }
    // The sentence the end of the audio closed, with the full stop the server puts at the end of the input.
    expect(after.at(-1)).toMatchObject({ text: expect.stringMatching(/[。.]$/) });
    expect(after.at(-1)!.endMs).toBeGreaterThan(shiftMs + turnC!.endMs - 500);
    const rounded = all.map((s) => ({ ...s, startMs: Math.round(s.startMs!), endMs: Math.round(s.endMs!) }));
    expect(await app.getRecordingCaptions(info.id)).toEqual(rounded);

    // The recording itself lost nothing while the captions were down.
    expect(finished).toMatchObject({ error: null, durationMs: feeder.appendedMs });
    const journal = await readFile(services.recordings.get(info.id)!.path);
    expect(journal.subarray(WAV_HEADER_BYTES).equals(feeder.appended)).toBe(true);
    // What the server was told: live 2pass with 60 ms frames, PCM and the hotwords.
    const start = sim.logs.find((line) => line.includes('"mode":"2pass"'));
    expect(start).toMatch(/"chunk_size":\[5,10,5\]/);
    expect(start).toMatch(/"chunk_interval":10/);
    expect(start).toMatch(/"wav_format":"pcm"/);
    expect(start).toContain('预算');

    await services.queue.whenIdle();
    const job = services.jobs.get(finished.jobId!)!;
    expect(job.status).toBe('done');
    expect(services.meetings.get(job.meetingId!)!.segments.length).toBeGreaterThan(0);
  }, 60_000);
});
