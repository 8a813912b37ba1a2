// Import in the built renderer in Chromium against the real services and the stand-in FunASR server: three files
// dropped on the window (one not audio) give two meetings and a failed job without Retry; the same recording dropped
// again is asked about; a folder dropped gives its recordings; a running job shows its time left (English and
// Chinese) until it is done; a finished job opens its meeting; Clear finished. axe and screenshots in both languages
// and themes.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src-main/services.js';
import { MIN_ELAPSED_FOR_ESTIMATE_MS } from '../../src-main/store/job-progress.js';
import { startSimServer } from '../funasr-sim/server.js';
import { meetingConversation, startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { expectNoSeriousA11yViolations } from './bridge/axe.js';
import { dropFiles } from './bridge/drop.js';
import { chooseLook, LOOKS, screenshotScreen } from './bridge/look.js';
import { screenshotPath, type AppPage } from './bridge/page-fixture.js';

/** A FunASR model without timestamps: the app then sends a file again one utterance at a time (one reply each). */
const PLAIN_PARAFORMER = 'damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-onnx';
/** The job list's time left, in either language (jobs.remaining / jobs.remainingSoon). */
const TIME_LEFT = /^(About \d+ min left|Less than a minute left|约剩 \d+ 分钟|剩余不到 1 分钟)$/;

describe('import in Chromium against the real services', () => {
  let fixture: AppFixture;
  let services: Services;
  let app: AppPage;
  let page: Page;
  let files: string;

  beforeAll(async () => {
    const conversation = await meetingConversation();
    fixture = await startAppFixture('e2e-import', {
      libraryDir: 'library',
      standIn: { language: 'zh', remoteConcurrency: 2 },
    });
    services = fixture.services;
    files = join(fixture.data.path, 'dropped');
    await mkdir(join(files, 'archive'), { recursive: true });
    const speech = await readFile(conversation.wavPath);
    await copyFile(conversation.wavPath, join(files, 'standup.wav'));
    // Other recordings: the same speech with some silence after it, so other bytes.
    await writeFile(join(files, 'review.wav'), Buffer.concat([speech, Buffer.alloc(3200)]));
    await writeFile(join(files, 'archive', 'old call.wav'), Buffer.concat([speech, Buffer.alloc(6400)]));
    await writeFile(join(files, 'paced.wav'), Buffer.concat([speech, Buffer.alloc(9600)]));
    await writeFile(join(files, 'notes.mp3'), 'Agenda: the budget, two new hires and the launch date.\n');
    app = await fixture.open({ filesDir: files });
    page = app.page;
    await page.getByRole('button', { name: 'Choose files…' }).waitFor();
  });

  afterAll(() => fixture?.close());

  /** Drags files (names inside the dropped folder) over the window, checks the overlay, and drops them. */
  const drop = (names: string[]): Promise<void> => dropFiles(page, names);

  const jobs = (): ReturnType<Page['getByRole']> =>
    page.getByRole('region', { name: /^(Transcriptions|转写任务)$/ }).getByRole('listitem');

  it('drops three files, one not audio: two meetings, and the broken one has no Retry', async () => {
    await drop(['standup.wav', 'review.wav', 'notes.mp3']);
    const broken = jobs().filter({ hasText: 'notes.mp3' });
    await broken.getByText('Failed', { exact: true }).waitFor({ timeout: 30_000 });
    await broken
      .getByText('"notes.mp3" is not an audio or video file ffmpeg can read', { exact: false })
      .waitFor();
    expect(await broken.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    for (const name of ['standup.wav', 'review.wav']) {
      await jobs().filter({ hasText: name }).getByText('Done', { exact: true }).waitFor({ timeout: 60_000 });
    }
    expect(services.meetings.count()).toBe(2);
    expect(services.queue.list().find((job) => job.file.endsWith('notes.mp3'))).toMatchObject({
      status: 'failed',
      retryable: false,
      error: { code: 'UNREADABLE_MEDIA' },
    });
    await expectNoSeriousA11yViolations(page, 'import, jobs');
  });

  it('asks before transcribing a recording already in the library again', async () => {
    const before = services.queue.list().length;
    await drop(['standup.wav']);
    const dialog = page.getByRole('alertdialog', { name: 'Already in your library' });
    await dialog.getByText('standup.wav is “standup”', { exact: false }).waitFor();
    await expectNoSeriousA11yViolations(page, 'import, duplicate dialog');
    await page.screenshot({ path: await screenshotPath('import-duplicate-en-light') });
    await dialog.getByRole('button', { name: 'Skip' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(services.queue.list()).toHaveLength(before);
  });

  it('takes a dropped folder with the options chosen for the batch: its recordings are added', async () => {
    await page.getByRole('button', { name: 'Options for new files' }).click();
    await page.getByRole('combobox', { name: /^Speakers/ }).click();
    await page.getByRole('option', { name: '2 speakers' }).click();
    // With remote servers in the settings, the managed engine can still be chosen for a batch.
    await page.getByRole('combobox', { name: /^Engine/ }).click();
    await page.getByRole('option', { name: 'FunASR on this computer (Docker)' }).waitFor();
    await page.getByRole('option', { name: 'As in settings' }).click();
    await page.screenshot({ path: await screenshotPath('import-options-en-light') });
    await page.keyboard.press('Escape');
    await drop(['archive']);
    await jobs()
      .filter({ hasText: 'old call.wav' })
      .getByText('Done', { exact: true })
      .waitFor({ timeout: 60_000 });
    expect(services.meetings.count()).toBe(3);
    const job = services.queue.list().find((info) => info.file.endsWith('old call.wav'))!;
    expect(services.jobs.settingsOf(job.id)).toMatchObject({ speakers: 2 });
    expect(services.meetings.get(job.meetingId!)!.speakers).toHaveLength(2);
  });

  it('shows the time left while a job runs, in English and in 简体中文, and not once the job is done', async () => {
    // A server whose replies wait until the test sends them, without timestamps: the file goes to it whole and then
    // once per utterance, so the job can be kept running after its first estimate (it needs some running time).
    const paced = await startSimServer({
      protocol: 'offline',
      port: 0,
      modelDir: PLAIN_PARAFORMER,
      log: () => undefined,
    });
    const hold = paced.holdReplies();
    services.updateSettings({ remoteEngines: [{ url: paced.url, concurrency: 1 }] });
    try {
      await drop(['paced.wav']);
      const job = jobs().filter({ hasText: 'paced.wav' });
      await expect.poll(() => hold.waiting, { timeout: 30_000 }).toBe(1);
      await sleep(MIN_ELAPSED_FOR_ESTIMATE_MS);
      hold.sendWaiting();
      await expect.poll(() => hold.waiting, { timeout: 30_000 }).toBeGreaterThan(0);
      const timeLeft = job.getByText(TIME_LEFT);
      for (const look of LOOKS) {
        await chooseLook(page, look);
        await timeLeft.waitFor({ timeout: 10_000 });
        expect(await timeLeft.textContent()).toMatch(
          look.language === 'en'
            ? /^(About \d+ min left|Less than a minute left)$/
            : /^(约剩 \d+ 分钟|剩余不到 1 分钟)$/,
        );
        await expectNoSeriousA11yViolations(page, `import, time left, ${look.language}, ${look.theme}`);
        await screenshotScreen(page, 'import-time-left', look);
      }
      expect(services.queue.list().find((info) => info.file.endsWith('paced.wav'))).toMatchObject({
        status: 'running',
        stage: 'transcribe',
      });
      hold.release();
      await job.getByText('已完成', { exact: true }).waitFor({ timeout: 60_000 });
      expect(await timeLeft.count()).toBe(0);
      await chooseLook(page, { language: 'en', theme: 'light' });
      await job.getByText('Done', { exact: true }).waitFor();
      expect(await timeLeft.count()).toBe(0);
      expect(services.meetings.count()).toBe(4);
    } finally {
      hold.release();
      services.updateSettings({ remoteEngines: [{ url: fixture.sim.url, concurrency: 2 }] });
      await paced.close();
    }
  });

  it('opens the meeting of a finished job on click', async () => {
    await jobs().getByRole('button', { name: 'Open review.wav' }).click();
    await page.getByRole('main', { name: 'review' }).waitFor();
  });

  it('looks right and passes axe in both languages and themes', async () => {
    for (const language of ['en', 'zh-CN'] as const) {
      for (const theme of ['light', 'dark'] as const) {
        services.updateSettings({ interfaceLanguage: language, theme });
        await page.reload();
        await page.waitForFunction(
          ([lang, mode]) =>
            document.documentElement.lang === lang && document.documentElement.dataset.theme === mode,
          [language, theme],
        );
        await jobs().first().waitFor();
        await expectNoSeriousA11yViolations(page, `import, ${language}, ${theme}`);
        await page.screenshot({
          path: await screenshotPath(`import-${language === 'en' ? 'en' : 'zh'}-${theme}`),
        });
      }
    }
    services.updateSettings({ interfaceLanguage: 'en', theme: 'light' });
    await page.reload();
  });

  it('clears the finished jobs', async () => {
    await page.getByRole('button', { name: 'Clear finished' }).click();
    await page.getByRole('region', { name: 'Transcriptions' }).waitFor({ state: 'detached' });
    expect(services.queue.list()).toEqual([]);
    expect(services.meetings.count()).toBe(4);
    expect(app.consoleErrors).toEqual([]);
  });
});
