// The data-folder store over the real services (a temp data folder and location file) through the IPC dispatch the
// desktop app uses: read when first read (again after nobody read it), a folder picked and confirmed shown as the
// next start's and dropped again, a refused confirm thrown with nothing changed, a fixed folder, and a read refused.
import { get } from 'svelte/store';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServices, type Services } from '../../../src-main/services.js';
import { readDataFolderLocation, writeDataFolderLocation } from '../../../src-main/util/data-dir.js';
import type * as FolderStore from '../../../src-renderer/lib/stores/data-folder.js';
import { offerFolderPicks } from '../../helpers/folder-picks.js';
import { realBridge } from '../../helpers/real-bridge.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let data: Awaited<ReturnType<typeof makeTempDir>>;
let elsewhere: Awaited<ReturnType<typeof makeTempDir>>;
let services: Services;

/** The store module loaded afresh over the real bridge, its calls coming from `frameUrl` (default: the app's page). */
async function loadStore(frameUrl?: string): Promise<typeof FolderStore> {
  vi.stubGlobal('window', { funscribe: realBridge(services, frameUrl).bridge });
  vi.resetModules();
  return import('../../../src-renderer/lib/stores/data-folder.js');
}

/** What the store shows once its read has answered. */
async function read(store: typeof FolderStore): Promise<FolderStore.DataFolderState> {
  await vi.waitFor(() => {
    const { folder, error } = get(store.dataFolder);
    expect(folder !== null || error !== null).toBe(true);
  });
  return get(store.dataFolder);
}

beforeAll(async () => {
  data = await makeTempDir('data-folder-store');
  elsewhere = await makeTempDir('data-folder-store-elsewhere');
  services = await createServices({ dataDir: data.path });
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await services?.close();
  await data?.remove();
  await elsewhere?.remove();
});

describe('the data-folder store', () => {
  it('shows the folder in use and the one picked and confirmed for the next start, until it is dropped', async () => {
    const { papers, target, locationFile } = await offerFolderPicks(services, elsewhere.path);

    const store = await loadStore();
    let stop = store.dataFolder.subscribe(() => undefined);
    const first = await read(store);
    expect(first).toEqual({
      folder: { path: data.path, changeable: true, next: null, error: null },
      error: null,
    });

    // A folder of other files is refused when confirmed: thrown, and nothing shown or saved changes.
    expect(await store.pickDataFolder()).toEqual({ path: papers, kind: 'not-library' });
    await expect(store.confirmDataFolder()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(get(store.dataFolder)).toBe(first);
    expect(readDataFolderLocation(locationFile).next).toBeNull();

    expect(await store.pickDataFolder()).toEqual({ path: target, kind: 'empty' });
    await store.confirmDataFolder();
    expect(get(store.dataFolder).folder?.next).toEqual({ path: target, kind: 'empty' });
    expect(readDataFolderLocation(locationFile)).toEqual({ current: data.path, next: target, error: null });
    await store.keepCurrentDataFolder();
    expect(get(store.dataFolder).folder?.next).toBeNull();
    expect(readDataFolderLocation(locationFile).next).toBeNull();
    expect(await store.pickDataFolder()).toBeNull();

    // Read again when read again after nobody did: e.g. why the move at the last start failed.
    stop();
    writeDataFolderLocation(locationFile, { current: data.path, next: null, error: 'The disk is full.' });
    stop = store.dataFolder.subscribe(() => undefined);
    await vi.waitFor(() => expect(get(store.dataFolder).folder?.error).toBe('The disk is full.'));
    stop();
  });

  it('shows a fixed folder as not changeable and throws when it is changed', async () => {
    services.dataFolderChoice = undefined;
    const store = await loadStore();
    const stop = store.dataFolder.subscribe(() => undefined);
    expect(await read(store)).toEqual({
      folder: { path: data.path, changeable: false, next: null, error: null },
      error: null,
    });
    await expect(store.pickDataFolder()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(store.keepCurrentDataFolder()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(get(store.dataFolder).folder?.changeable).toBe(false);
    stop();
  });

  it('shows why the folder could not be read: main answers no page but the app', async () => {
    const store = await loadStore('https://elsewhere.example/');
    const stop = store.dataFolder.subscribe(() => undefined);
    expect(await read(store)).toMatchObject({ folder: null, error: { code: 'FORBIDDEN' } });
    stop();
  });
});
