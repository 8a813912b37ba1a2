// The engine panel while the GPU engine converts its model on the first start, in Chromium against the real services,
// the real Docker daemon and the stand-in image playing the GPU image's binary. This machine has no NVIDIA GPU, so the
// container the app would create is made here (not started) without its GPU request, with the same labels and spec
// hash; the panel's Start then finds it, starts it, follows its log and shows the conversion as a state of its own.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src-main/application/library-maintenance.js';
import { CATALOG } from '../../src-main/engine/catalog.js';
import { modelsVolumeName } from '../../src-main/engine/container-spec.js';
import { connectDocker } from '../../src-main/engine/docker-connection.js';
import { DockerEngine } from '../../src-main/engine/docker-engine.js';
import { EngineSettingsStore } from '../../src-main/engine/engine-settings.js';
import { choosePort } from '../../src-main/engine/host-port.js';
import { createServices, type Services } from '../../src-main/services.js';
import { openDatabase } from '../../src-main/store/database.js';
import { SettingsRepository } from '../../src-main/store/settings-repo.js';
import { requireSimImage } from '../docker/engine/engine-test-kit.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { openAppPage, screenshotPath, type AppPage } from './bridge/page-fixture.js';

const docker = connectDocker();
const engine = new DockerEngine(docker);
const instance = `e2e-export-${randomBytes(3).toString('hex')}`;
const ASR = CATALOG['offline-gpu'].models.find((model) => model.role === 'asr')!.id;

describe('the engine panel while the GPU engine converts its model', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let services: Services;
  let app: AppPage;

  beforeAll(async () => {
    const image = (await requireSimImage(docker)).localTag;
    data = await makeTempDir('engine-export');
    const library = openDatabase(join(data.path, DATABASE_FILE));
    new EngineSettingsStore(new SettingsRepository(library)).update({
      gpu: true,
      port: await choosePort(24000),
    });
    library.close();
    services = await createServices({
      dataDir: data.path,
      env: { ...process.env, FUNSCRIBE_ENGINE_INSTANCE: instance, FUNSCRIBE_IMAGE_OFFLINE_GPU: image },
    });
    const spec = services.engine.plannedContainer();
    const { DeviceRequests, ...hostConfig } = spec.HostConfig ?? {};
    expect(DeviceRequests).toHaveLength(1);
    const id = await engine.create({
      ...spec,
      Env: [
        ...(spec.Env ?? []),
        'FUNASR_SIM_BUILD=gpu',
        'FUNASR_SIM_DOWNLOAD_MS=200',
        'FUNASR_SIM_EXPORT_MS=600000',
      ],
      HostConfig: hostConfig,
    });
    expect(id).toBeTruthy();
    app = await openAppPage(services);
  });

  afterAll(async () => {
    await app?.close();
    for (const container of await engine.findManaged(instance)) await engine.remove(container.id);
    await engine.removeVolume(modelsVolumeName(instance));
    await services?.close();
    await data?.remove();
  });

  it('shows "Converting models" with the model and what to expect, and can be stopped', async () => {
    const panel = app.page.getByRole('region', { name: 'Set up transcription' });
    await panel.getByRole('button', { name: 'Start' }).click();
    const state = panel.getByRole('status');
    await state.getByText('Converting models', { exact: true }).waitFor({ timeout: 20_000 });
    await panel
      .getByText(
        `Converting model ${ASR} to model_blade.torchscript (first start only; this can take many minutes)`,
      )
      .waitFor();
    expect(await panel.getByRole('button', { name: 'Stop' }).isEnabled()).toBe(true);
    await panel.screenshot({ path: await screenshotPath('engine-panel-exporting') });
    await panel.getByRole('button', { name: 'Stop' }).click();
    await state.getByText('Stopped', { exact: true }).waitFor({ timeout: 20_000 });
    expect(app.consoleErrors).toEqual([]);
  });
});
