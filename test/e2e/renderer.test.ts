// The built renderer in Debian's Chromium (the same major as Electron's), with `window.funscribe` bridged to the real
// services over a loopback websocket: pick a file → it is transcribed by the stand-in → it shows up, opens, and is found.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src-main/services.js';
import type { Conversation } from '../fixtures/speech.js';
import { meetingConversation, startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { screenshotPath, type AppPage } from './bridge/page-fixture.js';

describe('the renderer in Chromium against the real services', () => {
  let fixture: AppFixture;
  let services: Services;
  let app: AppPage;
  let page: Page;
  let conversation: Conversation;
  let picked: string;

  beforeAll(async () => {
    conversation = await meetingConversation();
    fixture = await startAppFixture('renderer', { standIn: { language: 'zh', remoteConcurrency: 2 } });
    services = fixture.services;
    picked = join(fixture.data.path, 'picked');
    await mkdir(picked);
    await copyFile(conversation.wavPath, join(picked, basename(conversation.wavPath)));
    app = await fixture.open({ filesDir: picked });
    page = app.page;
  });

  afterAll(() => fixture?.close());

  it('transcribes a picked file, lists it, opens it and finds a word in it', async () => {
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
    await page.locator('input[type=file]').setInputFiles(join(picked, basename(conversation.wavPath)));

    const title = basename(conversation.wavPath, '.wav');
    const listed = page.getByText(title, { exact: true });
    await listed.waitFor({ timeout: 30_000 });
    await listed.click();
    await page.getByText('Speaker 1').first().waitFor();
    const stored = services.meetings.list()[0]!;
    const meeting = services.meetings.get(stored.id)!;
    for (const segment of meeting.segments) {
      await page.getByText(segment.text).first().waitFor();
    }

    await page.getByRole('searchbox').or(page.locator('input[type=search]')).first().fill('预算');
    const mark = page.locator('mark', { hasText: '预算' }).first();
    await mark.waitFor({ timeout: 10_000 });
    expect(await page.locator('mark').count()).toBeGreaterThan(0);
    await page.screenshot({ path: await screenshotPath('renderer-search') });
    expect(app.consoleErrors).toEqual([]);
  });

  it('shows a clear error for a file that is not audio and keeps the library intact', async () => {
    const before = services.meetings.count();
    const notes = join(picked, 'notes.mp3');
    await writeFile(notes, 'Agenda: the budget, two new hires and the launch date.\n');
    await page.locator('input[type=file]').setInputFiles(notes);

    const row = page.getByRole('listitem').filter({ hasText: 'notes.mp3' });
    await row
      .getByText('"notes.mp3" is not an audio or video file ffmpeg can read', { exact: false })
      .waitFor({ timeout: 15_000 });
    await row.getByText('Failed', { exact: true }).waitFor();
    // A retry cannot fix a file ffmpeg cannot read, so none is offered.
    expect(await row.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    const job = services.queue.list().find((info) => info.file === notes);
    expect(job).toMatchObject({ status: 'failed', error: { code: 'UNREADABLE_MEDIA' } });
    expect(services.meetings.count()).toBe(before);
  });
});
