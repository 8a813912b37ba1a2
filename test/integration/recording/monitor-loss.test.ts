// The system audio of an app recording on Linux dies mid-recording: a PulseAudio daemon of the test's own plays into
// its default output while the microphone's chunks are appended in real time through the application service. The
// monitor's ffmpeg is killed while PulseAudio cannot be reached (PULSE_SERVER names a socket nobody serves), so main's
// first tries to record it again fail; then PulseAudio is back. The recording never stops: the journal is as long as
// the microphone sent and as the wall time, 'lost' (with why) and then 'restored' are told, the right channel's
// level is told at most ten times a second and moves while something plays, and a voice played after the monitor
// came back sits in the right channel where it was played. Lost again, the recording stops while main tries to bring
// the monitor back, and no ffmpeg is left.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppService } from '../../../src-main/application/app-service.js';
import type { EmitEvent } from '../../../src-main/application/events.js';
import type { ApiEventMap } from '../../../src-shared/contract.js';
import { generateConversation, MEETING_SCRIPT } from '../../fixtures/speech.js';
import { bestMatch, cutWav, envelope, readWavChannels } from './audio-compare.js';
import { SAMPLES_PER_CHUNK } from './call-audio.js';
import { ffmpegChildren, MEETING_SINK, startMonitorLibrary, type MonitorLibrary } from './monitor-library.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');
/** How long PulseAudio stays out of reach after the monitor's ffmpeg is killed, in ms (main's first tries fail). */
const UNREACHABLE_MS = 800;
/** How long after the second loss the recording is stopped, in ms: main's first try (after 500 ms) is under way. */
const RETRY_IN_FLIGHT_MS = 700;
/** How much of a voice is played each time, in ms (from 300 ms before it starts). */
const VOICE_MS = 1200;
/** How far the played voice may sit from where it was played in the right channel, in ms. */
const PLACE_TOLERANCE_MS = 300;

/** Kills the monitor's ffmpeg while PulseAudio cannot be reached (until PULSE_SERVER is deleted again). */
async function loseMonitor(dataDir: string): Promise<void> {
  const [monitor] = await ffmpegChildren();
  process.env.PULSE_SERVER = `unix:${join(dataDir, 'no-pulseaudio', 'native')}`;
  process.kill(monitor!.pid, 'SIGKILL');
}

type SystemAudioChange = ApiEventMap['recording:system-audio'];
type SystemAudioLevel = ApiEventMap['recording:system-audio-level'];

/** Appends 100 ms chunks of microphone silence on the wall clock (chunk n once its 100 ms have passed) until stopped. */
class RealTimeMicrophone {
  private stopped = false;
  private chunks = 0;
  readonly done: Promise<void>;

  constructor(app: Pick<AppService, 'appendRecording'>, recordingId: string) {
    const startedAt = Date.now();
    const chunk = new Uint8Array(SAMPLES_PER_CHUNK * 2);
    this.done = (async () => {
      while (!this.stopped) {
        const due = startedAt + (this.chunks + 1) * 100;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
        await app.appendRecording(recordingId, this.chunks, chunk);
        this.chunks += 1;
      }
    })();
  }

  /** The samples appended so far. */
  get samples(): number {
    return this.chunks * SAMPLES_PER_CHUNK;
  }

  /** Stops after the chunk being appended; resolves once it is. */
  stop(): Promise<void> {
    this.stopped = true;
    return this.done;
  }
}

let library: MonitorLibrary;
let playedWav: string;
const changes: SystemAudioChange[] = [];
const levels: SystemAudioLevel[] = [];

beforeAll(async () => {
  const emit: EmitEvent = (event, payload) => {
    if (event === 'recording:system-audio') changes.push(payload as SystemAudioChange);
    if (event === 'recording:system-audio-level') levels.push(payload as SystemAudioLevel);
  };
  library = await startMonitorLibrary('monitor-loss', emit);
  await mkdir(GENERATED, { recursive: true });
  const speech = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  const second = speech.turns[1]!;
  playedWav = join(library.data.path, 'played.wav');
  await cutWav(speech.wavPath, second.startMs - 300, second.startMs - 300 + VOICE_MS, playedWav);
}, 60_000);

afterAll(() => library?.close());

describe('system audio lost mid-recording', () => {
  it('goes on, tells lost and restored, brings the monitor back in place, tells its level, stops while it tries', async () => {
    const { app, data, pulse, services } = library;
    const info = await app.startRecording({ channels: 2, captions: false, transcribe: false });
    const startedAt = Date.now();
    const microphone = new RealTimeMicrophone(app, info.id);
    await pulse.play(MEETING_SINK, playedWav);
    // The microphone is silent: a level above zero is the played voice in the right channel.
    expect(levels.some((level) => level.recordingId === info.id && level.level > 0.1)).toBe(true);

    await loseMonitor(data.path);
    await expect.poll(() => changes.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, UNREACHABLE_MS));
    delete process.env.PULSE_SERVER;
    await expect.poll(() => changes.length, { timeout: 8000 }).toBe(2);
    expect(changes).toEqual([
      { recordingId: info.id, state: 'lost', reason: expect.stringMatching(/\S/) },
      { recordingId: info.id, state: 'restored', reason: null },
    ]);
    expect(await ffmpegChildren()).toHaveLength(1);

    // Played once the monitor is back: at that moment of the recording (the microphone's time), in the right channel.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const playedAtMs = Date.now() - startedAt;
    await pulse.play(MEETING_SINK, playedWav);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Lost again, and stopped while main tries to bring it back: the try is given up, no ffmpeg is left.
    await loseMonitor(data.path);
    await expect.poll(() => changes.length).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, RETRY_IN_FLIGHT_MS));
    await microphone.stop();
    const wallMs = Date.now() - startedAt;
    const finished = await app.stopRecording(info.id);
    expect(finished.error).toBeNull();
    expect(await ffmpegChildren()).toEqual([]);
    expect(changes.map((change) => change.state)).toEqual(['lost', 'restored', 'lost']);

    const [left, right] = await readWavChannels(services.recordings.get(info.id)!.path, 2);
    expect(left!.length).toBe(microphone.samples);
    expect(Math.abs(left!.length / 16 - wallMs) / wallMs).toBeLessThan(0.01);
    const [played] = await readWavChannels(playedWav, 1);
    const after = Math.round(playedAtMs * 16) - PLACE_TOLERANCE_MS * 16;
    const found = bestMatch(envelope(right!.subarray(after)), envelope(played!));
    expect(found.r).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(found.lag * 10 - PLACE_TOLERANCE_MS)).toBeLessThanOrEqual(PLACE_TOLERANCE_MS);

    // At most ten a second, for this recording only.
    const told = levels.filter((level) => level.recordingId === info.id);
    expect(told).toHaveLength(levels.length);
    expect(told.length).toBeLessThanOrEqual(wallMs / 100 + 1);
    expect(told.length).toBeGreaterThan(wallMs / 200);
  }, 30_000);
});
