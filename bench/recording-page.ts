// The record screen in Chromium for the recording benches: the built renderer through the bridge, with Chromium's
// fake microphone playing the test meeting (48 kHz mono, as a sound card gives it), and a recording started and
// stopped through the screen as a user does.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { locateFfmpeg } from '../src-main/audio/ffmpeg-locate.js';
import type { Services } from '../src-main/services.js';
import { openAppPage, ROOT, type AppPage } from '../test/e2e/bridge/page-fixture.js';
import { generateConversation, MEETING_SCRIPT } from '../test/fixtures/speech.js';
import { ensureRenderer } from './browser-bench.js';

const GENERATED = join(ROOT, 'test/fixtures/generated/speech');
/** How long the screen may take to start or stop a recording. */
const STEP_TIMEOUT_MS = 30_000;

/** The test meeting as the fake microphone's file: 48 kHz mono s16le WAV (Chromium loops it). */
async function fakeMicrophoneFile(): Promise<string> {
  await mkdir(GENERATED, { recursive: true });
  const speech = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  const out = join(GENERATED, 'meeting-4-turns-48k.wav');
  const { ffmpeg } = await locateFfmpeg();
  await promisify(execFile)(ffmpeg, [
    '-y',
    '-v',
    'error',
    '-i',
    speech.wavPath,
    '-ar',
    '48000',
    '-ac',
    '1',
    out,
  ]);
  return out;
}

/** Opens the app on `services` in Chromium with the fake microphone, on the record screen. */
export async function openRecordScreen(services: Services): Promise<AppPage> {
  ensureRenderer();
  const file = await fakeMicrophoneFile();
  const app = await openAppPage(services, {
    chromiumArgs: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-audio-capture=${file}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  await app.page.getByRole('button', { name: 'Record', exact: true }).click();
  await app.page.getByRole('button', { name: 'Start recording' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  return app;
}

/** Starts a recording from the record screen with live captions on or off; resolves once it records. */
export async function startRecordingOnScreen(page: Page, captions: boolean): Promise<void> {
  const toggle = page.getByRole('switch', { name: 'Live captions' });
  if ((await toggle.getAttribute('aria-checked')) !== String(captions)) await toggle.click();
  await page.getByRole('button', { name: 'Start recording' }).click();
  await page.getByRole('button', { name: 'Stop recording' }).waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** Stops the recording from the record screen; resolves once the screen is ready for the next one. */
export async function stopRecordingOnScreen(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await page.getByRole('button', { name: 'Start recording' }).waitFor({ timeout: STEP_TIMEOUT_MS });
}
