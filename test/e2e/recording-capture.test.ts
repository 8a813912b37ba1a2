// Audio capture end to end: Chromium's fake microphone plays a known speech WAV into getUserMedia, the record screen
// records it through the capture worklet and the bridge into main's journal, and the journal is checked against the
// source (its length against the wall time recorded, its waveform by correlation after alignment), with the page's
// renderer held still for a while mid-recording, as a starved machine would. An unplugged
// device and a refused permission are tested against a real PulseAudio input in recording-device-faults.test.ts.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockCorrelations, cutWav, readWavChannels } from '../integration/recording/audio-compare.js';
import { meetingConversation, startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import type { AppPage } from './bridge/page-fixture.js';
import { holdRenderers } from './bridge/renderer-stall.js';
import { journalSamples, openRecordOnly, recordingRows, startRecordingAt } from './bridge/recordings.js';

/** How long the main check records, in ms (the source loops, so any length works). */
const RECORD_MS = 30_000;
/**
 * How long the page's renderer is held still mid-recording, in ms. The capture's device-less rendering (sinkId none)
 * is paced by a timer in the renderer that skips the intervals it missed (media/base/fake_audio_worker.cc), so the
 * microphone's audio of a stall waits in the graph's input; unless the finish takes it (held-frames.ts), the
 * recording ends that much short: this stall alone would break the 1 % the length is held to. (Before the finish took
 * it, the suite's load cost about 200 ms of 8 s in 2 of 4 CI runs, and 700 ms of 30 s in one.)
 */
const STALL_MS = 600;
/** The main check's own deadline: the recording, its stop and the comparison. */
const RECORD_TEST_TIMEOUT_MS = RECORD_MS + 60_000;

/** The source played `times` times in a row, as the fake device loops it. */
function looped(source: Int16Array, times: number): Int16Array {
  const out = new Int16Array(source.length * times);
  for (let i = 0; i < times; i++) out.set(source, i * source.length);
  return out;
}

describe('audio capture through the fake microphone', () => {
  let fixture: AppFixture;
  let app: AppPage;
  let page: Page;
  let source: Int16Array;

  beforeAll(async () => {
    fixture = await startAppFixture('e2e-recording-capture');
    const speech = await meetingConversation();
    const [first] = speech.turns;
    const sourcePath = join(fixture.data.path, 'fake-microphone.wav');
    await cutWav(speech.wavPath, first!.startMs - 300, first!.endMs + 300, sourcePath);
    [source] = (await readWavChannels(sourcePath, 1)) as [Int16Array];
    // No --use-fake-ui-for-media-stream: the permission is granted through the context (headless Chromium answers a
    // prompt it would have to show with a refusal).
    app = await fixture.open({
      chromiumArgs: ['--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${sourcePath}`],
    });
    page = app.page;
    await page.context().grantPermissions(['microphone']);
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
    await openRecordOnly(page);
  });

  afterAll(() => fixture?.close());

  it(
    'records the speech it is played: the length of the time recorded, the same waveform',
    async () => {
      const startedAt = await startRecordingAt(page);
      await sleep(RECORD_MS / 2);
      expect(await holdRenderers(STALL_MS)).toBeGreaterThan(0);
      await sleep(RECORD_MS / 2 - STALL_MS);
      const stoppedAt = await page.evaluate(() => {
        const stop = [...document.querySelectorAll('button')].find(
          (b) => b.textContent?.trim() === 'Stop recording',
        );
        const now = performance.now();
        stop?.click();
        return now;
      });
      await page
        .getByRole('main')
        .getByRole('region', { name: /^Saved, not transcribed/ })
        .waitFor();

      const [row] = recordingRows(fixture.data.path);
      expect(row).toMatchObject({ status: 'finished', error_code: null });
      const recorded = await journalSamples(fixture.data.path, row!.id);
      const wallMs = stoppedAt - startedAt;
      const recordedMs = recorded.length / 16;
      expect(
        Math.abs(recordedMs - wallMs) / wallMs,
        `${recordedMs} ms recorded in ${wallMs} ms`,
      ).toBeLessThan(0.01);
      expect(row!.duration_ms).toBeCloseTo(recordedMs, -1);
      // Block by block because Chromium's fake device is not seamless: its loop skips about 16 ms at the wrap, and its
      // input FIFO inserts 10 ms at times while the audio starts (the recorded length still matches the wall time).
      const rs = blockCorrelations(recorded, looped(source, 3)).sort((x, y) => x - y);
      expect(rs.length).toBeGreaterThanOrEqual(6);
      expect(rs[Math.floor(rs.length / 4)]).toBeGreaterThanOrEqual(0.9); // three blocks in four at least
      console.info(
        `recorded ${recordedMs.toFixed(0)} ms in ${wallMs.toFixed(0)} ms of wall time; waveform r of ${rs.length} ` +
          `loud half seconds: ${rs.map((r) => r.toFixed(3)).join(' ')}`,
      );
    },
    RECORD_TEST_TIMEOUT_MS,
  );
});
