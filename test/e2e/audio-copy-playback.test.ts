// The meeting's audio copy in Debian's Chromium (the same major as Electron's), served over HTTP with Range support the
// way the library's player reads it: it loads, has the meeting's duration and channels, seeks by range and plays.
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAudioCopy } from '../../src-main/audio/audio-copy.js';
import { decodeToPcm } from '../../src-main/audio/decode.js';
import { locateFfmpeg } from '../../src-main/audio/ffmpeg-locate.js';
import { generateConversation, MEETING_SCRIPT } from '../fixtures/speech.js';
import { startFileServer, type FileServer } from '../helpers/http-file-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { ROOT } from './bridge/page-fixture.js';

const run = promisify(execFile);
const CHROMIUM = process.env.FUNSCRIBE_CHROMIUM ?? '/usr/bin/chromium';

/** What the page's audio element reports after loading, seeking and playing. */
interface Playback {
  duration: number;
  seekedTo: number;
  playedTo: number;
  error: string | null;
}

/**
 * Runs in the page (as source text: the tests are typed without the DOM): loads the URL into an audio element, seeks
 * to 90 % once the metadata is there, plays half a second from there, and reports what the element said.
 */
const PLAY_SCRIPT = `async (url) => {
  const audio = new Audio();
  audio.muted = true;
  audio.preload = 'metadata';
  const next = (event) =>
    new Promise((resolve, reject) => {
      audio.addEventListener(event, () => resolve(), { once: true });
      audio.addEventListener('error', () => reject(new Error(audio.error?.message ?? 'media error')), { once: true });
    });
  try {
    audio.src = url;
    await next('loadedmetadata');
    const duration = audio.duration;
    audio.currentTime = duration * 0.9;
    await next('seeked');
    const seekedTo = audio.currentTime;
    await audio.play();
    while (audio.currentTime < seekedTo + 0.5) await next('timeupdate');
    audio.pause();
    return { duration, seekedTo, playedTo: audio.currentTime, error: null };
  } catch (error) {
    return { duration: NaN, seekedTo: NaN, playedTo: NaN, error: String(error) };
  }
}`;

describe('the audio copy in Chromium', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let server: FileServer;
  let browser: Browser;
  let durationMs: number;

  beforeAll(async () => {
    const speechDir = join(ROOT, 'test/fixtures/generated/speech');
    await mkdir(speechDir, { recursive: true });
    const conversation = await generateConversation(speechDir, 'meeting-4-turns', MEETING_SCRIPT);
    data = await makeTempDir('copy-playback');
    // About seven minutes of a stereo call (the conversation looped, quieter on the right).
    const source = join(data.path, 'call.wav');
    const args = ['-v', 'error', '-stream_loop', '20', '-i', conversation.wavPath];
    await run('ffmpeg', [...args, '-af', 'pan=stereo|c0=c0|c1=0.3*c0', source]);
    const tools = await locateFfmpeg();
    const decoded = await decodeToPcm(tools, source, join(data.path, 'call'));
    durationMs = decoded.durationMs;
    const copy = join(data.path, 'call.webm');
    await writeAudioCopy(tools, { pcmPath: decoded.stereoPcmPath!, channels: 2 }, copy);
    // Served slowly enough that a seek near the end comes before the data does.
    server = await startFileServer(
      await readFile(copy),
      { slowDelayMs: 10, slowChunkBytes: 32 * 1024 },
      '/a.webm',
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await data?.remove();
  });

  it('loads with the meeting’s duration, seeks near the end by a range request and plays from there', async () => {
    const page = await browser.newPage();
    const playback = (await page.evaluate(`(${PLAY_SCRIPT})(${JSON.stringify(server.url)})`)) as Playback;

    expect(playback.error).toBeNull();
    expect(Math.abs(playback.duration * 1000 - durationMs)).toBeLessThan(100);
    expect(playback.seekedTo).toBeCloseTo((durationMs / 1000) * 0.9, 0);
    expect(playback.playedTo).toBeGreaterThan(playback.seekedTo);
    const starts = server.requests.map((request) =>
      Number(/^bytes=(\d+)-/.exec(request.range ?? '')?.[1] ?? 0),
    );
    expect(Math.max(...starts)).toBeGreaterThan(0);
    await page.close();
  });
});
