// The first run and the settings in Chromium against the real services: Docker unreachable (a DOCKER_HOST socket
// nobody listens on), so the first run offers a FunASR server, here the stand-in; its Check shows latency and kind.
// Then the settings: language, theme, ITN, region, audio copies and export format saved at once (read back from the
// settings), a hotword import whose bad line is named by number and its export, a voice model downloaded from a
// local HTTP mirror with its progress bar advancing, axe on every section in both themes, and screenshots in both
// languages and themes.
// With the real Docker daemon and an image in the local test registry (the stand-in, with its model downloads and
// loading slowed down), the first run says how many GB Start will download, then shows each step of the start.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src-main/engine/catalog.js';
import { modelsVolumeName } from '../../src-main/engine/container-spec.js';
import { connectDocker } from '../../src-main/engine/docker-connection.js';
import { DockerEngine } from '../../src-main/engine/docker-engine.js';
import { compressedImageBytes } from '../../src-main/engine/registry-manifest.js';
import { createServices, type Services } from '../../src-main/services.js';
import {
  mirrorAt,
  SPEAKER_MODELS,
  type SpeakerModelEntry,
} from '../../src-main/speakers/models/model-catalog.js';
import { readDataFolderLocation } from '../../src-main/util/data-dir.js';
import { gigabytes } from '../../src-renderer/lib/engine.js';
import {
  buildVariant,
  deleteFromRegistry,
  pushVariant,
  removeImage,
  requireSimImage,
} from '../docker/engine/engine-test-kit.js';
import type { SimServer } from '../funasr-sim/server.js';
import { offerFolderPicks } from '../helpers/folder-picks.js';
import { startFileServer, type FileServer } from '../helpers/http-file-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { expectNoSeriousA11yViolations } from './bridge/axe.js';
import { startAppFixture, type AppFixture, type TempDir } from './bridge/app-fixture.js';
import { openAppPage, screenshotPath, type AppPage } from './bridge/page-fixture.js';

/** The voice model's bytes as the local mirror serves them: enough for several progress steps of the download. */
const MODEL_BYTES = randomBytes(1_500_000);

/** The first catalog model, its file served by the local HTTP server at `url` (size and checksum of MODEL_BYTES). */
function servedModel(url: string): SpeakerModelEntry {
  return {
    ...SPEAKER_MODELS[0]!,
    sizeBytes: MODEL_BYTES.length,
    sha256: createHash('sha256').update(MODEL_BYTES).digest('hex'),
    mirrors: [mirrorAt(url, 'global')],
  };
}

const SECTIONS = {
  en: ['Engine', 'Hotwords', 'Transcription', 'Performance', 'Interface', 'Library'],
  zh: ['转写引擎', '热词', '转写', '性能', '界面', '资料库'],
} as const;

