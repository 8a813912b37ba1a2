// The record screen in Chromium with its fake microphone playing speech, against the real services: R opens it; with
// no engine, a record-only recording shows the recording sign (also in the top bar on another screen), the time
// growing, a moving level meter and why live captions are off, pauses and resumes, and stops as "Saved, not
// transcribed". Then the 2pass stand-in becomes the engine: a second recording shows its live captions (sentences,
// and the provisional text in grey), is transcribed when it stops and opens as a meeting, while the first waits in
// the list and is transcribed from there. The choices made on the screen are found as made after the page starts
// again, and in Chinese a recording is titled in Chinese. axe on the idle and recording screens; screenshots of them
// in English and Chinese, light and dark, and at 720×480.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimServer, type SimServer } from '../funasr-sim/server.js';
import { meetingConversation, startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { expectNoSeriousA11yViolations } from './bridge/axe.js';
import { chooseLook, LOOKS, screenshotScreen } from './bridge/look.js';
import type { AppPage } from './bridge/page-fixture.js';

/** Chromium's stand-in microphone playing `file` (looped), and no permission prompt. */
const fakeMicrophone = (file: string): string[] => [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  `--use-file-for-fake-audio-capture=${file}`,
];

describe('the record screen in Chromium', () => {
  let fixture: AppFixture;
  let twoPass: SimServer;
  let app: AppPage;
  let page: Page;

  beforeAll(async () => {
    const speech = await meetingConversation();
    twoPass = await startSimServer({ protocol: '2pass', port: 0, log: () => undefined });
    fixture = await startAppFixture('e2e-record-screen');
    app = await fixture.open({ chromiumArgs: fakeMicrophone(speech.wavPath) });
    page = app.page;
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
  });

  afterAll(async () => {
    await fixture?.close();
    await twoPass?.close();
  });

  const record = (): Locator => page.getByRole('main');
  const timer = (): Locator => record().getByRole('timer');
  const status = (): Locator => record().locator('#record-status');
  const captions = (): Locator => record().getByRole('region', { name: 'Live captions' });
  const jobState = /^(Waiting to be transcribed|Being transcribed|Transcribed)$/;
  /** The seconds of the first clock in a text (0:42; minutes and seconds are enough here). */
  const secondsIn = (text: string | null): number => {
    const [, minutes = 'NaN', seconds = 'NaN'] = /(\d+):(\d\d)/.exec(text ?? '') ?? [];
    return Number(minutes) * 60 + Number(seconds);
  };
  const clockSeconds = async (): Promise<number> => secondsIn(await timer().textContent());
  /** Waits until the recorded time has reached `seconds` (it grows with the audio that arrived). */
  const recordedAtLeast = (seconds: number): Promise<void> =>
    expect.poll(clockSeconds, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(seconds);
  const processing = (): Locator => record().getByRole('button', { name: /^Audio processing/ });
  /** Opens the audio processing and checks that it is all off. */
  const expectRawAudio = async (): Promise<void> => {
    await processing().click();
    for (const name of ['Echo cancellation', 'Noise suppression', 'Automatic gain'])
      expect(await record().getByRole('switch', { name }).getAttribute('aria-checked')).toBe('false');
  };
  const screenshotLooks = async (screen: string): Promise<void> => {
    for (const look of LOOKS) {
      await chooseLook(page, look);
      await screenshotScreen(page, screen, look);
    }
    await chooseLook(page, LOOKS[0]!);
  };
  const screenshotSmall = async (screen: string): Promise<void> => {
    await page.setViewportSize({ width: 720, height: 480 });
    await screenshotScreen(page, `${screen}-720x480`, LOOKS[0]!);
    await page.setViewportSize({ width: 1280, height: 800 });
  };

  it('records only with no engine: sign, time, levels, why no captions, pause and resume, the top bar sign, saved', async () => {
    await page.keyboard.press('r');
    await record().getByRole('heading', { name: 'Record', exact: true }).waitFor();
    expect(await record().getAttribute('aria-label')).toBe('Record');
    await expectRawAudio();
    await record().getByRole('radio', { name: 'Record only, transcribe later' }).click();

    await record().getByRole('button', { name: 'Start recording' }).click();
    await status().getByText('Recording', { exact: true }).waitFor();
    // The keyboard goes on from Pause (Start is gone), and from the saved card once stopped.
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Pause');
    // Never without a visible sign: the top bar's sign names the recording and its time.
    await page
      .getByRole('banner')
      .getByRole('button', { name: /^Recording \d+:\d\d: show the recording$/ })
      .waitFor();
    await recordedAtLeast(2);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[role="meter"]')].some(
        (meter) => Number(meter.getAttribute('aria-valuenow')) > 0,
      ),
    );
    expect(await record().getByRole('meter').count()).toBe(1);
    await captions()
      .getByText(/live-caption \(2pass\)/)
      .waitFor();
    await screenshotScreen(page, 'record-no-captions', LOOKS[0]!);

    await record().getByRole('button', { name: 'Pause' }).click();
    await status().getByText('Paused', { exact: true }).waitFor();
    const pausedAt = await clockSeconds();
    await page.waitForTimeout(1_300);
    expect(await clockSeconds()).toBe(pausedAt);
    await record().getByRole('button', { name: 'Resume' }).click();
    await status().getByText('Recording', { exact: true }).waitFor();
    await recordedAtLeast(pausedAt + 1);

    // Engine settings leads to the engine's section; the recording goes on and its sign in the top bar leads back.
    await captions().getByRole('button', { name: 'Engine settings' }).click();
    await page.getByRole('tab', { name: 'Engine', selected: true }).waitFor();
    await page
      .getByRole('banner')
      .getByRole('button', { name: /^Recording \d+:\d\d/ })
      .click();
    const recorded = await clockSeconds();
    await record().getByRole('button', { name: 'Stop recording' }).click();

    const saved = record().getByRole('region', { name: /^Saved, not transcribed/ });
    await saved.getByRole('button', { name: 'Transcribe' }).waitFor();
    expect(await saved.evaluate((card) => card === document.activeElement)).toBe(true);
    const savedLength = secondsIn(await saved.textContent());
    expect(savedLength - recorded).toBeGreaterThanOrEqual(0);
    expect(savedLength - recorded).toBeLessThanOrEqual(1);
    await page.getByRole('banner').getByRole('button', { name: 'Record' }).waitFor();
  });

  it('shows live captions from a 2pass server, transcribes when stopped, and transcribes one waiting', async () => {
    fixture.services.updateSettings({
      engineMode: 'remote',
      remoteEngines: [{ url: twoPass.url, concurrency: 1 }],
    });
    await record().getByRole('radio', { name: 'Transcribe', exact: true }).click();
    // The devices have names once the microphone was allowed, and one of them can be chosen.
    const device = record().getByRole('combobox', { name: 'Microphone' });
    await device.click();
    const options = page.getByRole('option');
    const names = (await options.allTextContents()).map((name) => name.trim());
    expect(names[0]).toBe('System default');
    expect(names.length).toBeGreaterThan(1);
    expect(names.slice(1).every((name) => name.startsWith('Fake Audio Input'))).toBe(true);
    await screenshotScreen(page, 'record-devices', LOOKS[0]!);
    await options.nth(1).click();
    expect((await device.textContent())?.trim()).toBe(names[1]);
    await record().getByRole('button', { name: 'Start recording' }).click();
    // Closed sentences, then the sentence being spoken in grey after them (it comes and goes as sentences close).
    await page.waitForFunction(
      () => {
        const lines = [...document.querySelectorAll('[role="log"] .sentence')];
        return (
          lines.length >= 2 && lines.at(-1)!.classList.contains('provisional') && lines.at(-1)!.textContent
        );
      },
      undefined,
      { timeout: 20_000 },
    );
    await expectNoSeriousA11yViolations(page, 'the record screen, recording with captions');
    await screenshotLooks('record-recording');
    await screenshotSmall('record-recording');
    await record().getByRole('button', { name: 'Stop recording' }).click();

    const saved = record().getByRole('region', { name: /^Saved/ });
    await saved.getByText(jobState).waitFor();
    const rows = record().getByRole('region', { name: 'Waiting to be transcribed' }).getByRole('listitem');
    expect(await rows.count()).toBe(1);
    await expectRawAudio();
    await expectNoSeriousA11yViolations(page, 'the record screen, idle after a stop');
    await processing().click();
    await screenshotLooks('record-idle');
    await screenshotSmall('record-idle');

    await rows
      .first()
      .getByRole('button', { name: /^Transcribe Recording / })
      .click();
    await rows.first().getByText(jobState).waitFor();
    // Once its job is done (job:update), the recording waits no more: the list drops it without a reload.
    await rows.first().waitFor({ state: 'detached', timeout: 30_000 });
    await saved.getByRole('button', { name: 'Open the meeting' }).click({ timeout: 30_000 });
    await page
      .getByRole('heading', { name: /^Recording / })
      .first()
      .waitFor();
    expect(app.consoleErrors).toEqual([]);
  });

  it('finds the choices as made after the page starts again, and titles a recording in the interface language', async () => {
    // The test before chose the first named microphone and "Transcribe", then opened the meeting; the rest is chosen
    // here.
    await page.keyboard.press('r');
    await record().getByRole('heading', { name: 'Record', exact: true }).waitFor();
    const device = (): Locator => record().getByRole('combobox', { name: /^(Microphone|麦克风)$/ });
    const microphone = (await device().textContent())?.trim();
    expect(microphone).toMatch(/^Fake Audio Input/);
    await record().getByRole('radio', { name: 'Record only, transcribe later' }).click();
    await record().getByRole('switch', { name: 'Live captions' }).click();
    await record().getByRole('switch', { name: "Also record the computer's sound" }).click();
    await processing().click();
    await record().getByRole('switch', { name: 'Echo cancellation' }).click();
    await record().getByRole('switch', { name: 'Automatic gain' }).click();
    await expect
      .poll(() => fixture.services.settings.get())
      .toMatchObject({
        recordMicrophone: { label: microphone },
        recordSystemAudio: true,
        recordCaptions: false,
        recordTranscribe: false,
        recordEchoCancellation: true,
        recordNoiseSuppression: false,
        recordAutoGainControl: true,
      });

    await chooseLook(page, { language: 'zh-CN', theme: 'light' });
    await page.reload();
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
    await page.keyboard.press('r');
    await record().getByRole('heading', { name: '录音', exact: true }).waitFor();
    const checked = (role: 'switch' | 'radio', name: string): Promise<string | null> =>
      record().getByRole(role, { name, exact: true }).getAttribute('aria-checked');
    await expect.poll(() => device().textContent()).toContain(microphone);
    expect(await checked('radio', '仅录音，稍后转写')).toBe('true');
    expect(await checked('switch', '实时字幕')).toBe('false');
    expect(await checked('switch', '同时录制电脑声音')).toBe('true');
    await record()
      .getByRole('button', { name: /^音频处理/ })
      .click();
    expect(await checked('switch', '回声消除')).toBe('true');
    expect(await checked('switch', '降噪')).toBe('false');
    expect(await checked('switch', '自动增益')).toBe('true');
    await expectNoSeriousA11yViolations(page, 'the record screen with choices kept from before');
    await screenshotLooks('record-chosen');

    // In Chinese, without the computer's sound (Chromium here has none to give), a recording is titled in Chinese.
    await chooseLook(page, { language: 'zh-CN', theme: 'light' });
    await record().getByRole('switch', { name: '同时录制电脑声音' }).click();
    await record().getByRole('button', { name: '开始录音' }).click();
    await status().getByText('录音中', { exact: true }).waitFor();
    await recordedAtLeast(1);
    await record().getByRole('button', { name: '结束录音' }).click();
    await record()
      .getByRole('region', { name: /^已保存，未转写/ })
      .waitFor();
    // The saved card stands for the recording just stopped; at the next start it waits in the list.
    await page.reload();
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
    await page.keyboard.press('r');
    const waiting = record().getByRole('region', { name: '等待转写' }).getByRole('listitem');
    await waiting
      .getByText(/^录音 \d{4}年\d{2}月\d{2}日 \d{2}时\d{2}分$/)
      .first()
      .waitFor();
    await waiting.first().scrollIntoViewIfNeeded();
    await screenshotScreen(page, 'record-waiting', { language: 'zh-CN', theme: 'light' });
    await chooseLook(page, { language: 'zh-CN', theme: 'dark' });
    await screenshotScreen(page, 'record-waiting', { language: 'zh-CN', theme: 'dark' });
    expect(app.consoleErrors).toEqual([]);
  });
});
