// Corrections in Chromium through the bridge, against the real services and a real library: a sentence edited and
// found by search, then undone and redone from the keyboard; speakers renamed and merged, then undone; a meeting
// deleted and brought back from the toast, then deleted again and purged with its audio files once the undo window
// has passed. axe on the speakers panel, and screenshots in English and Chinese, light and dark.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src-main/services.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import {
  analysedConversations,
  conversationMeeting,
  referenceLabels,
} from '../integration/store/conversation-meetings.js';
import { expectNoSeriousA11yViolations } from './bridge/axe.js';
import { openAppPage, screenshotPath, type AppPage } from './bridge/page-fixture.js';

/** The undo window of this test: long enough to click Undo on a loaded machine, short enough to wait for. */
const UNDO_WINDOW_MS = 5_000;

describe('corrections in Chromium', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let services: Services;
  let app: AppPage;
  let page: Page;
  let reviewId: number;
  let callId: number;
  let callFiles: string[];

  const panel = () => page.getByRole('region', { name: /^(Speakers|说话人)$/ });
  const names = (): (string | null)[] => services.meetings.get(reviewId)!.speakers.map((s) => s.name);
  const speakerCount = (): number => services.meetings.get(reviewId)!.speakers.length;
  const textOf = (segmentId: number): string | undefined =>
    services.meetings.get(reviewId)!.segments.find((s) => s.id === segmentId)?.text;

  async function openMeeting(title: string): Promise<void> {
    await page.getByText(title, { exact: true }).first().click();
    await page.getByRole('heading', { name: title, level: 2 }).waitFor();
  }

  beforeAll(async () => {
    const conversation = (await analysedConversations(['conv-3spk'])).get('conv-3spk')!;
    data = await makeTempDir('editing');
    services = {
      ...(await createServices({ dataDir: data.path })),
      meetingUndoWindowMs: UNDO_WINDOW_MS,
    };
    reviewId = services.meetings.create({
      ...conversationMeeting(conversation, referenceLabels(conversation)),
      title: 'Budget review',
    }).id;
    const copy = join(data.path, 'audio', 'job-call.webm');
    await writeFile(copy, 'opus');
    callId = services.meetings.create({
      ...conversationMeeting(conversation),
      title: 'Old call',
      audioPath: copy,
      createdAt: Date.UTC(2025, 0, 2),
    }).id;
    await mkdir(join(data.path, 'waveforms'), { recursive: true });
    callFiles = [copy, join(data.path, 'waveforms', `${callId}.peaks`)];
    await writeFile(callFiles[1]!, 'peaks');
    app = await openAppPage(services);
    page = app.page;
    await openMeeting('Budget review');
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await services?.close();
    await data?.remove();
  });

  it('edits a sentence, finds the edit by search, and undoes and redoes it and a rename of the meeting from the keyboard', async () => {
    const target = services.meetings.get(reviewId)!.segments[2]!;
    const sentence = page.getByRole('option').filter({ hasText: target.text });
    await sentence.click();
    await page.keyboard.press('Enter');
    const field = page.getByRole('textbox', { name: /Correct this sentence/ });
    await field.fill('The forecast is rejected.');
    await field.press('Enter');
    await expect.poll(() => textOf(target.id)).toBe('The forecast is rejected.');
    expect(services.meetings.get(reviewId)!.segments[2]!.originalText).toBe(target.text);
    // The corrected sentence carries a quiet mark naming the recognised text; an undo takes it away.
    const edited = page
      .getByRole('option', { name: /The forecast is rejected\./ })
      .getByRole('img', { name: `Edited · original: “${target.text}”` });
    await edited.waitFor();

    const search = page.getByRole('searchbox', { name: 'Search all meetings' });
    await search.fill('forecast');
    const results = page.getByRole('region', { name: 'Search results' });
    await results
      .locator('mark', { hasText: /forecast/i })
      .first()
      .waitFor({ timeout: 15_000 });
    await search.fill(target.text.split(' ').slice(0, 2).join(' '));
    await search.fill('');
    await page.keyboard.press('Escape');

    await page.getByRole('option').first().focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => textOf(target.id)).toBe(target.text);
    await edited.waitFor({ state: 'detached' });
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => textOf(target.id)).toBe('The forecast is rejected.');
    await edited.waitFor();

    // Renaming the meeting is undone the same way, with no confirmation.
    await page.getByRole('button', { name: 'Rename the meeting' }).click();
    await page.getByRole('textbox', { name: 'Meeting title' }).fill('Budget 2027');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Budget 2027', exact: true }).waitFor();
    expect(services.meetings.get(reviewId)!.title).toBe('Budget 2027');
    await page.getByRole('option').first().focus();
    await page.keyboard.press('Control+z');
    await page.getByRole('heading', { name: 'Budget review', exact: true }).waitFor();
    expect(services.meetings.get(reviewId)!.title).toBe('Budget review');
    await page.keyboard.press('Control+Shift+z');
    await page.getByRole('heading', { name: 'Budget 2027', exact: true }).waitFor();
    await page.keyboard.press('Control+z');
    await page.getByRole('heading', { name: 'Budget review', exact: true }).waitFor();
  });

  it('renames and merges speakers, then undoes both', async () => {
    const before = services.meetings.get(reviewId)!;
    await panel().getByRole('button', { name: 'Rename Speaker 1' }).click();
    await panel().getByPlaceholder('Name').fill('Alice');
    await panel().getByRole('button', { name: 'Save name' }).click();
    await expect.poll(names).toEqual(['Alice', null, null]);
    await panel().getByRole('button', { name: 'Rename Alice' }).waitFor();

    await panel().getByRole('button', { name: 'Actions for Speaker 2' }).click();
    await page.getByRole('menuitem', { name: 'Merge into Alice' }).click();
    await expect.poll(speakerCount).toBe(2);
    await panel()
      .getByText(/Speaker 3|Speaker 2/)
      .first()
      .waitFor();
    await expectNoSeriousA11yViolations(page, 'speakers panel, English, light', '#side-panel');
    await page.screenshot({ path: await screenshotPath('editing-en-light') });

    const undo = page.getByRole('button', { name: 'Undo', exact: true });
    await undo.click();
    await expect.poll(speakerCount).toBe(3);
    const restored = services.meetings.get(reviewId)!;
    expect(restored.segments.map((s) => [s.id, s.speakerId])).toEqual(
      before.segments.map((s) => [s.id, s.speakerId]),
    );
    await undo.click();
    await expect.poll(names).toEqual([null, null, null]);
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    await expect.poll(names).toEqual(['Alice', null, null]);
  });

  it('reads well in Chinese and in the dark theme', async () => {
    for (const [language, theme, name] of [
      ['zh-CN', 'light', 'editing-zh-light'],
      ['zh-CN', 'dark', 'editing-zh-dark'],
      ['en', 'dark', 'editing-en-dark'],
    ] as const) {
      services.updateSettings({ interfaceLanguage: language, theme });
      await page.reload();
      await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
      await openMeeting('Budget review');
      await panel()
        .getByText(language === 'en' ? 'Speaker 2' : '说话人 2', { exact: true })
        .waitFor();
      await expectNoSeriousA11yViolations(page, `speakers panel, ${language}, ${theme}`, '#side-panel');
      await page.screenshot({ path: await screenshotPath(name) });
    }
    services.updateSettings({ interfaceLanguage: 'en', theme: 'light' });
    await page.reload();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  });

  it('deletes a meeting with Undo on a toast, then purges it with its audio files after the window', async () => {
    await openMeeting('Old call');
    await page.getByRole('button', { name: 'Delete meeting' }).click();
    await expect.poll(() => services.meetings.list().map((m) => m.id)).not.toContain(callId);
    await page.getByText('Old call', { exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Undo', exact: true }).last().click();
    await expect.poll(() => services.meetings.list().map((m) => m.id)).toContain(callId);
    await page.getByRole('heading', { name: 'Old call', level: 2 }).waitFor();
    expect(callFiles.every((file) => existsSync(file))).toBe(true);

    await page.getByRole('button', { name: 'Delete meeting' }).click();
    await expect.poll(() => services.meetings.list().map((m) => m.id)).not.toContain(callId);
    // The pointer on the toast holds it open; the purge (once the window has passed) closes it all the same.
    const toast = page.getByText('“Old call” deleted', { exact: true });
    await toast.hover();
    await expect
      .poll(() => services.meetings.deletedMeetings().length, { timeout: UNDO_WINDOW_MS + 30_000 })
      .toBe(0);
    await toast.waitFor({ state: 'detached' });
    expect(callFiles.filter((file) => existsSync(file))).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });
});
