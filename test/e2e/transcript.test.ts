// The transcript of a 3-hour meeting (5,000 sentences with character tokens, stored through the real repository) in
// Chromium through the bridge: it opens with only a window of rows in the page, paragraphs by speaker, click-to-seek
// on sentences and characters, the search term marked with next/previous, a search hit in the meeting already open
// brought into view, one tab stop with arrow keys, no serious axe violations, in English and Chinese, light and dark.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src-main/services.js';
import type { StoredMeeting } from '../../src-main/store/stored-meeting.js';
import { formatClock } from '../../src-shared/time.js';
import type { FunscribeBridge } from '../../src-shared/contract.js';
import type { SlimMeeting } from '../../src-shared/types.js';
import { transcriptRows } from '../../src-renderer/lib/paragraphs.js';
import { storeLongMeeting } from '../helpers/long-meeting.js';
import { startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { expectNoSeriousA11yViolations } from './bridge/axe.js';
import { screenshotPath, type AppPage } from './bridge/page-fixture.js';

const SENTENCES = 5000;

describe('the transcript of a long meeting in Chromium', () => {
  let fixture: AppFixture;
  let services: Services;
  let app: AppPage;
  let page: Page;
  let meeting: StoredMeeting;

  const transcript = () => page.getByRole('listbox', { name: /^(Transcript|文字记录)$/ });
  const option = (index: number) => transcript().locator(`[role=option][data-index="${index}"]`);
  /** The index of the transcript's sentence that has the keyboard focus, or null when none has. */
  const focusedIndex = () =>
    page.evaluate(() => {
      const focused = document.activeElement as HTMLElement | null;
      return focused?.matches('[role=listbox] .sentence') ? (focused.dataset.index ?? null) : null;
    });
  /** The focused sentence's index once `ready` accepts it. */
  async function focusedIndexWhen(ready: (index: string | null) => boolean): Promise<string | null> {
    await expect.poll(async () => ready(await focusedIndex())).toBe(true);
    return focusedIndex();
  }

  /** Where character `offset` of sentence `index` is drawn, in page coordinates. */
  async function charPoint(index: number, offset: number): Promise<{ x: number; y: number }> {
    return option(index).evaluate((element, wanted) => {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      let left = wanted;
      let text = walker.nextNode() as Text;
      while (left >= text.length) {
        left -= text.length;
        text = walker.nextNode() as Text;
      }
      const range = document.createRange();
      range.setStart(text, left);
      range.setEnd(text, left + 1);
      const box = range.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    }, offset);
  }

  /** True when sentence `index` is mounted and lies inside the transcript's visible area. */
  async function inTranscriptView(index: number): Promise<boolean> {
    if ((await option(index).count()) === 0) return false;
    const list = (await transcript().boundingBox())!;
    const box = await option(index).boundingBox();
    return box !== null && box.y >= list.y && box.y + box.height <= list.y + list.height;
  }

  async function openTheMeeting(): Promise<void> {
    await page.getByText(meeting.title, { exact: true }).first().click();
    await option(0).waitFor();
  }

  beforeAll(async () => {
    fixture = await startAppFixture('transcript');
    services = fixture.services;
    meeting = services.meetings.get(storeLongMeeting(services.meetings, SENTENCES))!;
    app = await fixture.open();
    page = app.page;
  });

  afterAll(() => fixture?.close());

  it('opens a 5,000-sentence meeting with only a window of its rows in the page, and focuses it', async () => {
    await openTheMeeting();
    await page.screenshot({ path: await screenshotPath('transcript-open') });
    const options = await transcript().getByRole('option').count();
    expect(options).toBeGreaterThan(5);
    expect(options).toBeLessThan(150);
    expect(await page.evaluate(() => document.getElementsByTagName('*').length)).toBeLessThan(2500);
    await expect.poll(focusedIndex).toBe('0');

    const slim = await page.evaluate(
      async (id) => (window as unknown as { funscribe: FunscribeBridge }).funscribe.getMeeting(id),
      meeting.id,
    );
    expect(slim.ok).toBe(true);
    const segments = (slim as { value: SlimMeeting }).value.segments;
    expect(segments).toHaveLength(SENTENCES);
    expect(segments[0]).not.toHaveProperty('tokens');
    expect(segments[0]!.hasTokens).toBe(true);
    expect(meeting.segments[0]!.tokens.length).toBeGreaterThan(0);
    const tokens = await page.evaluate(
      async ([id, segmentIds]) =>
        (window as unknown as { funscribe: FunscribeBridge }).funscribe.getSegmentTokens(id, [...segmentIds]),
      [meeting.id, [meeting.segments[1]!.id, meeting.segments[0]!.id]] as const,
    );
    expect(tokens).toEqual({
      ok: true,
      value: [0, 1].map((i) => ({ segmentId: meeting.segments[i]!.id, tokens: meeting.segments[i]!.tokens })),
    });
    const tooMany = await page.evaluate(
      async (id) =>
        (window as unknown as { funscribe: FunscribeBridge }).funscribe.getSegmentTokens(
          id,
          Array.from({ length: 201 }, (_, i) => i + 1),
        ),
      meeting.id,
    );
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('groups consecutive sentences of one speaker into a paragraph under one name and one time', async () => {
    const rows = transcriptRows(meeting.segments);
    const speakerName = (speakerId: number | null): string => {
      const speaker = meeting.speakers.find((candidate) => candidate.id === speakerId)!;
      return speaker.name ?? `Speaker ${speaker.number}`;
    };
    const shown = rows.slice(0, 4);
    expect(shown.map((row) => speakerName(row.speakerId))).toContain('王经理');
    expect(new Set(shown.map((row) => row.speakerId)).size).toBeGreaterThan(1);
    const colours = new Map<number | null, string>();
    for (const row of shown.filter((r) => r.opensParagraph)) {
      const first = meeting.segments[row.first]!;
      const group = transcript().getByRole('group', {
        name: `${speakerName(row.speakerId)} ${formatClock(first.startMs)}`,
        exact: true,
      });
      const texts = await group.getByRole('option').allTextContents();
      expect(texts).toEqual(meeting.segments.slice(row.first, row.end).map((segment) => segment.text));
      const colour = await group.locator('.name').evaluate((name) => getComputedStyle(name).color);
      expect(colours.get(row.speakerId) ?? colour).toBe(colour);
      colours.set(row.speakerId, colour);
    }
    expect(new Set(colours.values()).size).toBe(colours.size);
  });

  it('seeks to a clicked sentence, and to the clicked character where tokens exist', async () => {
    const start = await charPoint(2, 0);
    await page.mouse.click(start.x, start.y);
    await expect.poll(() => option(2).getAttribute('aria-current')).toBe('time');
    expect(await transcript().locator('[aria-current=time]').count()).toBe(1);

    const target = meeting.segments[3]!;
    const at = 5;
    const point = await charPoint(3, at);
    await page.mouse.click(point.x, point.y);
    await expect.poll(() => option(3).getAttribute('aria-current')).toBe('time');
    await expect.poll(() => option(3).locator('.now').textContent()).toBe(target.text[at]);
    expect(target.tokens[at]!.text).toBe(target.text[at]);
  });

  it('stops following the sentence being played when the user scrolls away, and goes back on a click', async () => {
    const back = page.getByRole('button', { name: 'Back to playing' });
    expect(await back.count()).toBe(0);
    const list = (await transcript().boundingBox())!;
    await page.mouse.move(list.x + list.width / 2, list.y + list.height / 2);
    await page.mouse.wheel(0, 20_000);
    await back.waitFor();
    await expect.poll(() => inTranscriptView(3)).toBe(false);
    await back.click();
    await expect.poll(() => inTranscriptView(3)).toBe(true);
    await back.waitFor({ state: 'detached' });
  });

  it('is one tab stop: arrow keys, Home and End move between sentences, Enter edits and Esc cancels', async () => {
    expect(await transcript().locator('[tabindex="0"]').count()).toBe(1);
    await option(3).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedIndex).toBe('4');
    await page.keyboard.press('ArrowUp');
    await expect.poll(focusedIndex).toBe('3');
    await page.keyboard.press('End');
    await expect.poll(focusedIndex).toBe(String(SENTENCES - 1));
    await expect.poll(() => option(SENTENCES - 1).isVisible()).toBe(true);
    await page.keyboard.press('Home');
    await expect.poll(focusedIndex).toBe('0');
    expect(await transcript().locator('[tabindex="0"]').count()).toBe(1);

    await page.keyboard.press('Enter');
    const field = page.getByRole('textbox', { name: /Correct this sentence/ });
    await field.waitFor();
    expect(await field.inputValue()).toBe(meeting.segments[0]!.text);
    await page.keyboard.press('Escape');
    await field.waitFor({ state: 'detached' });
    await expect.poll(focusedIndex).toBe('0');

    await page.keyboard.press('Tab');
    expect(await focusedIndex()).toBeNull();
  });

  it('saves an inline edit and renders only the edited row again', async () => {
    const edited = '预算这边我们下午再确认。';
    await option(1).evaluate((element) => Object.assign(element, { keptNode: true }));
    await option(0).scrollIntoViewIfNeeded();
    await option(0).dblclick();
    const field = page.getByRole('textbox', { name: /Correct this sentence/ });
    await field.fill(edited);
    await page.keyboard.press('Enter');
    await expect.poll(() => services.meetings.get(meeting.id)!.segments[0]!.text).toBe(edited);
    await expect.poll(() => option(0).textContent()).toBe(edited);
    expect(
      await option(1).evaluate((element) => (element as unknown as { keptNode?: boolean }).keptNode),
    ).toBe(true);
    expect(await option(1).textContent()).toBe(meeting.segments[1]!.text);
  });

  it('marks a search term with previous/next, and brings a hit into view in the meeting already open', async () => {
    const term = '预算';
    const segments = services.meetings.get(meeting.id)!.segments;
    const withTerm = segments.flatMap((segment, index) => (segment.text.includes(term) ? [index] : []));
    const search = page.getByRole('searchbox', { name: 'Search all meetings' });
    await search.fill(term);
    const results = page
      .getByRole('region', { name: 'Search results' })
      .getByRole('button', { name: /预算/ });
    await results.nth(1).waitFor();
    const clocks = await results.evaluateAll((buttons) =>
      buttons.map((button) => button.querySelector('.meta')?.textContent ?? ''),
    );
    const latest = clocks
      .map((meta, position) => ({ position, clock: /\d\d:\d\d:\d\d/.exec(meta)?.[0] ?? '' }))
      .sort((a, b) => b.clock.localeCompare(a.clock))[0]!;
    await results.nth(1).click();

    const hits = page.getByRole('group', { name: 'Matches in this meeting' });
    await hits.getByText(new RegExp(`of ${withTerm.length}$`)).waitFor();
    const shown = Number(
      await focusedIndexWhen((index) => index !== null && withTerm.includes(Number(index))),
    );
    await expect.poll(() => inTranscriptView(shown)).toBe(true);
    expect(await option(shown).locator('mark').first().textContent()).toBe(term);
    const position = withTerm.indexOf(shown);
    await hits.getByText(`${position + 1} of ${withTerm.length}`).waitFor();

    await hits.getByRole('button', { name: 'Next match' }).click();
    await expect.poll(focusedIndex).toBe(String(withTerm[position + 1]));
    await hits.getByText(`${position + 2} of ${withTerm.length}`).waitFor();
    await hits.getByRole('button', { name: 'Previous match' }).click();
    await expect.poll(focusedIndex).toBe(String(shown));

    // Another hit of the meeting already open, far down the transcript: it is scrolled to and focused.
    await search.click();
    await results.nth(latest.position).click();
    const far = segments.findIndex(
      (segment, index) => withTerm.includes(index) && formatClock(segment.startMs) === latest.clock,
    );
    expect(far).toBeGreaterThan(shown);
    await expect.poll(focusedIndex).toBe(String(far));
    expect(await inTranscriptView(far)).toBe(true);
  });

  it('fits a 720×480 window', async () => {
    await page.setViewportSize({ width: 720, height: 480 });
    await transcript().getByRole('option').first().waitFor();
    const box = (await transcript().boundingBox())!;
    expect(box.width).toBeGreaterThan(300);
    // The top bar, the player and the heading are compact in a short window: the transcript keeps over half of it.
    expect(box.height).toBeGreaterThan(250);
    await page.screenshot({ path: await screenshotPath('transcript-720x480') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('has no serious or critical axe violations in English and Chinese, light and dark', async () => {
    for (const [language, interfaceLanguage] of [
      ['en', 'en'],
      ['zh', 'zh-CN'],
    ] as const) {
      for (const theme of ['light', 'dark'] as const) {
        services.updateSettings({ interfaceLanguage, theme });
        await page.reload();
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        await openTheMeeting();
        const search = page.getByRole('searchbox');
        await search.fill('预算');
        await page.locator('#search-panel button.hit').nth(2).click();
        await transcript().locator('mark').first().waitFor();
        const playing = Number(await focusedIndexWhen((index) => index !== null)) + 1;
        const start = await charPoint(playing, 3);
        // The player resets the position once it has loaded the meeting's audio: click again until it is settled.
        await expect
          .poll(async () => {
            await page.mouse.click(start.x, start.y);
            return option(playing).getAttribute('aria-current');
          })
          .toBe('time');
        await page.screenshot({ path: await screenshotPath(`transcript-${language}-${theme}`) });
        await expectNoSeriousA11yViolations(page, `meeting view, ${theme}, ${language}`, 'article.meeting');
      }
    }
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(app.consoleErrors).toEqual([]);
  });
});
