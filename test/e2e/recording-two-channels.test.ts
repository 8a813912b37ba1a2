// A two-channel recording from the page on Linux: "Also record the computer's sound" is switched on, the page sends
// Chromium's fake microphone (one voice) and main records the system audio from a PulseAudio monitor of the test's own
// while another voice is played into its null sink. The journal holds the microphone left and the played file right
// (not the other way round), and the meeting the stand-in transcribes has one speaker per channel: the microphone's
// words are one speaker ("me"), the played words the other ("them"). While recording, the second meter moves with
// the level main tells of the system audio, and the line for a lost and restored system audio shows under the meters.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bestMatch,
  blockCorrelations,
  cutWav,
  envelope,
  readWavChannels,
} from '../integration/recording/audio-compare.js';
import { startPulseDaemon, type PulseDaemon } from '../integration/recording/pulse-daemon.js';
import { meetingConversation, startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { expectNoSeriousA11yViolations } from './bridge/axe.js';
import { chooseLook, LOOKS, screenshotScreen } from './bridge/look.js';
import type { AppPage } from './bridge/page-fixture.js';

const run = promisify(execFile);

/** How much of each voice is used, in ms (from 300 ms before it starts). */
const VOICE_MS = 1800;
/**
 * The fake microphone's file: its voice, then silence, in s. Chromium loops it from wherever it is when the page opens
 * it, so the computer's voice is played in the microphone's silence, found from its meter (see `microphoneVoiceJustOver`).
 */
const MICROPHONE_LOOP_S = 6;
/** How long main's system audio may come after the microphone's, in ms: what comes later is left out at the stop. */
const MONITOR_LAG_MS = 1000;
/** How long the microphone's meter must move to count as its voice, then stay at zero to count as silence, in ms. */
const QUIET_MS = 500;

/** The span in ms, [start, end), of a source found in a channel at `lag` 10 ms envelope frames. */
const spanOf = (lag: number, source: Int16Array): [number, number] => [
  lag * 10,
  lag * 10 + source.length / 16,
];

/** The RMS level of a 16 kHz channel within [start, end) ms. */
function rms(samples: Int16Array, [start, end]: [number, number]): number {
  const part = samples.subarray(start * 16, end * 16);
  return Math.sqrt(part.reduce((sum, v) => sum + v * v, 0) / part.length);
}

describe('a two-channel recording from the page: the microphone and the computer', () => {
  let pulse: PulseDaemon;
  let fixture: AppFixture;
  let app: AppPage;
  let page: Page;
  let microphoneLoop: Int16Array;
  let playedVoice: Int16Array;
  let playedWav: string;
  const savedEnv = { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR, HOME: process.env.HOME };

  beforeAll(async () => {
    const speech = await meetingConversation();
    const [first, second] = speech.turns;
    pulse = await startPulseDaemon(['meeting']);
    // main's ffmpeg reaches this test's daemon (its default output 'meeting', whose monitor is the default monitor).
    Object.assign(process.env, { XDG_RUNTIME_DIR: pulse.env.XDG_RUNTIME_DIR, HOME: pulse.env.HOME });
    fixture = await startAppFixture('e2e-recording-two-channels', {
      standIn: { language: 'en', remoteConcurrency: 1 },
      systemAudioFromMonitor: true,
    });
    const microphoneWav = join(fixture.data.path, 'microphone-voice.wav');
    const fakeMicrophone = join(fixture.data.path, 'fake-microphone.wav');
    playedWav = join(fixture.data.path, 'played-voice.wav');
    await Promise.all([
      cutWav(speech.wavPath, first!.startMs - 300, first!.startMs - 300 + VOICE_MS, microphoneWav),
      cutWav(speech.wavPath, second!.startMs - 300, second!.startMs - 300 + VOICE_MS, playedWav),
    ]);
    await run('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-i', microphoneWav],
      ...['-af', `apad=whole_dur=${MICROPHONE_LOOP_S}`, '-c:a', 'pcm_s16le', fakeMicrophone],
    ]);
    [microphoneLoop] = (await readWavChannels(fakeMicrophone, 1)) as [Int16Array];
    [playedVoice] = (await readWavChannels(playedWav, 1)) as [Int16Array];
    app = await fixture.open({
      chromiumArgs: [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-audio-capture=${fakeMicrophone}`,
      ],
    });
    page = app.page;
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
  });

  afterAll(async () => {
    await fixture?.close();
    Object.assign(process.env, savedEnv);
    await pulse?.stop();
  });

  const record = (): Locator => page.getByRole('main');
  /**
   * Follows the microphone's meter (the first) in the page from now on: when its last sound began and when it was
   * last heard (pauses shorter than QUIET_MS are inside one sound).
   */
  const followMicrophoneMeter = (): Promise<void> =>
    page.evaluate((quietMs) => {
      const watch = { soundStart: -Infinity, lastLoud: -Infinity };
      Object.assign(window, { microphoneWatch: watch });
      setInterval(() => {
        const now = performance.now();
        if (!(Number(document.querySelector('main [role="meter"]')?.getAttribute('aria-valuenow')) > 0))
          return;
        if (now - watch.lastLoud >= quietMs) watch.soundStart = now;
        watch.lastLoud = now;
      }, 50);
    }, QUIET_MS);
  /**
   * Resolves in the microphone's silence just after its voice: a sound of at least QUIET_MS, then silence for QUIET_MS
   * (and not much longer, so the rest of the silence holds the computer's voice).
   */
  const microphoneVoiceJustOver = (): Promise<unknown> =>
    page.waitForFunction(
      (quietMs) => {
        const { microphoneWatch: watch } = window as unknown as {
          microphoneWatch: { soundStart: number; lastLoud: number };
        };
        const quiet = performance.now() - watch.lastLoud;
        return watch.lastLoud - watch.soundStart >= quietMs && quiet >= quietMs && quiet < 2 * quietMs;
      },
      QUIET_MS,
      { polling: 50, timeout: 15_000 },
    );
  /** The fake microphone's file twice in a row, as Chromium loops it. */
  const looped = (): Int16Array => {
    const out = new Int16Array(microphoneLoop.length * 2);
    out.set(microphoneLoop);
    out.set(microphoneLoop, microphoneLoop.length);
    return out;
  };

  /**
   * main tells that it lost the system audio and then that it is back (as a dead monitor's ffmpeg makes it, see
   * test/integration/recording/monitor-loss.test.ts): the line under the meters says so, in every look.
   */
  const systemAudioLostAndBack = async (): Promise<void> => {
    const [active] = fixture.services.recordings.inProgress();
    const change = { recordingId: active!.recording.id, reason: null };
    app.emit('recording:system-audio', { ...change, state: 'lost', reason: 'Connection terminated' });
    const line = record().getByRole('status').filter({ hasText: "The computer's sound" });
    await line.getByText(/is no longer being recorded; your microphone still is/).waitFor();
    await line.getByText('Reason: Connection terminated').waitFor();
    await expectNoSeriousA11yViolations(page, 'the record screen, the system audio lost');
    for (const look of LOOKS) {
      await chooseLook(page, look);
      await screenshotScreen(page, 'record-system-audio-lost', look);
    }
    await chooseLook(page, LOOKS[0]!);
    app.emit('recording:system-audio', { ...change, state: 'restored' });
    await line.getByText(/is being recorded again/).waitFor();
    expect(await line.getByText(/^Reason/).count()).toBe(0);
  };

  it('records the microphone left and the played file right, and the meeting has one speaker per channel', async () => {
    await page.keyboard.press('r');
    const systemAudio = record().getByRole('switch', { name: "Also record the computer's sound" });
    await systemAudio.click();
    expect(await systemAudio.getAttribute('aria-checked')).toBe('true');
    const captions = record().getByRole('switch', { name: 'Live captions' });
    if ((await captions.getAttribute('aria-checked')) === 'true') await captions.click();
    await record().getByRole('radio', { name: 'Transcribe', exact: true }).click();

    await followMicrophoneMeter();
    await record().getByRole('button', { name: 'Start recording' }).click();
    await record().locator('#record-status').getByText('Recording', { exact: true }).waitFor();
    // The computer's voice follows the microphone's, in its silence; the screen is checked and photographed
    // meanwhile, and the line for a lost and restored system audio too (neither waits for the other: the voices come
    // at the pace of the microphone's loop).
    const voices = microphoneVoiceJustOver().then(async () => {
      const playing = pulse.play('meeting', playedWav);
      // The second meter ("Them") moves with the level main tells of the system audio it records.
      await page.waitForFunction(
        () => Number(document.querySelectorAll('main [role="meter"]')[1]?.getAttribute('aria-valuenow')) > 0,
      );
      await playing;
    });
    await expectNoSeriousA11yViolations(page, 'the record screen, recording two channels');
    for (const look of LOOKS) {
      await chooseLook(page, look);
      await screenshotScreen(page, 'record-two-channels', look);
    }
    await chooseLook(page, LOOKS[0]!);
    await systemAudioLostAndBack();
    await voices;
    // main's system audio comes through ffmpeg a little later than the page's microphone.
    await page.waitForTimeout(MONITOR_LAG_MS);
    await record().getByRole('button', { name: 'Stop recording' }).click();

    const saved = record().getByRole('region', { name: /^Saved/ });
    await saved.getByText(/^(Waiting to be transcribed|Being transcribed|Transcribed)$/).waitFor();
    // The recording's job transcribes its journal.
    const [job] = fixture.services.jobs.list();
    const [left, right] = await readWavChannels(job!.file, 2);
    const played = bestMatch(envelope(right!), envelope(playedVoice));
    expect(played.r).toBeGreaterThanOrEqual(0.9);
    const them = spanOf(played.lag, playedVoice);
    const before: [number, number] = [0, them[0]];
    // The left is the microphone's file waveform for waveform, half a second at a time (at least half of its loud
    // half seconds: under load, Chromium's fake device skips or repeats a few ms now and then).
    const rs = blockCorrelations(left!, looped()).sort((x, y) => x - y);
    expect(rs.length).toBeGreaterThanOrEqual(2);
    expect(rs[Math.floor(rs.length / 2)], rs.join(' ')).toBeGreaterThanOrEqual(0.9);
    // Not the other way round, nor on both sides: each channel is all but silent while the other's voice is heard.
    expect(rms(left!, them)).toBeLessThan(rms(right!, them) / 20);
    expect(rms(right!, before)).toBeLessThan(rms(left!, before) / 20);

    await saved.getByRole('button', { name: 'Open the meeting' }).click({ timeout: 15_000 });
    await page
      .getByRole('heading', { name: /^Recording / })
      .first()
      .waitFor();
    await page.getByText('One speaker per stereo channel.').waitFor();
    const [summary] = fixture.services.meetings.list();
    const meeting = fixture.services.meetings.get(summary!.id)!;
    expect(meeting.speakerLabelling?.mode).toBe('channels');
    expect(meeting.speakers).toHaveLength(2);
    /** The speakers of the sentences that overlap [from, to) ms. */
    const speakersWithin = ([from, to]: [number, number]): (number | null)[] => [
      ...new Set(
        meeting.segments
          .filter((segment) => segment.startMs < to && segment.endMs > from)
          .map((segment) => segment.speakerId),
      ),
    ];
    const mine = speakersWithin(before);
    const theirs = speakersWithin(them);
    expect(mine).toHaveLength(1);
    expect(theirs).toHaveLength(1);
    expect(mine[0]).not.toBe(theirs[0]);
    for (const look of LOOKS) {
      await chooseLook(page, look);
      await screenshotScreen(page, 'meeting-two-channels', look);
    }
    await chooseLook(page, LOOKS[0]!);
    expect(app.consoleErrors).toEqual([]);
  });
});
