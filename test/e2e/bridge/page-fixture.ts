// The built renderer opened in Debian's Chromium with `window.funscribe` bridged to the given services: what every
// browser test starts from. Page errors and console errors are collected so tests can assert there were none.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { API_METHODS } from '../../../src-shared/contract.js';
import type { Services } from '../../../src-main/services.js';
import { installBridge } from './bridge-client.js';
import { startBridgeServer, type BridgeServer } from './bridge-server.js';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '../../..');
const RENDERER_DIR = join(ROOT, 'out/renderer');
const SCREENSHOT_DIR = join(ROOT, '.cache/e2e');
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

/** The app open in a browser page, and what closes it again. */
export interface AppPage {
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  consoleErrors: string[];
  /** Sends an event to the page as the main process would. */
  emit: BridgeServer['emit'];
  /** Closes the browser and the bridge (not the services: the caller owns them). */
  close(): Promise<void>;
}

/** Options of `openAppPage`. */
export interface AppPageOptions {
  /** Where picked or dropped files are found (a browser File has no path); default the temp dir. */
  filesDir?: string;
  /** More Chromium switches (e.g. the fake microphone's). */
  chromiumArgs?: string[];
  /** The browser's environment (default this process's), e.g. one that reaches a PulseAudio of the test's own. */
  env?: NodeJS.ProcessEnv;
}

/** Serves the built renderer, opens it in Chromium with the bridge installed, and waits for the page to load. */
export async function openAppPage(services: Services, options: AppPageOptions = {}): Promise<AppPage> {
  const bridge: BridgeServer = await startBridgeServer(services, RENDERER_DIR);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, ...(options.chromiumArgs ?? [])],
      ...(options.env && { env: options.env }),
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    // tsx (the benches) compiles with keepNames, so functions sent to the page call esbuild's __name helper.
    await page.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
    await page.addInitScript(installBridge, { methods: API_METHODS, filesDir: options.filesDir ?? tmpdir() });
    await page.goto(bridge.url);
    const opened = browser;
    return {
      page,
      consoleErrors,
      emit: bridge.emit,
      close: async () => {
        await opened.close();
        await bridge.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await bridge.close();
    throw error;
  }
}

/** The path to save a screenshot named `name` at (`.cache/e2e/<name>.png`), its folder created. */
export async function screenshotPath(name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}
