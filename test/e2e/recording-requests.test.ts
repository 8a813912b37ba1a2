// The global shortcut and the tray menu reach the page as main's 'recording:toggle-request' event (sent here through
// the bridge as main sends it): on the welcome screen a toggle starts a recording from Chromium's fake microphone with
// the record screen's choices (the top bar shows its sign and its time grows), a start while recording changes
// nothing, a toggle stops it and its transcription is queued; a stop when idle does nothing, then start and stop.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import type { AppPage } from './bridge/page-fixture.js';

/** Chromium's stand-in microphone and no permission prompt. */
const FAKE_MICROPHONE = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

describe('recording started and stopped by main (global shortcut, tray)', () => {
  let fixture: AppFixture;
  let app: AppPage;
  let page: Page;

  beforeAll(async () => {
    fixture = await startAppFixture('e2e-recording-requests', { standIn: { remoteConcurrency: 1 } });
    app = await fixture.open({ chromiumArgs: FAKE_MICROPHONE });
    page = app.page;
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
  });

  afterAll(() => fixture?.close());

  const sign = (): Locator => page.getByRole('button', { name: /^Recording .*: show the recording$/ });
  const recordButton = (): Locator => page.getByRole('button', { name: 'Record', exact: true });
  /** The recording transcriptions queued so far (every job of this library comes from a recording). */
  const jobs = (): number => fixture.services.queue.list().length;
  /** Waits until the page has handled everything sent before (events and replies share the bridge's socket). */
  const settled = (): Promise<unknown> => page.evaluate(() => window.funscribe?.listJobs());
  /** Waits until the top bar's recorded time has reached `seconds`. */
  const recordedAtLeast = (seconds: number): Promise<unknown> =>
    page.waitForFunction((least) => {
      const clock = /(\d+):(\d+)/.exec(document.querySelector('.recording-sign')?.textContent ?? '');
      return clock !== null && Number(clock[1]) * 60 + Number(clock[2]) >= least;
    }, seconds);

  it('toggles a recording on and off from any screen, and a start while recording changes nothing', async () => {
    await recordButton().waitFor();
    app.emit('recording:toggle-request', { action: 'toggle' });
    await sign().waitFor();
    await recordedAtLeast(1);
    app.emit('recording:toggle-request', { action: 'start' });
    await settled();
    expect(await sign().count()).toBe(1);
    expect(jobs()).toBe(0);

    app.emit('recording:toggle-request', { action: 'toggle' });
    await recordButton().waitFor();
    await expect.poll(jobs).toBe(1);
    expect(await page.getByRole('heading', { name: 'Record', exact: true }).count()).toBe(0);
  });

  it('a stop when idle does nothing; start and stop do what they say', async () => {
    app.emit('recording:toggle-request', { action: 'stop' });
    await settled();
    expect(await sign().count()).toBe(0);
    app.emit('recording:toggle-request', { action: 'start' });
    await sign().waitFor();
    await recordedAtLeast(1);
    app.emit('recording:toggle-request', { action: 'stop' });
    await recordButton().waitFor();
    await expect.poll(jobs).toBe(2);
    expect(app.consoleErrors).toEqual([]);
  });
});
