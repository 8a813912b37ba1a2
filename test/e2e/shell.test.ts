// The window's frame in Chromium against the real services: the layout at 1280×800 and 720×480, the virtualised
// library (paging, sorting, keyboard), the language and theme switches (saved in the settings) and axe on each.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src-main/services.js';
import { sampleMeeting } from '../integration/store/sample-meetings.js';
import { startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { expectNoSeriousA11yViolations } from './bridge/axe.js';
import { screenshotPath, type AppPage } from './bridge/page-fixture.js';

/** More meetings than one page of the library (100), so that scrolling has to load more. */
const MEETINGS = 130;
const DAY_MS = 86_400_000;
const NEWEST = Date.UTC(2026, 10, 20, 9, 30);

/** The titles of the newest meetings: what a user would see first. */
const FEATURED = ['产品周会 Weekly product sync', 'Budget review Q4', '客户访谈：华东区', 'Design critique'];

describe('the shell in Chromium', () => {
  let fixture: AppFixture;
  let services: Services;
  let app: AppPage;
  let page: Page;

  const rows = () => page.getByRole('listbox', { name: /Meetings|会议列表/ }).getByRole('option');
  const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
  /** Picks a menu's choice; `nth` tells apart choices of the same name (the theme's and the language's "system"). */
  const choose = async (menuLabel: RegExp, item: string, nth = 0): Promise<void> => {
    await page.getByRole('button', { name: menuLabel }).click();
    await page.getByRole('menuitemradio', { name: item, exact: true }).nth(nth).click();
    await page.getByRole('menu').waitFor({ state: 'detached' });
  };

  /** Saves a screenshot without a tooltip left over from the last click (focus returns to a menu's button). */
  const screenshot = async (name: string): Promise<void> => {
    await page.evaluate('document.activeElement?.blur()');
    await page.mouse.move(640, 790);
    await page.locator('.fs-tooltip').waitFor({ state: 'detached' });
    await page.screenshot({ path: await screenshotPath(name) });
  };

  beforeAll(async () => {
    fixture = await startAppFixture('shell');
    services = fixture.services;
    for (let n = MEETINGS - 1; n >= 0; n--) {
      services.meetings.create(
        sampleMeeting({
          title: FEATURED[n] ?? `Stand-up ${String(MEETINGS - n).padStart(3, '0')}`,
          createdAt: NEWEST - n * DAY_MS,
          durationMs: 60_000 * (n + 1) + (n === 2 ? 3 * 3_600_000 : 0),
        }),
      );
    }
    app = await fixture.open();
    page = app.page;
  });

  afterAll(() => fixture?.close());

  it('lays out the top bar, the library and the meeting at 1280×800, and opening a meeting moves focus to it', async () => {
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
    await page.locator('input[type=search]').first().waitFor();
    await rows().first().waitFor();
    expect(await rows().first().textContent()).toContain(FEATURED[0]);
    expect(await page.getByText('/recordings/weekly.m4a').count()).toBe(0);
    await page.getByRole('heading', { name: 'No meeting open' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'the welcome');
    await screenshot('shell-welcome');

    await rows().nth(1).click();
    await page.locator('main:focus-within').waitFor();
    expect(await rows().nth(1).getAttribute('aria-selected')).toBe('true');
    const details = page.getByRole('complementary', { name: 'Details' });
    await details.getByText('weekly.m4a').waitFor();

    const [sidebar, centre, panel] = [
      await box('#library-sidebar'),
      await box('main'),
      await box('#side-panel'),
    ];
    expect(sidebar.x).toBe(0);
    expect(sidebar.width).toBeGreaterThan(240);
    expect(centre.x).toBeGreaterThanOrEqual(sidebar.x + sidebar.width - 1);
    expect(panel.x).toBeGreaterThanOrEqual(centre.x + centre.width - 1);
    expect(panel.x + panel.width).toBeLessThanOrEqual(1280);

    await page.getByRole('button', { name: 'Show or hide the details panel' }).click();
    await details.waitFor({ state: 'hidden' });
    expect((await box('main')).width).toBeGreaterThan(centre.width + 200);
    await page.getByRole('button', { name: 'Show or hide the details panel' }).click();
    await details.waitFor();
  });

  it('pages through every meeting, sorts by title or length, and moves with the keyboard', async () => {
    const count = page.getByText(/^\d+\+? meetings$/);
    expect(await count.textContent()).toBe('100+ meetings');
    await rows().first().focus();
    await page.keyboard.press('End');
    await page.getByText(`${MEETINGS} meetings`).waitFor();
    // Virtualised: every meeting is loaded, but only a window of them is in the page.
    expect(await rows().count()).toBeLessThan(MEETINGS / 2);
    await page.keyboard.press('End');
    await page.locator(':focus', { hasText: 'Stand-up 001' }).waitFor();

    await choose(/^Sort: /, 'Title');
    await expect.poll(async () => rows().first().textContent()).toContain('Budget review Q4');
    await choose(/^Sort: /, 'Longest first');
    await expect.poll(async () => rows().first().textContent()).toContain(FEATURED[2]);
    expect(await rows().first().textContent()).toMatch(/3 hr, 3 min/);

    await rows().first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const third = (await page.locator(':focus').textContent()) ?? '';
    await page.keyboard.press('Enter');
    await page.locator('main:focus-within').waitFor();
    expect(await rows().and(page.locator('[aria-selected=true]')).textContent()).toBe(third);
    await choose(/^Sort: /, 'Newest first');
  });

  it('switches to 简体中文 and back, and to the dark theme, at once and saved, with no axe problem', async () => {
    await expectNoSeriousA11yViolations(page, 'English, light');
    await screenshot('shell-en-light');

    await choose(/Appearance and language/, '简体中文');
    await page.waitForFunction("document.documentElement.lang === 'zh-CN'");
    await page.getByRole('heading', { name: '会议', exact: true }).waitFor();
    await page.getByRole('button', { name: '外观与语言' }).waitFor();
    expect(services.settings.get().interfaceLanguage).toBe('zh-CN');
    // Lengths and dates follow the chosen language: the 3-hour meeting's row in Chinese words.
    const long = rows().filter({ hasText: FEATURED[2] });
    await expect.poll(async () => long.textContent()).toMatch(/3\s*小时\s*3\s*分钟/);
    expect(await long.textContent()).toMatch(/\d+月\d+日/);
    await expectNoSeriousA11yViolations(page, '中文, light');
    await screenshot('shell-zh-light');

    await choose(/外观与语言/, '深色');
    await page.waitForFunction("document.documentElement.dataset.theme === 'dark'");
    const background = await page.evaluate('getComputedStyle(document.documentElement).backgroundColor');
    expect(background).toBe('rgb(23, 24, 27)');
    expect(services.settings.get().theme).toBe('dark');
    await expectNoSeriousA11yViolations(page, '中文, dark');
    await screenshot('shell-zh-dark');

    await choose(/外观与语言/, 'English');
    await page.waitForFunction("document.documentElement.lang === 'en'");
    await page.getByRole('heading', { name: 'Meetings', exact: true }).waitFor();
    await expectNoSeriousA11yViolations(page, 'English, dark');
    await screenshot('shell-en-dark');

    await page.reload();
    await page.waitForFunction("document.documentElement.dataset.theme === 'dark'");
    await choose(/Appearance and language/, 'Follow system');
    await page.waitForFunction("document.documentElement.dataset.theme === 'light'");
    expect(services.settings.get().theme).toBe('system');
  });

  it('moves focus into a menu it opens, and closes it on Esc (focus back on its button) or on a click outside', async () => {
    const trigger = page.getByRole('button', { name: /Appearance and language/ });
    const focusInMenu = "document.activeElement?.closest('[role=menu]') !== null";
    await trigger.click();
    await page.getByRole('menu').waitFor();
    await page.waitForFunction(focusInMenu);
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    expect(await trigger.evaluate((button) => button === document.activeElement)).toBe(true);

    await trigger.click();
    await page.waitForFunction(focusInMenu);
    // The open menu leaves the page inert to pointers (bits-ui), so this is the mouse's own click on the heading.
    const box = await page.getByRole('heading', { name: 'Meetings', exact: true }).boundingBox();
    await page.mouse.click((box?.x ?? 0) + 4, (box?.y ?? 0) + 4);
    await page.getByRole('menu').waitFor({ state: 'detached' });
  });

  it('is usable at 720×480: the library and the details become drawers opened from the top bar', async () => {
    await page.setViewportSize({ width: 720, height: 480 });
    const sidebar = page.locator('#library-sidebar');
    await sidebar.waitFor({ state: 'hidden' });
    expect((await box('main')).width).toBeGreaterThan(700);
    await page.locator('input[type=search]').first().waitFor();

    await page.getByRole('button', { name: 'Show or hide the library' }).click();
    await rows().first().waitFor();
    await expectNoSeriousA11yViolations(page, 'small window, library open');
    await screenshot('shell-small');
    await rows().first().click();
    await sidebar.waitFor({ state: 'hidden' });
    await page.locator('main:focus-within').waitFor();

    await page.getByRole('button', { name: 'Show or hide the details panel' }).click();
    const details = page.getByRole('complementary', { name: 'Details' });
    await details.waitFor();
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'hidden' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await sidebar.waitFor();
    expect(app.consoleErrors).toEqual([]);
  });
});