describe('first run and settings', () => {
  let fixture: AppFixture;
  let data: TempDir;
  let services: Services;
  let sim: SimServer;
  let app: AppPage;
  let page: Page;
  let modelServer: FileServer;

  const firstRun = (): Locator => page.getByRole('region', { name: /Set up transcription|设置转写/ });
  const section = (name: string): Locator => page.getByRole('tab', { name, exact: true });

  beforeAll(async () => {
    modelServer = await startFileServer(MODEL_BYTES, { slowDelayMs: 250, slowChunkBytes: 128 * 1024 });
    fixture = await startAppFixture('settings-e2e', {
      standIn: {},
      speakerModelCatalog: [servedModel(modelServer.url)],
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/funscribe-docker.sock' },
      settings: { interfaceLanguage: 'zh-CN', theme: 'light' },
    });
    ({ data, services, sim } = fixture);
    app = await fixture.open();
    page = app.page;
  });

  afterAll(async () => {
    await fixture?.close();
    await modelServer?.close();
  });

  it('without Docker says so, and a FunASR server added there is checked: latency and kind', async () => {
    await firstRun().getByText('在本机运行 FunASR 需要 Docker。').waitFor();
    await firstRun().getByRole('status').getByText('Docker 未运行', { exact: true }).waitFor();
    await firstRun()
      .getByText(/^Docker 未运行。请启动 Docker/)
      .waitFor();
    await page.screenshot({ path: await screenshotPath('first-run-zh') });
    await expectNoSeriousA11yViolations(page, 'first run, light, 中文', 'main');

    services.updateSettings({ interfaceLanguage: 'en' });
    await page.reload();
    await firstRun().getByText('Docker is needed to run FunASR on this computer.').waitFor();
    await firstRun().getByRole('status').getByText('Docker is not running', { exact: true }).waitFor();
    await firstRun()
      .getByText(/daemon is not running \(there is no \/nonexistent\/funscribe-docker\.sock\)/)
      .waitFor();
    await page.screenshot({ path: await screenshotPath('first-run-en') });

    await firstRun().getByLabel('Server address').fill('http://not-a-funasr-server');
    await firstRun().getByRole('button', { name: 'Add' }).click();
    await firstRun()
      .getByRole('alert')
      .getByText(/ws:\/\/127\.0\.0\.1:10095/)
      .waitFor();
    expect(services.settings.get().remoteEngines).toEqual([]);

    await firstRun().getByLabel('Server address').fill(sim.url);
    await firstRun().getByRole('button', { name: 'Add' }).click();
    const server = firstRun().getByRole('listitem').filter({ hasText: sim.url });
    await server.getByText(/^OK, \d+ ms$/).waitFor();
    await server.getByText('Offline file server · token times', { exact: true }).waitFor();
    expect(sim.sessions.length).toBeGreaterThanOrEqual(1);
    expect(services.settings.get()).toMatchObject({
      engineMode: 'remote',
      remoteEngines: [{ url: sim.url, concurrency: 1 }],
    });
    await server.getByRole('spinbutton', { name: `Files at once on ${sim.url}` }).fill('3');
    await server.getByRole('spinbutton', { name: `Files at once on ${sim.url}` }).press('Enter');
    await expect
      .poll(() => services.settings.get().remoteEngines)
      .toEqual([{ url: sim.url, concurrency: 3 }]);
    expect(app.consoleErrors).toEqual([]);
  });

  it('saves language, theme, ITN, region, audio copies and export format at once, and names the bad line of a hotword import', async () => {
    // The folder dialog answers with these folders in turn; the location file is the test's own.
    const elsewhere = await makeTempDir('settings-e2e-elsewhere');
    const { target, locationFile } = await offerFolderPicks(services, elsewhere.path);
    await page.getByRole('button', { name: 'Settings' }).click();
    await section('Interface').click();
    await page.getByRole('radio', { name: 'Dark' }).click();
    await expect.poll(() => services.settings.get().theme).toBe('dark');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByRole('radio', { name: 'Light' }).click();
    await expect.poll(() => services.settings.get().theme).toBe('light');

    await section('Transcription').click();
    await page.getByRole('switch', { name: 'Write numbers as digits' }).click();
    await expect.poll(() => services.settings.get().itn).toBe(false);
    await page.getByRole('radio', { name: 'Mainland China mirrors' }).click();
    await expect.poll(() => services.settings.get().modelRegion).toBe('cn');

    await section('Performance').click();
    const concurrency = page.getByRole('spinbutton', { name: 'Files transcribed at once' });
    await concurrency.fill('17');
    await concurrency.press('Enter');
    await page.getByRole('alert').getByText('must be a whole number from 1 to 16').waitFor();
    expect(services.settings.get().concurrency).toBe(2);

    await section('Hotwords').click();
    await page.getByRole('button', { name: 'New list' }).click();
    await page.getByRole('radio', { name: 'List 1' }).waitFor();
    await page.getByLabel('Hotword file to import').setInputFiles({
      name: 'terms.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('阿里巴巴 20\n\n通义实验室 abc\nElectron Forge 12\n'),
    });
    const report = page.getByRole('status').filter({ hasText: 'imported' });
    await report.getByText('2 hotwords imported into “List 1”.').waitFor();
    await report.getByText('Line 3: the weight is not a number').waitFor();
    expect(services.settings.get().hotwordLists).toEqual([
      {
        name: 'List 1',
        hotwords: [
          { phrase: '阿里巴巴', weight: 20 },
          { phrase: 'Electron Forge', weight: 12 },
        ],
      },
    ]);
    // The export writes the list back in FunASR's `phrase weight` format.
    const [exported] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    expect(await readFile((await exported.path())!, 'utf8')).toBe('阿里巴巴 20\nElectron Forge 12\n');
    await page.getByRole('switch', { name: 'Use for new transcriptions' }).click();
    await expect.poll(() => services.settings.get().hotwords).toHaveLength(2);

    await section('Library').click();
    await page.getByRole('status', { name: 'Data folder' }).getByText(data.path, { exact: true }).waitFor();
    await page.getByRole('radio', { name: 'Title' }).click();
    await expect.poll(() => services.settings.get().libraryOrder).toBe('title');
    await page.getByRole('button', { name: 'Sort: Title' }).waitFor();
    await page.getByRole('radio', { name: 'Newest first' }).click();
    await expect.poll(() => services.settings.get().libraryOrder).toBe('date');
    await page.getByRole('switch', { name: 'Keep audio for playback' }).click();
    await expect.poll(() => services.settings.get().keepAudioCopies).toBe(false);
    await page.getByRole('radio', { name: 'SRT' }).click();
    await expect.poll(() => services.settings.get().defaultExportFormat).toBe('srt');

    const choose = page.getByRole('button', { name: 'Choose another folder…' });
    await choose.click();
    await page.getByText(/^This folder holds other files and no FunScribe library\./).waitFor();
    expect(await page.getByRole('button', { name: 'Use after restart' }).count()).toBe(0);
    await choose.click();
    await page
      .getByText(/^This folder is empty\. At the next start FunScribe copies your library there/)
      .waitFor();
    await page.getByRole('button', { name: 'Use after restart' }).click();
    await page.getByTestId('data-folder-next').getByText(target, { exact: true }).waitFor();
    expect(readDataFolderLocation(locationFile)).toEqual({ current: data.path, next: target, error: null });
    await expectNoSeriousA11yViolations(page, 'settings, data folder chosen', 'main');
    await page.screenshot({ path: await screenshotPath('settings-en-light-data-folder') });
    await page.getByRole('button', { name: 'Keep the current folder' }).click();
    await expect.poll(() => readDataFolderLocation(locationFile).next).toBeNull();
    await page.getByTestId('data-folder-next').waitFor({ state: 'detached' });
    await elsewhere.remove();

    await section('Interface').click();
    await page.getByRole('radio', { name: '简体中文' }).click();
    await expect.poll(() => services.settings.get().interfaceLanguage).toBe('zh-CN');
    await section('界面').waitFor();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByRole('radio', { name: 'English' }).click();
    await section('Interface').waitFor();
    expect(app.consoleErrors).toEqual([]);
  });

  it('downloads the chosen voice model from its mirror, the progress bar advancing, then uses it', async () => {
    await section('Transcription').click();
    const model = page.getByRole('radio', { name: /^CAM\+\+ \(Chinese\) · 2 MB$/ });
    await model.click();
    const bar = page.getByRole('progressbar', { name: 'Downloading CAM++ (Chinese)' });
    await bar.waitFor();
    expect(await bar.getAttribute('max')).toBe(String(MODEL_BYTES.length));
    expect(await page.getByRole('radio', { name: 'Voice statistics (no download)' }).isDisabled()).toBe(true);
    const done = async (): Promise<number> =>
      Number(await bar.evaluate((el) => (el as HTMLProgressElement).value));
    await expect.poll(done).toBeGreaterThan(0);
    const first = await done();
    await expect.poll(done).toBeGreaterThan(first);
    expect(await done()).toBeLessThan(MODEL_BYTES.length);
    await expectNoSeriousA11yViolations(page, 'settings, voice model downloading', 'main');
    await page.screenshot({ path: await screenshotPath('settings-en-light-model-download') });
    modelServer.behaviour.slowDelayMs = 0;

    await bar.waitFor({ state: 'detached' });
    await page.getByRole('radio', { name: 'CAM++ (Chinese) · installed', checked: true }).waitFor();
    expect(services.settings.get().speakerModel).toBe(SPEAKER_MODELS[0]!.id);
    expect(modelServer.requests.map((request) => request.path)).toEqual(['/model.onnx']);
    await page.getByRole('radio', { name: 'Voice statistics (no download)' }).click();
    await expect.poll(() => services.settings.get().speakerModel).toBeNull();
    expect(app.consoleErrors).toEqual([]);
  });

  it('passes axe on every section in both themes and languages, with a screenshot of each look', async () => {
    const LOOK = {
      en: { choice: 'English', interface: 'Interface', light: 'Light', dark: 'Dark' },
      zh: { choice: '简体中文', interface: '界面', light: '浅色', dark: '深色' },
    } as const;
    let shown: keyof typeof LOOK = 'en';
    for (const language of ['en', 'zh'] as const) {
      for (const theme of ['light', 'dark'] as const) {
        await section(LOOK[shown].interface).click();
        await page.getByRole('radio', { name: LOOK[language].choice }).click();
        shown = language;
        await page.getByRole('radio', { name: LOOK[language][theme] }).click();
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        for (const name of SECTIONS[language]) {
          await section(name).click();
          await page.getByRole('tabpanel').waitFor();
          await expectNoSeriousA11yViolations(page, `settings ${name}, ${theme}, ${language}`, 'main');
          if (language === 'en' && theme === 'light') {
            await page.screenshot({ path: await screenshotPath(`settings-en-light-${name.toLowerCase()}`) });
          } else if (name === SECTIONS[language][2] || name === SECTIONS[language][5]) {
            const shot = name === SECTIONS[language][2] ? 'transcription' : 'library';
            await page.screenshot({ path: await screenshotPath(`settings-${language}-${theme}-${shot}`) });
          }
        }
        await section(SECTIONS[language][0]).click();
        await page.getByRole('tabpanel').getByRole('listitem').filter({ hasText: sim.url }).waitFor();
        await page.screenshot({ path: await screenshotPath(`settings-${language}-${theme}`) });
      }
    }
    expect(services.settings.get()).toMatchObject({ interfaceLanguage: 'zh-CN', theme: 'dark' });
    await page.setViewportSize({ width: 720, height: 480 });
    await section('热词').click();
    await expectNoSeriousA11yViolations(page, 'settings at 720×480', 'main');
    await page.screenshot({ path: await screenshotPath('settings-zh-dark-720') });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(app.consoleErrors).toEqual([]);
  });
});

