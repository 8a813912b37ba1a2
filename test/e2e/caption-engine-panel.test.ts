// The record screen's live-caption engine in Chromium against the real services, the real Docker daemon and the
// stand-in image: while the main engine runs the 2pass kind and is ready, it says the captions come from that engine
// and offers no Start (and no caption container exists); once the main engine stops, it offers to start the caption
// engine. axe and screenshots in English and Chinese, light and dark, of both.
import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captionEngineInstance } from '../../src-main/engine/caption-engine.js';
import { connectDocker } from '../../src-main/engine/docker-connection.js';
import { DockerEngine } from '../../src-main/engine/docker-engine.js';
import { removeInstances, requireSimImage } from '../docker/engine/engine-test-kit.js';
import { startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { expectNoSeriousA11yViolations } from './bridge/axe.js';
import { chooseLook, lookName, LOOKS, screenshotScreen } from './bridge/look.js';

const docker = connectDocker();
const instance = `e2e-captions-${randomBytes(3).toString('hex')}`;

describe("the record screen's live-caption engine", () => {
  let fixture: AppFixture;
  let page: Page;
  let endpoint: string;

  beforeAll(async () => {
    const image = (await requireSimImage(docker)).localTag;
    fixture = await startAppFixture('e2e-caption-engine', {
      env: { ...process.env, FUNSCRIBE_ENGINE_INSTANCE: instance, FUNSCRIBE_IMAGE_ONLINE_CPU: image },
    });
    // The main engine starts while Chromium opens.
    const [app, main] = await Promise.all([
      fixture.open(),
      fixture.services.engine.ensureRunning({ kind: 'online-cpu' }),
    ]);
    ({ page } = app);
    ({ endpoint } = main);
    await page.getByRole('heading', { name: 'FunScribe' }).waitFor();
  });

  afterAll(async () => {
    await fixture?.close();
    await removeInstances(new DockerEngine(docker), [instance, captionEngineInstance(instance)]);
  });

  /** The panel, in either language. */
  const panel = (): Locator => page.getByRole('region', { name: /^(Live-caption engine|实时字幕引擎)$/ });
  /** Screenshots in every look, with axe in both themes and `check` of what each look shows. */
  const screenshotLooks = async (
    screen: string,
    check: (look: (typeof LOOKS)[number]) => Promise<void> = async () => undefined,
  ): Promise<void> => {
    for (const look of LOOKS) {
      await chooseLook(page, look);
      await check(look);
      await screenshotScreen(page, screen, look);
      // Both themes (contrast), in one language each.
      if (look === LOOKS[0] || look === LOOKS[2])
        await expectNoSeriousA11yViolations(page, `${screen}, ${lookName(look)}`, '.caption-engine');
    }
  };

  it('says the main engine of the 2pass kind serves the captions, and offers Start once it stops', async () => {
    await page.keyboard.press('r');
    const address = endpoint.replace('ws://', '');
    const words = {
      en:
        `Live captions come from the engine on ${address}: it runs the 2pass kind, which transcribes files and ` +
        'live speech alike, so no second engine is needed.',
      'zh-CN': `实时字幕由 ${address} 上的引擎提供：它运行 2pass 类型，既能转写文件，也能转写实时语音，因此无需第二个引擎。`,
    };
    const state = panel().getByRole('status');
    await expect.poll(async () => (await state.textContent())?.trim()).toBe(words.en);
    expect(await panel().getByRole('button').count()).toBe(0);
    expect(await fixture.services.captionEngine.status()).toMatchObject({ state: 'absent', container: null });
    await screenshotLooks('record-caption-engine-served', async (look) =>
      expect((await state.textContent())?.trim()).toBe(words[look.language]),
    );

    await chooseLook(page, LOOKS[0]!);
    await fixture.services.engine.stop();
    await panel().getByRole('button', { name: 'Start' }).waitFor();
    expect((await state.textContent())?.trim()).toBe('Not installed');
    await screenshotLooks('record-caption-engine');
  });
});
