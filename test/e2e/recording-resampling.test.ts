// The capture's resampling end to end: the audio context runs at 16 kHz, so Chromium resamples the microphone from its
// 48 kHz on the way into the graph. Chromium's fake microphone plays two tones at once through the real record screen:
// 1 kHz must arrive at its level in the journal, and 12 kHz, which would fold back to 4 kHz in 16 kHz audio without
// a low-pass filter first, must be gone.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateFfmpeg } from '../../src-main/audio/ffmpeg-locate.js';
import { recordingsDirOf } from '../../src-main/recording/recording-session.js';
import { readWavChannels } from '../integration/recording/audio-compare.js';
import { startAppFixture, type AppFixture } from './bridge/app-fixture.js';

/** Each tone's amplitude in the played file (of full scale). */
const AMPLITUDE = 0.3;

/** The amplitude of `hz` in `samples` (16 kHz s16), by correlation with a sine and a cosine. */
function toneAmplitude(samples: Int16Array, hz: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]! / 32767;
    s += x * Math.sin((2 * Math.PI * hz * i) / 16_000);
    c += x * Math.cos((2 * Math.PI * hz * i) / 16_000);
  }
  return (2 * Math.hypot(s, c)) / samples.length;
}

describe('resampling the microphone to 16 kHz', () => {
  let fixture: AppFixture;
  let page: Page;

  beforeAll(async () => {
    fixture = await startAppFixture('e2e-recording-resampling');
    const tones = join(fixture.data.path, 'tones-48k.wav');
    const { ffmpeg } = await locateFfmpeg();
    const tone = (hz: number): string => `sine=frequency=${hz}:sample_rate=48000:duration=2`;
    await promisify(execFile)(ffmpeg, [
      ...['-v', 'error', '-f', 'lavfi', '-i', tone(1000), '-f', 'lavfi', '-i', tone(12_000)],
      // The sine source plays at 1/8 of full scale; each tone is brought to AMPLITUDE, and they are added.
      ...['-filter_complex', `[0][1]amix=inputs=2:normalize=0,volume=${AMPLITUDE * 8}`],
      ...['-ar', '48000', '-ac', '1', '-c:a', 'pcm_s16le', tones],
    ]);
    ({ page } = await fixture.open({
      chromiumArgs: [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-audio-capture=${tones}`,
      ],
    }));
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
  });

  afterAll(() => fixture?.close());

  it('keeps a 1 kHz tone at its level and removes a 12 kHz tone instead of folding it to 4 kHz', async () => {
    const main = page.getByRole('main');
    await page.keyboard.press('r');
    await main.getByRole('radio', { name: 'Record only, transcribe later' }).click();
    const captions = main.getByRole('switch', { name: 'Live captions' });
    if ((await captions.getAttribute('aria-checked')) === 'true') await captions.click();
    await main.getByRole('button', { name: 'Start recording' }).click();
    await main.getByRole('button', { name: 'Stop recording' }).waitFor();
    await page.waitForTimeout(2500);
    await main.getByRole('button', { name: 'Stop recording' }).click();
    await main.getByRole('region', { name: /^Saved, not transcribed/ }).waitFor();

    const [id] = await readdir(recordingsDirOf(fixture.data.path));
    const dir = join(recordingsDirOf(fixture.data.path), id!);
    const [wav] = (await readdir(dir)).filter((name) => name.endsWith('.wav'));
    const [samples] = await readWavChannels(join(dir, wav!), 1);
    // The middle second, away from the start of the stream and the end of the recording.
    const middle = samples!.subarray(4000, 20_000);
    expect(middle.length, `${samples!.length} samples recorded`).toBe(16_000);
    const kept = toneAmplitude(middle, 1000);
    const folded = toneAmplitude(middle, 4000);
    console.info(
      `1 kHz at ${kept.toFixed(4)} (played ${AMPLITUDE}); 4 kHz (12 kHz folded) at ${folded.toExponential(2)}`,
    );
    expect(kept / AMPLITUDE).toBeGreaterThan(0.95);
    expect(kept / AMPLITUDE).toBeLessThan(1.05);
    expect(folded / AMPLITUDE).toBeLessThan(0.01); // over 40 dB down
  });
});
