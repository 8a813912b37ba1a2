// `funscribe record --system-audio` when the system audio dies mid-recording, against a PulseAudio daemon of its own:
// the microphone is a null source (real-time silence) and the system audio the monitor of the default output, a null
// sink. Mid-recording the monitor's stream is ended and the sink's module unloaded (FunScribe's first tries to record
// it again fail, as there is no output), then loaded again. The recording goes on: stderr says the system audio was lost and is back, the microphone
// channel is as long as the wall time, and a voice played after the monitor came back sits in the right channel as
// far after one played before the loss as it was played (silence stands for the lost part). It is then transcribed.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateConversation, MEETING_SCRIPT } from '../../fixtures/speech.js';
import type { TranscribeJson } from '../../helpers/run-cli.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { bestMatch, cutWav, envelope, readWavChannels } from './audio-compare.js';
import { startPulseDaemon, type PulseDaemon } from './pulse-daemon.js';
import { startRecord } from './record-process.js';

const run = promisify(execFile);
const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');
/** How much of a voice is played each time, in ms (from 300 ms before it starts). */
const VOICE_MS = 1200;
/** How long the sink stays unloaded, in ms: FunScribe's first try (after 500 ms) fails. */
const SINK_GONE_MS = 1200;
/** How much earlier or later than played a voice may sit relative to the other, in ms (paplay's own timing). */
const PLACE_TOLERANCE_MS = 300;
/**
 * How much later still the second voice may sit, in ms: each monitor's PulseAudio stream comes with its own latency
 * (up to about a second here), and the mixer lets the monitor lag the microphone by up to MAX_CHANNEL_LAG_SAMPLES.
 */
const MONITOR_LATENCY_MS = 1000;

describe('funscribe record --system-audio when the system audio is lost', () => {
  let pulse: PulseDaemon | null = null;
  let sim: SimProcess | null = null;
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let voiceWav: string;

  beforeAll(async () => {
    data = await makeTempDir('record-monitor-loss');
    const speech = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
    const second = speech.turns[1]!;
    voiceWav = join(data.path, 'voice.wav');
    await cutWav(speech.wavPath, second.startMs - 300, second.startMs - 300 + VOICE_MS, voiceWav);
    // No other sink: with the meeting's unloaded there is no default output, so no monitor to record.
    pulse = await startPulseDaemon(['meeting'], { alwaysSink: false });
    await pulse.pactl('load-module', 'module-null-source', 'source_name=mic');
    await pulse.pactl('load-module', 'module-cli-protocol-unix');
    sim = await startSimProcess();
  });

  afterAll(async () => {
    await sim?.stop();
    await pulse?.stop();
    await data.remove();
  });

  /** The first column of the line of `pactl list short <what>` whose column `column` is `value`. */
  const indexOf = async (what: string, column: number, value: string): Promise<string> => {
    const lines = (await pulse!.pactl('list', 'short', what)).split('\n').map((line) => line.split('\t'));
    return lines.find((fields) => fields[column] === value)![0]!;
  };

  /**
   * Ends the stream that records the meeting's monitor (pacmd; left alone, PulseAudio would move it to the
   * microphone when its sink goes) and unloads the sink, so that there is no output, and no monitor, for a while.
   */
  const loseMonitor = async (): Promise<void> => {
    const monitor = await indexOf('sources', 1, 'meeting.monitor');
    const stream = await indexOf('source-outputs', 1, monitor);
    await run('pacmd', ['kill-source-output', stream], { env: pulse!.env, timeout: 10_000 });
    const sinkModule = (await pulse!.pactl('list', 'short', 'modules'))
      .split('\n')
      .find((line) => line.includes('sink_name=meeting'))!
      .split('\t')[0]!;
    await pulse!.pactl('unload-module', sinkModule);
  };

  it('goes on with the microphone, says so, tries the monitor again and keeps the channels aligned', async () => {
    const out = join(data.path, 'recording.wav');
    const args = ['--device', 'mic', '--system-audio', '--out', out, '--server', sim!.url, '--json'];
    const spawnedAt = Date.now();
    const record = startRecord(join(data.path, 'library'), args, pulse!.env);
    await record.started;
    const startedAt = Date.now();
    await pulse!.play('meeting', voiceWav);
    // When each voice ended (paplay exits once it was heard): its start waits for paplay to connect.
    const firstEndedAt = Date.now();

    await loseMonitor();
    await expect.poll(() => record.stderr, { timeout: 8000 }).toMatch(/system audio is no longer recorded/);
    const lostAt = Date.now();
    await sleep(SINK_GONE_MS);
    await pulse!.pactl('load-module', 'module-null-sink', 'sink_name=meeting');
    await pulse!.pactl('set-default-sink', 'meeting');
    await expect.poll(() => record.stderr, { timeout: 8000 }).toMatch(/system audio is recorded again/);
    const lostMs = Date.now() - lostAt;
    expect(lostMs).toBeGreaterThan(MONITOR_LATENCY_MS + PLACE_TOLERANCE_MS);

    await sleep(300);
    await pulse!.play('meeting', voiceWav);
    const secondEndedAt = Date.now();
    await sleep(300);
    record.child.kill('SIGINT');
    const stoppedAt = Date.now();
    const { code, stdout, stderr } = await record.exited;
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(
      /^funscribe: the system audio is no longer recorded \(.+\); the microphone still is, with silence for the system audio until it is back\. Trying again\.\nfunscribe: the system audio is recorded again\.$/m,
    );
    const result = JSON.parse(stdout) as TranscribeJson;
    expect(result.errors).toEqual([]);
    expect(result.meetings[0]!.segments.length).toBeGreaterThan(0);

    // The microphone's channel runs on through the loss: at least as long as it said it recorded (it says so at its
    // first audio, which PulseAudio holds back a while), at most as long as the process ran.
    const [left, right] = await readWavChannels(out, 2);
    expect(left!.length / 16).toBeGreaterThanOrEqual(stoppedAt - startedAt);
    expect(left!.length / 16).toBeLessThanOrEqual(stoppedAt - spawnedAt);
    // Both voices in the right channel, as far apart as they were played: the lost part is silence, not skipped.
    const [voice] = await readWavChannels(voiceWav, 1);
    const voiceEnv = envelope(voice!);
    const rightEnv = envelope(right!);
    // The first voice before the loss (the recording ends at the stop), the second after it.
    const lostFrame = rightEnv.length - Math.round((stoppedAt - lostAt) / 10);
    const first = bestMatch(rightEnv.subarray(0, lostFrame), voiceEnv);
    expect(first.r).toBeGreaterThanOrEqual(0.9);
    const second = bestMatch(rightEnv.subarray(lostFrame), voiceEnv);
    expect(second.r).toBeGreaterThanOrEqual(0.9);
    const apartMs = (lostFrame + second.lag - first.lag) * 10;
    // Left out instead of filled with silence, the lost part (lostMs) would bring the second voice that much earlier.
    expect(apartMs).toBeGreaterThanOrEqual(secondEndedAt - firstEndedAt - PLACE_TOLERANCE_MS);
    expect(apartMs).toBeLessThanOrEqual(
      secondEndedAt - firstEndedAt + PLACE_TOLERANCE_MS + MONITOR_LATENCY_MS,
    );
  }, 40_000);
});
