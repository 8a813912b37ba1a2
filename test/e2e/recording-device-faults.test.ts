// A microphone unplugged mid-recording and one the app may not use, for real: Chromium runs without its fake device
// against a PulseAudio daemon of the test's own, whose only input is a virtual sound card (a null sink, and a source
// "TestMic" made from its monitor) that a known voice is played into. The record screen records from TestMic while
// the voice plays, and then it is unplugged in the two ways PulseAudio knows:
// - the microphone goes but the card's monitor stays: PulseAudio moves the recording stream to the monitor and
//   Chromium's track stays live (it does not watch PulseAudio); the app lists the inputs every second while recording
//   (input-watch.ts), on which Chromium stops the capture of the removed device and its track ends;
// - the whole card goes, so nothing is left to move the stream to: it is killed and the track ends by itself.
// Either way the recording stops with the voice kept, the screen says the microphone was disconnected, and the device
// list drops it (and lists it again once it is back). Then the microphone is blocked for the page (the stored state a
// user's "Block" leaves): getUserMedia rejects with NotAllowedError, and the screen says so with the way to the
// setting, and starts nothing.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockCorrelations,
  CORRELATION_BLOCK,
  cutWav,
  readWavChannels,
} from '../integration/recording/audio-compare.js';
import { startPulseDaemon, type PulseDaemon } from '../integration/recording/pulse-daemon.js';
import { meetingConversation, startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { expectNoSeriousA11yViolations } from './bridge/axe.js';
import { chooseLook, LOOKS, screenshotScreen } from './bridge/look.js';
import type { AppPage } from './bridge/page-fixture.js';
import { journalSamples, openRecordOnly, recordingRows, startRecordingAt } from './bridge/recordings.js';

/** The virtual sound card's sink; its monitor is what the microphone hears. */
const CARD = 'usb_card';
/** The microphone's name as PulseAudio describes it and Chromium labels it. */
const MICROPHONE = 'TestMic';
/** How much of the first voice is played into the card, in ms. */
const VOICE_MS = 2000;
/** The longest the app takes to notice a microphone that PulseAudio replaced: a listing every two seconds, and some. */
const NOTICED_WITHIN_MS = 2500;

/** When a recording was unplugged, in ms after it started (page clock): as the unplug began, and once it was done. */
interface Unplugged {
  startedMs: number;
  unpluggedMs: number;
}

/** Plugs in the virtual card (no input yet but its monitor); resolves to its module. */
const plugCard = (pulse: PulseDaemon): Promise<string> =>
  pulse.pactl('load-module', 'module-null-sink', `sink_name=${CARD}`);

/** Plugs in the microphone made from the card's monitor; resolves to its module. */
const plugMicrophone = (pulse: PulseDaemon): Promise<string> =>
  pulse.pactl(
    'load-module',
    'module-remap-source',
    `master=${CARD}.monitor`,
    'source_name=test_mic',
    `source_properties=device.description=${MICROPHONE}`,
  );

/** Blocks the microphone for the page's origin, as a user's "Block" does (Chromium's stored permission, not a prompt). */
async function blockMicrophone(page: Page): Promise<void> {
  const target = await page.context().newCDPSession(page);
  const { targetInfo } = await target.send('Target.getTargetInfo');
  const browser = await page.context().browser()!.newBrowserCDPSession();
  await browser.send('Browser.setPermission', {
    permission: { name: 'microphone' },
    setting: 'denied',
    origin: new URL(page.url()).origin,
    browserContextId: targetInfo.browserContextId,
  });
}

describe('an unplugged and a blocked microphone, through PulseAudio', () => {
  let pulse: PulseDaemon;
  let fixture: AppFixture;
  let app: AppPage;
  let page: Page;
  let card: string;
  let microphone: string;
  let voicePath: string;
  /** The voice with half a second of silence before and after, to find the recording's blocks in. */
  let reference: Int16Array;

  beforeAll(async () => {
    const speech = await meetingConversation();
    const [first] = speech.turns;
    // No other sink: module-always-sink would add one (whose monitor PulseAudio could move a stream to) as the card goes.
    pulse = await startPulseDaemon([], { alwaysSink: false });
    card = await plugCard(pulse);
    microphone = await plugMicrophone(pulse);
    fixture = await startAppFixture('e2e-recording-device-faults');
    voicePath = join(fixture.data.path, 'voice.wav');
    await cutWav(speech.wavPath, first!.startMs - 200, first!.startMs - 200 + VOICE_MS, voicePath);
    const [voice] = (await readWavChannels(voicePath, 1)) as [Int16Array];
    reference = new Int16Array(voice.length + 2 * CORRELATION_BLOCK);
    reference.set(voice, CORRELATION_BLOCK);
    app = await fixture.open({ env: pulse.env });
    page = app.page;
    await page.context().grantPermissions(['microphone']);
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
    await openRecordOnly(page);
  });

  afterAll(async () => {
    await fixture?.close();
    await pulse?.stop();
  });

  const record = (): Locator => page.getByRole('main');
  const microphones = (): Locator => record().getByRole('combobox', { name: 'Microphone' });
  /** Opens the microphone list and chooses TestMic in it. */
  const chooseMicrophone = async (): Promise<void> => {
    await microphones().click();
    await page.getByRole('option', { name: MICROPHONE }).click();
    await microphones().getByText(MICROPHONE, { exact: true }).waitFor();
  };
  /**
   * Records the voice from TestMic and unplugs with `unplug`; resolves, once the screen says the microphone was
   * disconnected and the recording is saved, to the ms of audio kept and how long the recording ran until the unplug.
   */
  const recordAndUnplug = async (unplug: () => Promise<unknown>): Promise<[number, Unplugged]> => {
    const before = recordingRows(fixture.data.path).length;
    const startedAt = await startRecordingAt(page);
    await pulse.play(CARD, voicePath);
    const now = (): Promise<number> => page.evaluate(() => performance.now());
    const unplugStartedAt = await now();
    await unplug();
    const unpluggedAt = await now();
    await record()
      .getByRole('alert')
      .getByText(/^The microphone was disconnected; the .+ recorded are kept\.$/)
      .waitFor();
    await record()
      .getByRole('region', { name: /^Saved, not transcribed/ })
      .waitFor();
    const rows = recordingRows(fixture.data.path);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ status: 'finished', error_code: null });
    const kept = await journalSamples(fixture.data.path, rows.at(-1)!.id);
    const keptMs = kept.length / 16;
    const ran = { startedMs: unplugStartedAt - startedAt, unpluggedMs: unpluggedAt - startedAt };
    console.info(
      `kept ${keptMs.toFixed(0)} ms of a recording unplugged ${ran.startedMs.toFixed(0)}–` +
        `${ran.unpluggedMs.toFixed(0)} ms after it started`,
    );
    // The voice is in what was kept: at least half of its loud half seconds match it (a block can hold a gap).
    const rs = blockCorrelations(kept, reference).sort((x, y) => x - y);
    expect(rs.length, `r of the loud blocks: ${rs.join(' ')}`).toBeGreaterThanOrEqual(3);
    expect(rs[Math.floor(rs.length / 2)], `r of the loud blocks: ${rs.join(' ')}`).toBeGreaterThanOrEqual(
      0.9,
    );
    return [keptMs, ran];
  };

  it('stops when the microphone goes while PulseAudio moves the recording to another input', async () => {
    await chooseMicrophone();
    const [keptMs, ran] = await recordAndUnplug(() => pulse.pactl('unload-module', microphone));
    expect(keptMs).toBeGreaterThan(ran.startedMs * 0.9);
    expect(keptMs).toBeLessThan(ran.unpluggedMs + NOTICED_WITHIN_MS);
    // The listing that ended the track fired devicechange: the list no longer has the microphone.
    await microphones().getByText('System default', { exact: true }).waitFor();
  });

  it('stops with what was recorded when the whole card is unplugged, and lists the microphone as it comes and goes', async () => {
    microphone = await plugMicrophone(pulse);
    // The list is read again as it opens: the microphone is back.
    await chooseMicrophone();
    const [keptMs, ran] = await recordAndUnplug(() => pulse.pactl('unload-module', card));
    expect(keptMs).toBeGreaterThan(ran.startedMs * 0.9);
    expect(keptMs).toBeLessThan(ran.unpluggedMs * 1.1);
    await microphones().getByText('System default', { exact: true }).waitFor();
    await expectNoSeriousA11yViolations(page, 'the record screen after the microphone was unplugged');
    for (const look of LOOKS) {
      await chooseLook(page, look);
      await screenshotScreen(page, 'record-device-lost', look);
    }
    await chooseLook(page, LOOKS[0]!);
  });

  it('shows the way to the setting and starts nothing when the microphone is blocked', async () => {
    card = await plugCard(pulse);
    microphone = await plugMicrophone(pulse);
    await chooseMicrophone();
    await blockMicrophone(page);
    await record().getByRole('button', { name: 'Start recording' }).click();
    const notice = record().getByRole('alert');
    await notice.getByText('FunScribe is not allowed to use the microphone.').waitFor();
    await notice
      .getByText("Allow microphone access in your system's privacy or sound settings, then start again.")
      .waitFor();
    await record().getByRole('button', { name: 'Start recording' }).waitFor();
    expect(recordingRows(fixture.data.path)).toHaveLength(2);
    await expectNoSeriousA11yViolations(page, 'the record screen with the microphone blocked');
    for (const look of LOOKS) {
      await chooseLook(page, look);
      await screenshotScreen(page, 'record-permission-denied', look);
    }
    await chooseLook(page, LOOKS[0]!);
    expect(app.consoleErrors).toEqual([]);
  });
});
