// The meeting's player in Chromium through the test bridge, against the real services and the stand-in server: a
// transcribed meeting shows its waveform, plays (muted), pauses and seeks by the buttons, the keys and a transcript
// click; the bridge's media route answers ranges; a meeting whose audio is gone says so; axe finds nothing serious.
import { copyFile, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type Axe from 'axe-core';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioDirOf } from '../../src-main/audio/audio-files.js';
import type { Services } from '../../src-main/services.js';
import type { StoredMeeting } from '../../src-main/store/stored-meeting.js';
import { meetingConversation, startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { ROOT, screenshotPath, type AppPage } from './bridge/page-fixture.js';

const AXE_SCRIPT = join(ROOT, 'node_modules/axe-core/axe.min.js');
const LOST_TITLE = 'Lost recording';

/** The fields of the page's audio element the test reads (the tests are typed without the DOM). */
interface MediaElement {
  currentTime: number;
  duration: number;
  muted: boolean;
  paused: boolean;
  playbackRate: number;
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** The page's global object with axe-core loaded into it. */
type AxeWindow = { axe?: typeof Axe };

/** The axe rules broken seriously or critically inside `selector` (one line each, with the elements). */
async function seriousViolationsWithin(page: Page, selector: string): Promise<string[]> {
  // Evaluated through the debugging protocol, so the page's Content-Security-Policy does not block the script.
  if (!(await page.evaluate(() => 'axe' in globalThis)))
    await page.evaluate(await readFile(AXE_SCRIPT, 'utf8'));
  return page.evaluate(async (include) => {
    const axe = (globalThis as AxeWindow).axe!;
    const results = await axe.run({ include: [include] }, { resultTypes: ['violations'] });
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
      );
  }, selector);
}

describe('the player in Chromium against the real services', () => {
  let fixture: AppFixture;
  let services: Services;
  let app: AppPage;
  let page: Page;
  let meeting: StoredMeeting;
  let title: string;

  /** The player's audio element. */
  const audio = (): Locator => page.getByTestId('player-audio');
  /** Reads one field of the player's audio element. */
  const mediaField = async <K extends keyof MediaElement>(field: K): Promise<MediaElement[K]> =>
    (await audio().evaluate(
      (element, name) => (element as unknown as Record<string, unknown>)[name],
      field,
    )) as MediaElement[K];
  /** Where the audio element is, in seconds. */
  const audioTime = (): Promise<number> => mediaField('currentTime');
  /** Waits until the audio element's time is within [min, max] seconds. */
  const untilTime = (min: number, max = Infinity): Promise<unknown> =>
    audio().evaluate(
      (element, [low, high]) =>
        new Promise<void>((resolve) => {
          const media = element as unknown as MediaElement;
          const done = (): void => {
            if (media.currentTime < low || media.currentTime > high) return;
            media.removeEventListener('timeupdate', done);
            media.removeEventListener('seeked', done);
            resolve();
          };
          media.addEventListener('timeupdate', done);
          media.addEventListener('seeked', done);
          done();
        }),
      [min, max === Infinity ? Number.MAX_VALUE : max] as const,
    );
  /** Waits until the audio element is at `seconds` (within 50 ms). */
  const untilAt = (seconds: number): Promise<unknown> => untilTime(seconds - 0.05, seconds + 0.05);

  /** Opens a meeting from the library and waits for its player (or its notice). */
  async function openMeeting(name: string): Promise<void> {
    await page.getByText(name, { exact: true }).first().click();
    await page.getByTestId('player').waitFor();
  }

  beforeAll(async () => {
    const conversation = await meetingConversation();
    fixture = await startAppFixture('player', {
      libraryDir: 'library',
      standIn: { language: 'zh', remoteConcurrency: 1 },
      settings: { interfaceLanguage: 'en', theme: 'light' },
    });
    services = fixture.services;
    const file = join(fixture.data.path, basename(conversation.wavPath));
    await copyFile(conversation.wavPath, file);
    const job = services.queue.enqueue(file, {
      serverUrl: null,
      hotwords: [],
      itn: true,
      allowSelfSignedTls: false,
      speakers: services.settings.get().speakers,
    });
    await services.queue.whenIdle();
    meeting = services.meetings.get(services.jobs.get(job.id)!.meetingId!)!;
    title = meeting.title;
    // A meeting whose audio copy was removed and whose source file has moved away since.
    const lostCopy = join(audioDirOf(services.dataDir), 'lost-job.webm');
    await copyFile(meeting.audioPath!, lostCopy);
    services.meetings.create({
      title: LOST_TITLE,
      source: join(fixture.data.path, 'moved', 'lost recording.m4a'),
      durationMs: 4000,
      audioPath: lostCopy,
      speakers: [{ label: 'Speaker 1' }],
      segments: [{ startMs: 0, endMs: 4000, text: '这段录音已经找不到了', tokens: [], speakerIndex: 0 }],
    });
    await rm(lostCopy);
    app = await fixture.open();
    page = app.page;
  });

  afterAll(() => fixture?.close());

  it('draws the waveform and plays, pauses and seeks the meeting', async () => {
    expect(meeting.audioPath).toMatch(/\.webm$/);
    await openMeeting(title);
    await page.getByTestId('waveform').locator('canvas').first().waitFor({ timeout: 30_000 });
    expect(await audio().getAttribute('src')).toBe(`/media/meeting/${meeting.id}`);
    expect(await mediaField('duration')).toBeCloseTo(meeting.durationMs / 1000, 0);

    await page.getByRole('button', { name: 'Mute' }).click();
    expect(await mediaField('muted')).toBe(true);
    await page.getByTestId('player-toggle').click();
    await untilTime(0.4);
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(await mediaField('paused')).toBe(true);
    await page.getByRole('button', { name: 'Play' }).waitFor();

    const before = await audioTime();
    await page.getByRole('button', { name: 'Forward 5 seconds' }).click();
    await untilAt(before + 5);
    await expect
      .poll(() => page.getByTestId('player-time').textContent())
      .toBe(`0:0${Math.floor(before + 5)}`);
    await page.getByRole('button', { name: 'Back 5 seconds' }).click();
    await untilAt(before);

    // Under the waveform, who speaks when: each speaker's bars in that speaker's colour, described on the slider.
    const strip = page.getByTestId('speaker-strip');
    const colours = await strip
      .locator('span')
      .evaluateAll((bars) =>
        bars.map((bar) => (bar as unknown as { style: { background: string } }).style.background),
      );
    const numbers = new Set(
      meeting.segments.map(
        (segment) => meeting.speakers.find((speaker) => speaker.id === segment.speakerId)!.number,
      ),
    );
    expect(new Set(colours)).toEqual(new Set([...numbers].map((number) => `var(--speaker-${number - 1})`)));
    const slider = page.getByRole('slider', { name: 'Playback position' });
    const described = await slider.evaluate(
      (element) =>
        (
          element.ownerDocument.getElementById(element.getAttribute('aria-describedby') ?? '') as {
            textContent: string;
          } | null
        )?.textContent,
    );
    for (const number of numbers) expect(described).toContain(`Speaker ${number} `);
    expect(await strip.locator('[tabindex]').count()).toBe(0);
    const box = (await strip.boundingBox())!;
    await strip.click({ position: { x: box.width * 0.75, y: box.height / 2 } });
    const wanted = (meeting.durationMs / 1000) * 0.75;
    await untilTime(wanted - 0.5, wanted + 0.5);
  });

  it('seeks where the transcript asks through the playback store, and by the keys', async () => {
    const sentence = page.getByRole('option').last();
    await sentence.waitFor();
    const target = meeting.segments[Number(await sentence.getAttribute('data-index'))]!;
    // Start well outside the sentence, so that only the seek can bring the audio into it.
    const away = target.startMs >= 1000 ? 0 : Math.ceil(target.endMs / 5000) * 5;
    await page.getByRole('slider', { name: 'Playback position' }).press('Home');
    for (let at = 0; at < away; at += 5)
      await page.getByRole('button', { name: 'Forward 5 seconds' }).click();
    await untilAt(away);
    await sentence.click();
    await untilTime(target.startMs / 1000 - 0.05, target.endMs / 1000);
    expect(await mediaField('paused')).toBe(true);

    // The keys act wherever the focus is not in a field: here on the page itself.
    await page.getByRole('slider', { name: 'Playback position' }).press('Home');
    await untilAt(0);
    await page.getByTestId('player-time').click();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await untilAt(15);
    await page.keyboard.press('j');
    await untilAt(5);
    await page.keyboard.press('ArrowLeft');
    await untilAt(0);
    await page.keyboard.press(' ');
    await untilTime(0.3);
    await page.keyboard.press('k');
    await expect.poll(() => mediaField('paused')).toBe(true);
    const paused = await audioTime();
    await page.keyboard.press('l');
    await untilTime(paused + 10, paused + 12);
    await page.keyboard.press('l');
    await expect.poll(() => mediaField('playbackRate')).toBe(1.5);
    await page.keyboard.press('k');
    await expect.poll(() => mediaField('paused')).toBe(true);
    expect(await mediaField('playbackRate')).toBe(1);

    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.getByText('Forward 10 seconds (again: faster)').count()).toBe(1);
    expect(await seriousViolationsWithin(page, '[role=dialog]')).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Typing is never taken for a shortcut.
    const at = await audioTime();
    const search = page.getByRole('searchbox').or(page.locator('input[type=search]')).first();
    await search.pressSequentially('l k j');
    expect(await search.inputValue()).toBe('l k j');
    await search.press('ArrowLeft');
    expect(await mediaField('paused')).toBe(true);
    expect(await audioTime()).toBe(at);
    await search.fill('');
  });

  it('serves the meeting audio by range on the bridge and nothing for a meeting without audio', async () => {
    const origin = new URL(page.url()).origin;
    const part = await fetch(`${origin}/media/meeting/${meeting.id}`, { headers: { Range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-type')).toBe('audio/webm');
    expect(part.headers.get('content-range')).toMatch(/^bytes 0-99\/\d+$/);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    const size = Number(part.headers.get('content-range')!.split('/')[1]);
    const beyond = await fetch(`${origin}/media/meeting/${meeting.id}`, {
      headers: { Range: `bytes=${size}-` },
    });
    expect(beyond.status).toBe(416);
    expect((await fetch(`${origin}/media/meeting/999999`)).status).toBe(404);
    expect((await fetch(`${origin}/media/meeting/abc`)).status).toBe(404);
    expect((await fetch(`${origin}/media/meeting/${meeting.id}/x`)).status).toBe(404);
  });

  it('says so when a meeting has neither its audio copy nor its source file', async () => {
    await openMeeting(LOST_TITLE);
    const notice = page.getByTestId('player-missing');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('The audio copy of this meeting is gone');
    expect(await notice.textContent()).toContain('lost recording.m4a');
    expect(await page.getByTestId('player-audio').count()).toBe(0);
    expect(app.consoleErrors).toEqual([]);
  });

  it.each([
    ['en', 'light'],
    ['en', 'dark'],
    ['zh-CN', 'light'],
    ['zh-CN', 'dark'],
  ] as const)('looks right and passes axe in %s, %s', async (interfaceLanguage, theme) => {
    services.updateSettings({ interfaceLanguage, theme });
    await page.reload();
    await page.locator(`html[data-theme=${theme}][lang=${interfaceLanguage}]`).waitFor();
    await openMeeting(title);
    await page.getByTestId('waveform').locator('canvas').first().waitFor();
    // Ten seconds in, so that the picture shows the played part of the waveform.
    await page.getByTestId('player-time').click();
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowRight');
    await untilAt(10);
    await page.locator(':focus').evaluate((element) => (element as unknown as { blur(): void }).blur());
    expect(await seriousViolationsWithin(page, '[data-testid=player]')).toEqual([]);
    const name = `player-${interfaceLanguage === 'en' ? 'en' : 'zh'}-${theme}`;
    await page.screenshot({ path: await screenshotPath(name) });
  });

  it('keeps every control of the player in view in a 720×480 window', async () => {
    await page.setViewportSize({ width: 720, height: 480 });
    const player = page.getByTestId('player');
    for (const control of [
      page.getByTestId('player-toggle'),
      page.getByTestId('player-rate'),
      player.getByRole('button').last(),
      page.getByTestId('waveform'),
      page.getByTestId('speaker-strip'),
    ]) {
      await expect.poll(() => control.isVisible()).toBe(true);
      const box = (await control.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(720);
      expect(box.y + box.height).toBeLessThanOrEqual(480);
    }
    // A short window puts the controls and the waveform on one row, leaving the height to the transcript.
    expect((await player.boundingBox())!.height).toBeLessThan(80);
    await page.screenshot({ path: await screenshotPath('player-small') });
  });
});
