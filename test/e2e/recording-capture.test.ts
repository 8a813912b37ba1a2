// Audio capture end to end: Chromium's fake microphone plays a known speech WAV into getUserMedia, the record screen
// records it through the capture worklet and the bridge into main's journal, and the journal is checked against the
// source (its length against the wall time recorded, its waveform by correlation after alignment). Then a device
// that goes away mid-recording (its track's `ended` event) stops the recording with the audio kept, and a refused
// microphone permission shows the notice and starts nothing.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src-main/application/library-maintenance.js';
import { recordingsDirOf } from '../../src-main/recording/recording-session.js';
import {
  bestMatch,
  cutWav,
  envelope,
  pearson,
  readWavChannels,
} from '../integration/recording/audio-compare.js';
import { meetingConversation, startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import type { AppPage } from './bridge/page-fixture.js';

/** Seconds of speech recorded in the main check (the source loops, so any length works). */
const RECORD_MS = 8000;

/** The source played `times` times in a row, as the fake device loops it. */
function looped(source: Int16Array, times: number): Int16Array {
  const out = new Int16Array(source.length * times);
  for (let i = 0; i < times; i++) out.set(source, i * source.length);
  return out;
}

/** Samples per block of the waveform comparison: 0.5 s at 16 kHz. */
const BLOCK = 8000;

/**
 * Each loud half second of the recording aligned on its own with the looped source (by loudness envelopes at 10 ms,
 * then to the sample by the best waveform correlation within ±20 ms) and its Pearson r there. Aligned block by block
 * because Chromium's fake device is not seamless: its loop skips about 16 ms at the wrap, and its input FIFO inserts
 * 10 ms at times while the audio starts (the recorded length still matches the wall time).
 */
function blockCorrelations(recording: Int16Array, source: Int16Array): number[] {
  const tiled = looped(source, 3);
  const loud = Math.sqrt(source.reduce((sum, v) => sum + v * v, 0) / source.length) / 3;
  const rs: number[] = [];
  for (let at = 0; at + BLOCK <= recording.length; at += BLOCK) {
    const block = recording.subarray(at, at + BLOCK);
    if (Math.sqrt(block.reduce((sum, v) => sum + v * v, 0) / BLOCK) < loud) continue;
    const coarse = bestMatch(envelope(tiled), envelope(block)).lag * 160;
    let best = -1;
    for (let lag = Math.max(0, coarse - 320); lag <= Math.min(coarse + 320, tiled.length - BLOCK); lag++) {
      best = Math.max(best, pearson(block, tiled.subarray(lag, lag + BLOCK)));
    }
    rs.push(best);
  }
  return rs;
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
    // No --use-fake-ui-for-media-stream: the permission is granted (and later taken back) through the context, and
    // headless Chromium refuses a prompt it would have to show.
    app = await fixture.open({
      chromiumArgs: ['--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${sourcePath}`],
    });
    page = app.page;
    await page.context().grantPermissions(['microphone']);
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
    // Keeps the streams the page opens, so the test can make a track end as an unplugged device does.
    await page.evaluate(() => {
      const media = navigator.mediaDevices;
      const open = media.getUserMedia.bind(media);
      const kept: MediaStream[] = [];
      Object.assign(window, { keptStreams: kept });
      media.getUserMedia = async (constraints) => {
        const stream = await open(constraints);
        kept.push(stream);
        return stream;
      };
    });
    await page.keyboard.press('r');
    await record().getByRole('radio', { name: 'Record only, transcribe later' }).click();
    const captions = record().getByRole('switch', { name: 'Live captions' });
    if ((await captions.getAttribute('aria-checked')) === 'true') await captions.click();
  });

  afterAll(() => fixture?.close());

  const record = (): Locator => page.getByRole('main');
  /** Clicks Start; resolves once the screen says it records, with the page's clock when it first said so (ms). */
  const startRecording = async (): Promise<number> => {
    await page.evaluate(() => {
      const seen = window as unknown as { recordingSince?: number };
      delete seen.recordingSince;
      const observer = new MutationObserver(() => {
        if (document.querySelector('#record-status')?.textContent !== 'Recording') return;
        seen.recordingSince = performance.now();
        observer.disconnect();
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await record().getByRole('button', { name: 'Start recording' }).click();
    const since = await page.waitForFunction(
      () => (window as unknown as { recordingSince?: number }).recordingSince,
    );
    return (await since.jsonValue()) as number;
  };
  /** The library's recordings, oldest first. */
  const rows = (): {
    id: string;
    status: string;
    duration_ms: number | null;
    error_code: string | null;
  }[] => {
    const db = new Database(join(fixture.data.path, DATABASE_FILE), { readonly: true });
    try {
      return db
        .prepare('SELECT id, status, duration_ms, error_code FROM recordings ORDER BY started_at')
        .all() as [];
    } finally {
      db.close();
    }
  };
  /** The mono journal of a recording. */
  const journal = async (id: string): Promise<Int16Array> => {
    const dir = join(recordingsDirOf(fixture.data.path), id);
    const [wav] = (await readdir(dir)).filter((name) => name.endsWith('.wav'));
    const [samples] = await readWavChannels(join(dir, wav!), 1);
    return samples!;
  };

  it('records the speech it is played: the length of the time recorded, the same waveform', async () => {
    const startedAt = await startRecording();
    await page.waitForTimeout(RECORD_MS);
    const stoppedAt = await page.evaluate(() => {
      const stop = [...document.querySelectorAll('button')].find(
        (b) => b.textContent?.trim() === 'Stop recording',
      );
      const now = performance.now();
      stop?.click();
      return now;
    });
    await record()
      .getByRole('region', { name: /^Saved, not transcribed/ })
      .waitFor();

    const [row] = rows();
    expect(row).toMatchObject({ status: 'finished', error_code: null });
    const recorded = await journal(row!.id);
    const wallMs = stoppedAt - startedAt;
    const recordedMs = recorded.length / 16;
    expect(Math.abs(recordedMs - wallMs) / wallMs, `${recordedMs} ms recorded in ${wallMs} ms`).toBeLessThan(
      0.01,
    );
    expect(row!.duration_ms).toBeCloseTo(recordedMs, -1);
    const rs = blockCorrelations(recorded, source).sort((x, y) => x - y);
    expect(rs.length).toBeGreaterThanOrEqual(6);
    expect(rs[Math.floor(rs.length / 4)]).toBeGreaterThanOrEqual(0.9); // three blocks in four at least
    console.info(
      `recorded ${recordedMs.toFixed(0)} ms in ${wallMs.toFixed(0)} ms of wall time; waveform r of ${rs.length} ` +
        `loud half seconds: ${rs.map((r) => r.toFixed(3)).join(' ')}`,
    );
  });

  it('stops with the audio kept when the device goes away, and starts nothing when the permission is refused', async () => {
    await startRecording();
    await page.waitForTimeout(1200);
    // Unplugging a device ends its track from the browser's side; a page cannot unplug one, and track.stop() does
    // not fire `ended`, so the test sends the event the browser would.
    await page.evaluate(() => {
      const { keptStreams } = window as unknown as { keptStreams: MediaStream[] };
      keptStreams.at(-1)!.getAudioTracks()[0]!.dispatchEvent(new Event('ended'));
    });
    await record()
      .getByRole('alert')
      .getByText(/^The microphone was disconnected; the .+ recorded are kept\.$/)
      .waitFor();
    await record()
      .getByRole('region', { name: /^Saved, not transcribed/ })
      .waitFor();
    const lost = rows()[1]!;
    expect(lost.status).toBe('finished');
    const kept = await journal(lost.id);
    expect(kept.length / 16).toBeGreaterThan(1000);

    await page.context().clearPermissions();
    await record().getByRole('button', { name: 'Start recording' }).click();
    await record().getByRole('alert').getByText('FunScribe is not allowed to use the microphone.').waitFor();
    await record().getByRole('button', { name: 'Start recording' }).waitFor();
    expect(rows()).toHaveLength(2);
    expect(rows().filter((stored) => stored.status === 'recording')).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });
});
