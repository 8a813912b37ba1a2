// The engine panel in Chromium against the real services: a managed engine whose Docker daemon cannot be reached (a
// socket path that does not exist), and remote engines that are a real stand-in server and a closed loopback port.
// No container is started here; the Docker tests cover that.
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src-main/services.js';
import { startSimServer, type SimServer } from '../funasr-sim/server.js';
import { startAppFixture, type AppFixture } from './bridge/app-fixture.js';
import { screenshotPath, type AppPage } from './bridge/page-fixture.js';

/** The engine panel of the settings (opened from the top bar). */
async function enginePanel(app: AppPage): Promise<Locator> {
  await app.page.getByRole('button', { name: 'Settings' }).click();
  return app.page.getByRole('region', { name: 'Engine' });
}

describe('the engine panel with Docker unreachable', () => {
  let fixture: AppFixture;
  let services: Services;
  let app: AppPage;

  beforeAll(async () => {
    fixture = await startAppFixture('engine-panel-managed', {
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' },
    });
    services = fixture.services;
    services.meetings.create({
      title: 'Budget review',
      source: '/recordings/budget.m4a',
      durationMs: 4000,
      speakers: [{ label: 'Speaker 1' }],
      segments: [{ startMs: 0, endMs: 4000, text: '今天讨论项目预算', tokens: [], speakerIndex: 0 }],
    });
    app = await fixture.open();
  });

  afterAll(() => fixture?.close());

  it('says Docker is not running, shows the error on Start, and the rest of the app keeps working', async () => {
    const panel = await enginePanel(app);
    await panel.getByText('Managed by FunScribe in Docker').waitFor();
    const state = panel.getByRole('status');
    await state.getByText('Docker is not running', { exact: true }).waitFor();
    await panel.getByText(/daemon is not running \(there is no \/nonexistent\.sock\)/).waitFor();
    expect(await panel.getByRole('alert').count()).toBe(0);

    await panel.getByRole('button', { name: 'Start' }).click();
    const alert = panel.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('daemon is not running');
    expect(await state.textContent()).toBe('Docker is not running');
    expect(await panel.getByText(/daemon is not running/).count()).toBe(1);
    await panel.getByRole('button', { name: 'Start' }).waitFor();
    await panel.getByRole('radio', { name: 'NVIDIA GPU' }).click();
    await expect.poll(async () => (await services.engine.status()).gpu).toBe(true);
    expect(services.engine.plannedContainer().HostConfig?.DeviceRequests).toHaveLength(1);
    await panel.getByRole('radio', { name: 'CPU' }).click();
    await expect.poll(async () => (await services.engine.status()).gpu).toBe(false);
    await panel.screenshot({ path: await screenshotPath('engine-panel') });

    await app.page.getByText('Budget review', { exact: true }).click();
    await app.page.getByText('今天讨论项目预算').first().waitFor();
    await app.page.getByRole('searchbox').or(app.page.locator('input[type=search]')).first().fill('预算');
    await app.page.locator('mark', { hasText: '预算' }).first().waitFor();
    expect(app.consoleErrors).toEqual([]);
  });
});

describe('the engine panel with remote engines', () => {
  let fixture: AppFixture;
  let services: Services;
  let sim: SimServer;
  let twopass: SimServer;
  let closedUrl: string;
  let app: AppPage;

  beforeAll(async () => {
    fixture = await startAppFixture('engine-panel-remote', { standIn: {} });
    ({ services, sim } = fixture);
    twopass = await startSimServer({ protocol: '2pass', port: 0, log: () => undefined });
    const closed = await startSimServer({ protocol: 'offline', port: 0, log: () => undefined });
    closedUrl = closed.url;
    await closed.close();
    services.updateSettings({
      engineMode: 'remote',
      remoteEngines: [
        { url: sim.url, concurrency: 2 },
        { url: twopass.url, concurrency: 1 },
        { url: closedUrl, concurrency: 1 },
      ],
    });
    app = await fixture.open();
  });

  afterAll(async () => {
    await fixture?.close();
    await twopass?.close();
  });

  it('checks each server: live ones answer with a latency and their kind, the closed one shows its error', async () => {
    const panel = await enginePanel(app);
    await panel.getByText('Remote FunASR servers').waitFor();
    const live = panel.getByRole('listitem').filter({ hasText: sim.url });
    const closed = panel.getByRole('listitem').filter({ hasText: closedUrl });
    expect(await live.count()).toBe(1);
    expect(await closed.count()).toBe(1);

    await panel.getByRole('button', { name: 'Check' }).click();
    await live.getByText(/^OK, \d+ ms$/).waitFor();
    await live.getByText('Offline file server · token times', { exact: true }).waitFor();
    const streaming = panel.getByRole('listitem').filter({ hasText: twopass.url });
    await streaming.getByText('2pass streaming server · token times', { exact: true }).waitFor();
    expect(sim.sessions).toHaveLength(1);
    expect(twopass.sessions).toHaveLength(1);
    const port = new URL(closedUrl).port;
    await closed.getByText(new RegExp(`FunASR server at .*:${port}`)).waitFor();
    expect(await closed.textContent()).not.toContain('OK,');
    await panel.getByRole('button', { name: 'Check' }).waitFor();
    await panel.screenshot({ path: await screenshotPath('engine-panel-remote') });
    expect(app.consoleErrors).toEqual([]);
  });
});
