// The built renderer in Debian's Chromium (the same major as Electron's), with `window.funscribe` bridged to the real
// services over a loopback websocket: pick a file → it is transcribed by the stand-in → it shows up, opens, and is found.
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS } from '../../src-main/api/contract.js';
import { createServices, type Services } from '../../src-main/services.js';
import { startSimServer, type SimServer } from '../funasr-sim/server.js';
import { generateConversation, MEETING_SCRIPT, type Conversation } from '../fixtures/speech.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { installBridge } from './bridge/bridge-client.js';
import { startBridgeServer, type BridgeServer } from './bridge/bridge-server.js';

const ROOT = join(import.meta.dirname, '../..');
const RENDERER_DIR = join(ROOT, 'out/renderer');
const CHROMIUM = process.env.FUNSCRIBE_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

describe('the renderer in Chromium against the real services', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let services: Services;
  let sim: SimServer;
  let bridge: BridgeServer;
  let browser: Browser;
  let page: Page;
  let conversation: Conversation;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const speechDir = join(ROOT, 'test/fixtures/generated/speech');
    await mkdir(speechDir, { recursive: true });
    conversation = await generateConversation(speechDir, 'meeting-4-turns', MEETING_SCRIPT);
    data = await makeTempDir('renderer');
    sim = await startSimServer({ protocol: 'offline', port: 0, language: 'zh', log: () => undefined });
    services = await createServices({ dataDir: data.path });
    services.updateSettings({ engineMode: 'remote', remoteEngines: [{ url: sim.url, concurrency: 2 }] });
    bridge = await startBridgeServer(services, RENDERER_DIR);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.addInitScript(installBridge, {
      methods: API_METHODS,
      filesDir: dirname(conversation.wavPath),
    });
    await page.goto(bridge.url);
  });

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await services?.close();
    await sim?.close();
    await data?.remove();
  });

  it('transcribes a picked file, lists it, opens it and finds a word in it', async () => {
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
    await page.locator('input[type=file]').setInputFiles(conversation.wavPath);

    const title = basename(conversation.wavPath, '.wav');
    const listed = page.getByText(title, { exact: true });
    await listed.waitFor({ timeout: 30_000 });
    await listed.click();
    await page.getByText('Speaker 1').first().waitFor();
    const stored = services.meetings.list()[0]!;
    const meeting = services.meetings.get(stored.id)!;
    for (const segment of meeting.segments) {
      await page.getByText(segment.text).first().waitFor();
    }

    await page.getByRole('searchbox').or(page.locator('input[type=search]')).first().fill('预算');
    const mark = page.locator('mark', { hasText: '预算' }).first();
    await mark.waitFor({ timeout: 10_000 });
    expect(await page.locator('mark').count()).toBeGreaterThan(0);
    await mkdir(join(ROOT, '.cache/e2e'), { recursive: true });
    await page.screenshot({ path: join(ROOT, '.cache/e2e/renderer-search.png') });
    expect(consoleErrors).toEqual([]);
  });

  it('shows a clear error for a file that is not audio and keeps the library intact', async () => {
    const before = services.meetings.count();
    await page.locator('input[type=file]').setInputFiles({
      name: 'notes.mp3',
      mimeType: 'audio/mpeg',
      buffer: Buffer.from('not audio'),
    });
    await page
      .getByText(/does not exist|not an audio/i)
      .first()
      .waitFor({ timeout: 15_000 });
    expect(services.meetings.count()).toBe(before);
  });
});
