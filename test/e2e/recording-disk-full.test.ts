// A full disk reaches the record screen: the recordings folder is a small tmpfs, a recording from Chromium's fake
// microphone fills it, and the recording stops by itself. The screen says once that the disk is full and what to do,
// what was captured is kept as a whole WAV (its header's sizes match its audio) and waits in the list; once there is
// room again it is transcribed from there by the stand-in and opens as a meeting. Screenshots of the full-disk state
// in both languages and both themes.
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingsDirOf } from '../../src-main/recording/recording-session.js';
import { WAV_HEADER_BYTES } from '../../src-main/recording/wav-journal.js';
import { TmpfsMounts } from '../helpers/tmpfs-mounts.js';
import { meetingConversation, startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { expectNoSeriousA11yViolations } from './bridge/axe.js';
import { chooseLook, LOOKS, screenshotScreen } from './bridge/look.js';
import type { AppPage } from './bridge/page-fixture.js';

/** The recordings folder's disk, in KiB: about 3 s of 16 kHz mono audio. */
const DISK_KIB = 96;

describe('a recording that fills the disk, on the record screen', () => {
  const mounts = new TmpfsMounts();
  let fixture: AppFixture;
  let app: AppPage;
  let page: Page;
  let smallDisk: string | undefined;

  beforeAll(async () => {
    const speech = await meetingConversation();
    fixture = await startAppFixture('e2e-recording-disk-full', { standIn: { remoteConcurrency: 1 } });
    // The recordings folder is on a disk of its own, mounted outside the library so that it can be taken away after.
    smallDisk = await mkdtemp(join(tmpdir(), 'funscribe-small-disk-'));
    await mounts.mount(smallDisk, `size=${DISK_KIB}k`);
    await symlink(smallDisk, recordingsDirOf(fixture.data.path));
    app = await fixture.open({
      chromiumArgs: [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-audio-capture=${speech.wavPath}`,
      ],
    });
    page = app.page;
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
  });

  afterAll(async () => {
    await fixture?.close();
    mounts.unmountAll();
    if (smallDisk) await rm(smallDisk, { recursive: true, force: true });
  });

  const record = (): Locator => page.getByRole('main');

  it('stops by itself, says the disk is full and what to do, keeps and lists what was recorded', async () => {
    await page.keyboard.press('r');
    await record().getByRole('radio', { name: 'Record only, transcribe later' }).click();
    const captions = record().getByRole('switch', { name: 'Live captions' });
    if ((await captions.getAttribute('aria-checked')) === 'true') await captions.click();
    await record().getByRole('button', { name: 'Start recording' }).click();
    await record().locator('#record-status').getByText('Recording', { exact: true }).waitFor();

    // It stops by itself: the saved card says why and what to do, once, and a new recording can start.
    const saved = record().getByRole('region', { name: /^Saved, not transcribed/ });
    await saved.waitFor({ timeout: 15_000 });
    const message =
      'The disk is full, so the recording stopped. What was recorded is kept: free some space on the disk, then transcribe it.';
    expect(await record().getByRole('alert').allInnerTexts()).toEqual([message]);
    await record().getByRole('button', { name: 'Start recording' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'the record screen after the disk filled');
    for (const look of LOOKS) {
      await chooseLook(page, look);
      await screenshotScreen(page, 'record-disk-full', look);
    }
    await chooseLook(page, LOOKS[0]!);

    // Kept: a whole WAV (its header says as much audio as it holds) that filled the disk, finished with the reason.
    const [waiting] = fixture.services.recordings.waitingForTranscription();
    expect(waiting).toMatchObject({ status: 'finished', error: { code: 'DISK_FULL' }, jobId: null });
    expect(waiting!.path.startsWith(recordingsDirOf(fixture.data.path))).toBe(true);
    const wav = await readFile(waiting!.path);
    const audioBytes = wav.length - WAV_HEADER_BYTES;
    expect(wav.readUInt32LE(40)).toBe(audioBytes);
    expect(audioBytes % 2).toBe(0);
    expect(audioBytes).toBeGreaterThan((DISK_KIB - 16) * 1024);
    expect(waiting!.durationMs).toBeCloseTo(audioBytes / 32, 0);
    expect(fixture.services.recordings.inProgress()).toEqual([]);

    // Listed with its length (beside the card, and after a reload); once there is room it is transcribed from the
    // list and opens as a meeting.
    await page.reload();
    await page.keyboard.press('r');
    const row = record().getByRole('region', { name: 'Waiting to be transcribed' }).getByRole('listitem');
    await row.getByText(/ · 3 sec\b/).waitFor();
    expect(await row.count()).toBe(1);
    mounts.remount(smallDisk!, 'size=32m');
    await row.getByRole('button', { name: /^Transcribe Recording / }).click();
    await page
      .getByRole('listbox', { name: 'Meetings' })
      .getByRole('option', { name: /^Recording / })
      .click({ timeout: 15_000 });
    await page
      .getByRole('heading', { name: /^Recording / })
      .first()
      .waitFor();
    const [meeting] = fixture.services.meetings.list();
    expect(meeting!.durationMs).toBeCloseTo(waiting!.durationMs!, -2);
    expect(app.consoleErrors).toEqual([]);
  });
});
