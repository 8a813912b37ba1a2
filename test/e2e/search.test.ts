// Search in the built renderer in Chromium against the real services: a library of more than 50 hits built through the
// store, searched in Chinese; the count, the kinds of hit, paging beyond 50, the speaker, date and meeting filters,
// and opening the second hit in the meeting already open scrolls its sentence into view; the shown hits follow a
// meeting renamed elsewhere. axe and screenshots in both languages and themes.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src-main/services.js';
import { startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { expectNoSeriousA11yViolations } from './bridge/axe.js';
import { screenshotPath, type AppPage } from './bridge/page-fixture.js';

const DAY = 86_400_000;
/** Sentences with the word in the newest meeting: more than one page. */
const SENTENCES = 60;

describe('search in Chromium against the real services', () => {
  let fixture: AppFixture;
  let services: Services;
  let app: AppPage;
  let page: Page;
  let budgetMeeting: number;
  let reviewMeeting: number;

  beforeAll(async () => {
    fixture = await startAppFixture('e2e-search');
    services = fixture.services;
    const now = Date.now();
    reviewMeeting = services.meetings.create({
      title: '年度预算评审',
      source: '/recordings/review.m4a',
      durationMs: 60_000,
      createdAt: now - 30 * DAY,
      speakers: [{ label: 'Speaker 1' }],
      segments: [{ startMs: 0, endMs: 2000, text: '我们开始吧。', tokens: [], speakerIndex: 0 }],
    }).id;
    budgetMeeting = services.meetings.create({
      title: '周例会',
      source: '/recordings/weekly.m4a',
      durationMs: SENTENCES * 5000,
      createdAt: now - DAY,
      speakers: [{ label: 'Speaker 1', name: '王经理' }, { label: 'Speaker 2' }],
      segments: Array.from({ length: SENTENCES }, (_, i) => ({
        startMs: i * 5000,
        endMs: i * 5000 + 4000,
        text: `第${i + 1}段：下季度的预算还要再核对一遍。`,
        tokens: [],
        speakerIndex: i % 2,
      })),
    }).id;
    app = await fixture.open();
    page = app.page;
    await page.getByRole('searchbox').waitFor();
  });

  afterAll(() => fixture?.close());

  /** Types a query and waits for the count the panel shows. */
  async function search(query: string, count: RegExp): Promise<void> {
    const box = page.getByRole('searchbox');
    await box.fill('');
    await box.fill(query);
    await page.getByRole('status').filter({ hasText: count }).waitFor({ timeout: 15_000 });
  }

  it('finds titles, speakers and sentences in Chinese, with the count, and pages beyond 50', async () => {
    await search('预算', /61 results/);
    const panel = page.getByRole('region', { name: 'Search results' });
    const hits = panel.getByRole('listitem');
    expect(await hits.count()).toBe(50);
    await expect.poll(() => hits.first().textContent()).toContain('Title:');
    expect(await hits.first().locator('mark').first().textContent()).toBe('预算');
    expect(await hits.nth(1).textContent()).toContain('周例会');
    await panel.getByRole('button', { name: 'Load more (11 left)' }).click();
    await expect.poll(() => hits.count()).toBe(61);
    expect(await panel.getByRole('button', { name: /Load more/ }).count()).toBe(0);
    await expectNoSeriousA11yViolations(page, 'search results');
  });

  it('narrows to one speaker by the name the user gave, to a date range and to one meeting', async () => {
    await search('预算', /61 results/);
    await page.getByLabel('Speaker', { exact: true }).fill('王经理');
    await page.getByLabel('Speaker', { exact: true }).press('Enter');
    await page.getByRole('status').filter({ hasText: '30 results' }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('status').filter({ hasText: '61 results' }).waitFor({ timeout: 15_000 });

    // The review with the word in its title is a month old: the past week leaves the 60 sentences of the other.
    await filter('Date: Any time', 'Past week');
    await page.getByRole('status').filter({ hasText: '60 results' }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await filter('Meeting: All meetings', '年度预算评审');
    await page
      .getByRole('status')
      .filter({ hasText: /^\s*1 result\s*$/ })
      .waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('status').filter({ hasText: '61 results' }).waitFor({ timeout: 15_000 });
  });

  it('opens the second hit in the meeting already open and scrolls its sentence into view', async () => {
    await search('预算', /61 results/);
    const panel = page.getByRole('region', { name: 'Search results' });
    await panel.getByRole('button', { name: /第3段/ }).click();
    await waitInView(2);
    // The meeting is open now; the second hit is in the same meeting, far below.
    await page.getByRole('searchbox').click();
    await panel.getByRole('button', { name: /第45段/ }).click();
    await waitInView(44);
    expect(services.meetings.get(budgetMeeting)!.segments[44]!.text).toContain('第45段');
    expect(app.consoleErrors).toEqual([]);
  });

  it('searches the shown query again when the library changes (a meeting renamed elsewhere)', async () => {
    await search('预算', /61 results/);
    const rename = (id: number, title: string): Promise<unknown> =>
      page.evaluate(([meeting, name]) => window.funscribe!.renameMeeting(meeting, name), [
        id,
        title,
      ] as const);
    await rename(reviewMeeting, '年度评审');
    await page.getByRole('status').filter({ hasText: '60 results' }).waitFor({ timeout: 15_000 });
    const panel = page.getByRole('region', { name: 'Search results' });
    expect(await panel.getByRole('button', { name: /Title:/ }).count()).toBe(0);
    await rename(reviewMeeting, '年度预算评审');
    await page.getByRole('status').filter({ hasText: '61 results' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => panel.getByRole('listitem').first().textContent()).toContain('年度预算评审');
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
        await search('预算', language === 'en' ? /61 results/ : /61 条结果/);
        await expectNoSeriousA11yViolations(page, `search, ${language}, ${theme}`);
        const name = `search-${language === 'en' ? 'en' : 'zh'}-${theme}`;
        await page.screenshot({ path: await screenshotPath(name) });
      }
    }
  });

  /** Chooses `option` in the search filter whose trigger is named `trigger`. */
  async function filter(trigger: string, option: string): Promise<void> {
    await page.getByRole('combobox', { name: trigger }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  /** Waits until the transcript's sentence at `index` is inside the window. */
  async function waitInView(index: number): Promise<void> {
    await page.waitForFunction(
      (position) => {
        const element = document.querySelector(`[data-index="${position}"]`);
        if (!element) return false;
        const box = element.getBoundingClientRect();
        return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
      },
      index,
      { timeout: 15_000 },
    );
  }
});
