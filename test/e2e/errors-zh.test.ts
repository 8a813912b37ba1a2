// Errors in Chinese: a file that is not audio and an empty one fail in the job list, each worded from its code and
// parameters (the file's name) in Simplified Chinese, with no English from the main process on the page.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src-main/services.js';
import { startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { expectNoSeriousA11yViolations } from './bridge/axe.js';
import { screenshotPath, type AppPage } from './bridge/page-fixture.js';

describe('errors in the Chinese interface', () => {
  let fixture: AppFixture;
  let services: Services;
  let app: AppPage;
  let page: Page;
  let picked: string;

  beforeAll(async () => {
    fixture = await startAppFixture('errors-zh', {
      standIn: { language: 'zh', remoteConcurrency: 1 },
      settings: { interfaceLanguage: 'zh-CN' },
    });
    services = fixture.services;
    picked = join(fixture.data.path, 'picked');
    await mkdir(picked);
    app = await fixture.open({ filesDir: picked });
    page = app.page;
  });

  afterAll(() => fixture?.close());

  it('words a broken and an empty file from their codes and file names in Chinese', async () => {
    const notes = join(picked, '会议纪要.mp3');
    const empty = join(picked, 'empty.wav');
    await writeFile(notes, 'Agenda: the budget, two new hires and the launch date.\n');
    await writeFile(empty, '');
    await page.locator('html[lang="zh-CN"]').waitFor();
    await page.locator('input[type=file]').setInputFiles([notes, empty]);

    const broken = page.getByRole('listitem').filter({ hasText: '会议纪要.mp3' });
    await broken
      .getByText('“会议纪要.mp3”不是 FunScribe 能读取的音频或视频文件。')
      .waitFor({ timeout: 30_000 });
    const nothing = page.getByRole('listitem').filter({ hasText: 'empty.wav' });
    await nothing.getByText('“empty.wav”是空文件（0 字节）。').waitFor({ timeout: 30_000 });

    // The main process's English message stays in the job for the command line, but is not on the page.
    const job = services.queue.list().find((info) => info.file === notes);
    expect(job?.error).toMatchObject({
      code: 'UNREADABLE_MEDIA',
      message: expect.stringContaining('is not an audio or video file ffmpeg can read'),
      params: { reason: 'unreadable', file: '会议纪要.mp3' },
    });
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toContain('ffmpeg can read');
    expect(text).not.toContain('0 bytes');

    await page.screenshot({ path: await screenshotPath('errors-zh') });
    await expectNoSeriousA11yViolations(page, 'job errors, 中文');
    expect(app.consoleErrors).toEqual([]);
  });
});
