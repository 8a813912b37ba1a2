// A two-channel recording from the app on Linux, where main records the system audio itself: a PulseAudio daemon of
// the test's own plays a known file into its default output while the microphone's chunks (another known signal) are
// appended through the application service as the page sends them. The journal holds the microphone left and what
// was played right, as long as the microphone sent, and no ffmpeg outlives the recording. Without a PulseAudio the
// start fails with RECORDING_INPUT_FAILED and leaves no recording behind.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAV_HEADER_BYTES } from '../../../src-main/recording/wav-journal.js';
import { generateConversation, MEETING_SCRIPT } from '../../fixtures/speech.js';
import { bestMatch, cutWav, envelope, readWavChannels } from './audio-compare.js';
import { captionEvents, ChunkFeeder } from './call-audio.js';
import { ffmpegChildren, MEETING_SINK, startMonitorLibrary, type MonitorLibrary } from './monitor-library.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');
/** The microphone goes on this long after the played file, in ms, so the whole file falls inside the recording. */
const MICROPHONE_TAIL_MS = 1500;

/** The samples of a 16 kHz mono s16le WAV. */
async function wavSamples(path: string): Promise<Int16Array> {
  const bytes = await readFile(path);
  return new Int16Array(
    bytes.buffer.slice(bytes.byteOffset + WAV_HEADER_BYTES, bytes.byteOffset + bytes.length),
  );
}

let library: MonitorLibrary;
let systemWav: string;
let microphone: Int16Array;

beforeAll(async () => {
  library = await startMonitorLibrary('monitor-recording', captionEvents().emit);
  const { data } = library;
  await mkdir(GENERATED, { recursive: true });
  const speech = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  const [first, second] = speech.turns;
  const microphoneWav = join(data.path, 'microphone.wav');
  systemWav = join(data.path, 'system.wav');
  await cutWav(speech.wavPath, first!.startMs - 300, first!.endMs + 300, microphoneWav);
  await cutWav(speech.wavPath, second!.startMs - 300, second!.endMs + 300, systemWav);
  const voice = await wavSamples(microphoneWav);
  const played = (await wavSamples(systemWav)).length;
  // As long as the played file and a tail, in whole 100 ms chunks: the voice, then silence.
  microphone = new Int16Array(Math.ceil((played + MICROPHONE_TAIL_MS * 16) / 1600) * 1600);
  microphone.set(voice.subarray(0, microphone.length));
}, 60_000);

afterAll(() => library?.close());

describe('system audio from the PulseAudio monitor', () => {
  it('records the microphone left and the played file right, as long as the microphone, and stops ffmpeg', async () => {
    const { app, pulse, services } = library;
    expect(await app.requestRecordingAccess(true)).toEqual({ systemAudioInMain: true });
    const info = await app.startRecording({ channels: 2, captions: false, transcribe: false });
    expect(info.channels).toBe(2);
    expect(await ffmpegChildren()).toHaveLength(1);
    const playing = pulse.play(MEETING_SINK, systemWav);
    // The page's microphone: one channel, 100 ms chunks about as fast as they are captured.
    const feeder = new ChunkFeeder(app, info.id, 1);
    await feeder.append(Buffer.from(microphone.buffer), 100);
    await playing;
    const finished = await app.stopRecording(info.id);
    expect(finished.error).toBeNull();
    expect(await ffmpegChildren()).toEqual([]);

    const [left, right] = await readWavChannels(services.recordings.get(info.id)!.path, 2);
    expect(Math.abs(left!.length - microphone.length) / microphone.length).toBeLessThan(0.01);
    expect(Math.abs(finished.durationMs - microphone.length / 16) / (microphone.length / 16)).toBeLessThan(
      0.01,
    );
    expect(bestMatch(envelope(left!), envelope(microphone)).r).toBeGreaterThanOrEqual(0.9);
    const played = envelope(await wavSamples(systemWav));
    expect(bestMatch(envelope(right!), played).r).toBeGreaterThanOrEqual(0.9);
    // The microphone's voice is not on the right, nor the played file on the left.
    expect(bestMatch(envelope(left!), played).r).toBeLessThan(0.5);
  }, 30_000);

  it('fails the start with RECORDING_INPUT_FAILED and keeps no recording when there is no monitor', async () => {
    const { app, data, services } = library;
    const before = services.recordings.inProgress().length;
    process.env.PULSE_SERVER = `unix:${join(data.path, 'no-pulseaudio', 'native')}`;
    try {
      await expect(
        app.startRecording({ channels: 2, captions: false, transcribe: false }),
      ).rejects.toMatchObject({
        code: 'RECORDING_INPUT_FAILED',
        params: { reason: 'monitor' },
        message: expect.stringContaining('@DEFAULT_MONITOR@'),
      });
    } finally {
      delete process.env.PULSE_SERVER;
    }
    expect(services.recordings.inProgress()).toHaveLength(before);
    expect(await ffmpegChildren()).toEqual([]);
  }, 15_000);
});