describe('first run with Docker', () => {
  const docker = connectDocker();
  const engine = new DockerEngine(docker);
  const instance = `e2e-first-run-${randomBytes(3).toString('hex')}`;
  let image: string;
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let services: Services;
  let app: AppPage;

  beforeAll(async () => {
    const { localTag } = await requireSimImage(docker);
    const tag = `first-run-${randomBytes(4).toString('hex')}`;
    await buildVariant(docker, localTag, `funscribe/first-run:${tag}`, {
      payloadBytes: 2_000_000,
      env: { FUNASR_SIM_DOWNLOAD_MS: '1500', FUNASR_SIM_LOAD_MS: '1500' },
    });
    image = await pushVariant(docker, `funscribe/first-run:${tag}`, tag);
    data = await makeTempDir('first-run-docker');
    services = await createServices({
      dataDir: data.path,
      env: { ...process.env, FUNSCRIBE_ENGINE_INSTANCE: instance, FUNSCRIBE_IMAGE_OFFLINE_CPU: image },
    });
    app = await openAppPage(services);
    // Every step the page marks as the one in progress, in order (the DOM is watched, not sampled).
    await app.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { stepsSeen: string[] }).stepsSeen = seen;
      new MutationObserver(() => {
        const current = document.querySelector('li[aria-current="step"] .name')?.textContent ?? null;
        if (current && seen.at(-1) !== current) seen.push(current);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
  }, 600_000);

  afterAll(async () => {
    await app?.close();
    for (const container of await engine.findManaged(instance)) await engine.remove(container.id);
    await engine.removeVolume(modelsVolumeName(instance));
    await services?.close();
    if (image) {
      await removeImage(docker, image);
      await deleteFromRegistry(image);
    }
    await data?.remove();
  });

  it('says how many GB Start will download, then shows each step until the engine is ready', async () => {
    const page = app.page;
    const firstRun = page.getByRole('region', { name: 'Set up transcription' });
    const imageBytes = await compressedImageBytes(image);
    const modelBytes = CATALOG['offline-cpu'].models.reduce((sum, model) => sum + model.approxBytes, 0);
    await firstRun
      .getByText(`About ${gigabytes(imageBytes + modelBytes)} GB to download`, { exact: true })
      .waitFor();
    const imageRow = firstRun.getByRole('definition').filter({ hasText: image });
    expect(await imageRow.getByText(`${gigabytes(imageBytes)} GB`, { exact: true }).count()).toBe(1);
    for (const model of CATALOG['offline-cpu'].models) {
      const row = firstRun.getByRole('definition').filter({ hasText: model.id });
      expect(await row.getByText(`about ${gigabytes(model.approxBytes)} GB`).count()).toBe(1);
    }
    await expectNoSeriousA11yViolations(page, 'first run with Docker', 'main');
    await page.screenshot({ path: await screenshotPath('first-run-docker-en') });

    await firstRun.getByRole('button', { name: 'Start' }).click();
    const steps = firstRun.getByRole('list', { name: 'Starting the engine' });
    await steps.waitFor();
    await steps.locator('li[aria-current="step"]', { hasText: 'Download the models' }).waitFor();
    await page.screenshot({ path: await screenshotPath('first-run-steps-en') });
    await firstRun.getByText('Transcription is ready. Drop recordings anywhere in the window.').waitFor({
      timeout: 120_000,
    });
    await firstRun
      .getByRole('status')
      .getByText(/^Ready on 127\.0\.0\.1:\d+$/)
      .waitFor();
    const seen = await page.evaluate(() => (window as unknown as { stepsSeen: string[] }).stepsSeen);
    // Pulling a 2 MB layer and creating the container may pass between two renders; the slowed-down steps may not.
    expect(seen.filter((step) => step !== 'Download the engine' && step !== 'Start the engine')).toEqual([
      'Download the models',
      'Load the models',
    ]);
    expect((await services.engine.status()).state).toBe('ready');
    expect(app.consoleErrors).toEqual([]);
  });
});
