// The speaker-models store over the real services (a temp data folder, models served by a local HTTP mirror) through
// the IPC dispatch the desktop app uses: it lists the catalog when first read and again when the saved choice changes,
// shows the progress of the download it started (not another window's), then the model installed and chosen; a failed
// download is shown with the saved choice put back; and it stops listening when nobody reads it.
import { createHash, randomBytes } from 'node:crypto';
import { get } from 'svelte/store';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServices, type Services } from '../../../src-main/services.js';
import {
  mirrorAt,
  SPEAKER_MODELS,
  type SpeakerModelEntry,
} from '../../../src-main/speakers/models/model-catalog.js';
import type * as RendererApi from '../../../src-renderer/lib/api.js';
import type * as ModelsStore from '../../../src-renderer/lib/stores/speaker-models.js';
import type * as SettingsStore from '../../../src-renderer/lib/stores/settings.js';
import { startFileServer, type FileServer } from '../../helpers/http-file-server.js';
import { realBridge, type RealBridge } from '../../helpers/real-bridge.js';
import { settingsWithoutPage } from './settings-without-page.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** A model file of eight progress steps (main reports every 64 KiB), sent in 64 KiB chunks with pauses between. */
const MODEL_BYTES = randomBytes(8 * 64 * 1024);

/** A catalog model whose file is MODEL_BYTES, served by the local mirror. */
function servedModel(entry: SpeakerModelEntry, url: string): SpeakerModelEntry {
  return {
    ...entry,
    sizeBytes: MODEL_BYTES.length,
    sha256: createHash('sha256').update(MODEL_BYTES).digest('hex'),
    mirrors: [mirrorAt(url, 'global')],
  };
}

const [CHOSEN, OTHER_WINDOW, REFUSED] = SPEAKER_MODELS.slice(0, 3).map((entry) => entry.id) as [
  string,
  string,
  string,
];

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let services: Services;
let mirror: FileServer;
let real: RealBridge;

/** Fresh store modules over the real bridge (the settings store without a page to apply them to). */
async function loadStores(): Promise<{
  models: typeof ModelsStore;
  settings: typeof SettingsStore;
  api: typeof RendererApi.api;
  onEvent: typeof RendererApi.onEvent;
}> {
  real = realBridge(services);
  vi.stubGlobal('window', { funscribe: real.bridge });
  vi.resetModules();
  vi.doMock('../../../src-renderer/lib/stores/settings.js', settingsWithoutPage);
  const models = await import('../../../src-renderer/lib/stores/speaker-models.js');
  const settings = await import('../../../src-renderer/lib/stores/settings.js');
  const { api, onEvent } = await import('../../../src-renderer/lib/api.js');
  return { models, settings, api, onEvent };
}

beforeAll(async () => {
  temp = await makeTempDir('speaker-models-store');
  mirror = await startFileServer(MODEL_BYTES, { slowDelayMs: 40, slowChunkBytes: 64 * 1024 });
  services = await createServices({
    dataDir: temp.path,
    speakerModelCatalog: SPEAKER_MODELS.slice(0, 3).map((entry) => servedModel(entry, mirror.url)),
  });
});

afterAll(async () => {
  vi.doUnmock('../../../src-renderer/lib/stores/settings.js');
  vi.unstubAllGlobals();
  await services?.close();
  await mirror?.close();
  await temp?.remove();
});

describe('the speaker-models store', () => {
  it('lists the models, shows the progress of its own download, and lists again when the saved choice changes', async () => {
    const { models, settings, api, onEvent } = await loadStores();
    const shown = (): ModelsStore.SpeakerModelsState => get(models.speakerModels);
    const stop = models.speakerModels.subscribe(() => undefined);
    await settings.loadSettings();
    await vi.waitFor(() => expect(shown().list).not.toBeNull());
    expect(shown().list).toMatchObject({ selected: null, region: 'global' });
    expect(shown().list!.models.map(({ id, installed, selected }) => ({ id, installed, selected }))).toEqual(
      [CHOSEN, OTHER_WINDOW, REFUSED].map((id) => ({ id, installed: false, selected: false })),
    );

    // A download started elsewhere (another window) reports progress, but is not this window's to show.
    let otherProgress = 0;
    const stopCounting = onEvent('speaker-model:progress', () => (otherProgress += 1));
    await api.downloadSpeakerModel(OTHER_WINDOW);
    expect(otherProgress).toBeGreaterThan(1);
    expect(shown().downloading).toBeNull();
    stopCounting();

    // Its own: shown from 0 at once, then advancing as main reports it, gone when the model is installed.
    const listings = real.answers('listSpeakerModels');
    const choice = models.chooseSpeakerModel(CHOSEN);
    expect(shown().downloading).toEqual({ id: CHOSEN, done: 0, total: MODEL_BYTES.length });
    await vi.waitFor(() => expect(shown().downloading?.done).toBeGreaterThan(0));
    const first = shown().downloading!.done;
    await vi.waitFor(() => expect(shown().downloading?.done).toBeGreaterThan(first));
    expect(shown().downloading!.total).toBe(MODEL_BYTES.length);
    await choice;
    expect(shown()).toMatchObject({ downloading: null, error: null });
    expect(get(settings.settings)?.speakerModel).toBe(CHOSEN);
    // The saved choice came back through the settings, and the models were listed again for it.
    await vi.waitFor(() => expect(shown().list?.selected).toBe(CHOSEN));
    expect(real.answers('listSpeakerModels')).toBe(listings + 1);
    const installed = shown()
      .list!.models.filter((model) => model.installed)
      .map((model) => model.id);
    expect(installed).toEqual([CHOSEN, OTHER_WINDOW]);

    // Chosen elsewhere and the settings loaded again: listed again with that choice.
    services.updateSettings({ speakerModel: null });
    await settings.loadSettings();
    await vi.waitFor(() => expect(shown().list?.selected).toBeNull());

    stop();
    expect(real.listenerCount('speaker-model:progress')).toBe(0);
  });

  it('shows a failed download, with nothing downloading and the saved choice shown again', async () => {
    const { models, settings } = await loadStores();
    const shown = (): ModelsStore.SpeakerModelsState => get(models.speakerModels);
    const stop = models.speakerModels.subscribe(() => undefined);
    await settings.loadSettings();
    await vi.waitFor(() => expect(shown().list).not.toBeNull());

    mirror.behaviour.status = 404;
    const settingsLoads = real.answers('getSettings');
    await models.chooseSpeakerModel(REFUSED);
    expect(shown().error).toMatchObject({ code: 'MODEL_DOWNLOAD_FAILED' });
    expect(real.answers('getSettings')).toBe(settingsLoads + 1);
    expect(shown().downloading).toBeNull();
    expect(get(settings.settings)?.speakerModel).toBeNull();
    expect(shown().list!.models.find((model) => model.id === REFUSED)?.installed).toBe(false);
    expect(mirror.requests.at(-1)?.path).toBe('/model.onnx');

    // The next choice starts without the old error; an installed model is chosen without a download.
    const choice = models.chooseSpeakerModel(CHOSEN);
    expect(shown()).toMatchObject({ error: null, downloading: null });
    await choice;
    await vi.waitFor(() => expect(shown().list?.selected).toBe(CHOSEN));
    stop();
  });
});
