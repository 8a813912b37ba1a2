// The side panel's speakers in Chromium against the real services: a three-voice meeting transcribed through the
// stand-in, then named (with the voice remembered), re-counted, merged, a sentence moved, and the voice forgotten.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src-shared/types.js';
import type { Services } from '../../src-main/services.js';
import { meetingConversation, startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { screenshotPath, type AppPage } from './bridge/page-fixture.js';

describe('the speakers of a meeting in Chromium', () => {
  let fixture: AppFixture;
  let services: Services;
  let app: AppPage;
  let page: Page;
  let meetingId: number;

  beforeAll(async () => {
    const conversation = await meetingConversation();
    fixture = await startAppFixture('speakers-panel', { standIn: { language: 'zh', remoteConcurrency: 1 } });
    services = fixture.services;
    const done = new Promise<JobInfo>((resolve) =>
      services.queue.onUpdate((job) => job.status === 'done' && resolve(job)),
    );
    services.queue.enqueue(conversation.wavPath, {
      hotwords: [],
      itn: true,
      allowSelfSignedTls: false,
      speakers: 'auto',
    });
    meetingId = (await done).meetingId!;
    app = await fixture.open();
    page = app.page;
    await page.getByText('meeting-4-turns', { exact: true }).click();
    await panel().getByText('Told apart by voice.').waitFor();
  });

  afterAll(() => fixture?.close());

  const names = (): (string | null)[] => services.speakerEdits.listSpeakers(meetingId).map((s) => s.name);
  const panel = () => page.locator('#side-panel').getByRole('region', { name: 'Speakers' });

  it('names a speaker for the whole meeting and remembers the voice only when asked', async () => {
    expect(names()).toEqual([null, null, null]);
    const first = panel().getByRole('listitem').first();
    await first.getByRole('button', { name: 'Rename Speaker 1' }).click();
    await first.getByPlaceholder('Name').fill('Alice');
    await first.getByRole('checkbox', { name: /Remember this voice/ }).check();
    await first.getByRole('button', { name: 'Save name' }).click();
    await first.getByRole('button', { name: 'Rename Alice' }).waitFor();
    expect(names()).toEqual(['Alice', null, null]);
    expect(services.speakerEdits.listVoiceprints().map((v) => v.name)).toEqual(['Alice']);
    await panel().getByText('Remembered voices (1)').waitFor();
  });

  it('re-counts, merges and moves a sentence to a new speaker', async () => {
    await panel().getByLabel('Number of speakers').fill('2');
    await panel().getByRole('button', { name: 'Re-count' }).click();
    await expect.poll(() => services.speakerEdits.listSpeakers(meetingId).length).toBe(2);
    await panel()
      .getByRole('listitem')
      .nth(1)
      .getByRole('button', { name: /^Actions for / })
      .click();
    await page
      .getByRole('menuitem', { name: /^Merge into / })
      .first()
      .click();
    await expect.poll(() => services.speakerEdits.listSpeakers(meetingId).length).toBe(1);
    await page.getByRole('option').last().click();
    await page.getByRole('button', { name: 'Actions for the selected sentence' }).click();
    await page.getByRole('menuitem', { name: 'New speaker' }).click();
    await expect.poll(() => services.speakerEdits.listSpeakers(meetingId).length).toBe(2);
    const meeting = services.meetings.get(meetingId)!;
    expect(meeting.segments.at(-1)!.speakerId).not.toBe(meeting.segments[0]!.speakerId);
    await page.screenshot({ path: await screenshotPath('speakers-panel') });
  });

  it('forgets the remembered voice', async () => {
    await panel().getByText('Remembered voices (1)').click();
    await panel().getByRole('button', { name: 'Forget the voice of Alice' }).click();
    await expect.poll(() => services.speakerEdits.listVoiceprints().length).toBe(0);
    await panel().getByText('Remembered voices').waitFor({ state: 'detached' });
    expect(app.consoleErrors).toEqual([]);
  });
});
