// Changing the data folder on real files and a real SQLite library: a transcribed meeting (stand-in FunASR, real
// ffmpeg, its audio copy kept) is copied into an empty folder at the next start, checked and opened there with its
// audio; the old folder is left as it was. A folder with a library is opened as it is. Folders that are not usable
// are refused before the change is saved, and a copy that fails at start keeps the old folder with the reason shown.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService, type AppService } from '../../../src-main/application/app-service.js';
import { startDataFolder } from '../../../src-main/application/data-folder-change.js';
import { createServices, type Services } from '../../../src-main/services.js';
import { readDataFolderLocation } from '../../../src-main/util/data-dir.js';
import { startSimServer, type SimServer } from '../../funasr-sim/server.js';
import { generateConversation, MEETING_SCRIPT } from '../../fixtures/speech.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');

let data: Awaited<ReturnType<typeof makeTempDir>>;
let sim: SimServer;
let oldDir: string;
let locationFile: string;
let picks: string[];

/** Every file under `dir` with the SHA-256 of its bytes (SQLite's empty -wal/-shm side files left out). */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || /-(wal|shm)$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(
      path,
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex'),
    );
  }
  return files;
}

/** Opens the library in `dir` with the folder dialog answering from `picks`; runs `work`, then closes it. */
async function withLibrary<T>(
  dir: string,
  work: (app: AppService, services: Services) => Promise<T>,
): Promise<T> {
  const services = await createServices({ dataDir: dir });
  services.dataFolderChoice = { locationFile, pickFolder: async () => picks.shift() ?? null };
  try {
    return await work(createAppService(services), services);
  } finally {
    await services.close();
  }
}

/** What the next start opens, as the desktop app works it out. */
const nextStart = (): Promise<string> => startDataFolder({ locationFile, defaultDir: oldDir });

beforeAll(async () => {
  await mkdir(GENERATED, { recursive: true });
  const conversation = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  data = await makeTempDir('data-folder');
  oldDir = join(data.path, 'old library');
  locationFile = join(data.path, 'FunScribe-location.json');
  sim = await startSimServer({ protocol: 'offline', port: 0, language: 'zh', log: () => undefined });
  await withLibrary(oldDir, async (app, services) => {
    services.updateSettings({ engineMode: 'remote', remoteEngines: [{ url: sim.url, concurrency: 1 }] });
    const source = join(data.path, 'standup.wav');
    await copyFile(conversation.wavPath, source);
    await app.addFiles([source]);
    await services.queue.whenIdle();
    expect((await app.listMeetings()).length).toBe(1);
  });
}, 180_000);

afterAll(async () => {
  await sim?.close();
  await data?.remove();
});

describe('the data folder', () => {
  it('refuses, before saving, a folder with other files, a file, and the folder in use', async () => {
    const other = join(data.path, 'papers');
    await mkdir(other);
    await writeFile(join(other, 'notes.txt'), 'not a library');
    picks = [other, join(other, 'notes.txt'), join(oldDir, 'audio')];
    await withLibrary(oldDir, async (app) => {
      expect(await app.pickDataFolder()).toEqual({ path: other, kind: 'not-library' });
      await expect(app.confirmDataFolder()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((await app.pickDataFolder())?.kind).toBe('not-writable');
      expect((await app.pickDataFolder())?.kind).toBe('current');
      await expect(app.confirmDataFolder()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(await app.pickDataFolder()).toBeNull();
      expect(await app.dataFolder()).toEqual({ path: oldDir, changeable: true, next: null, error: null });
    });
    expect(await nextStart()).toBe(oldDir);
  });

  it('keeps the old folder, and says why, when the copy fails at start; the empty target is left empty', async () => {
    const target = join(data.path, 'failed copy');
    const before = await snapshot(oldDir);
    picks = [target];
    await withLibrary(oldDir, async (app) => {
      expect(await app.pickDataFolder()).toEqual({ path: target, kind: 'empty' });
      await app.confirmDataFolder();
    });
    // A FIFO in the audio folder cannot be copied: the copy fails part way.
    execFileSync('mkfifo', [join(oldDir, 'audio', 'zz-pipe')]);
    try {
      expect(await nextStart()).toBe(oldDir);
    } finally {
      execFileSync('rm', [join(oldDir, 'audio', 'zz-pipe')]);
    }
    expect(await readdir(target)).toEqual([]);
    expect(await snapshot(oldDir)).toEqual(before);
    const location = readDataFolderLocation(locationFile);
    expect(location).toMatchObject({ next: null });
    expect(location.error).toContain('could not be copied');
    await withLibrary(oldDir, async (app) => {
      expect((await app.dataFolder()).error).toContain(target);
    });
  });

  it('copies the library into an empty folder at the next start, checked, with its audio; the old one intact', async () => {
    const target = join(data.path, 'new place', 'FunScribe');
    const before = await snapshot(oldDir);
    picks = [target];
    await withLibrary(oldDir, async (app) => {
      expect(await app.pickDataFolder()).toEqual({ path: target, kind: 'empty' });
      const info = await app.confirmDataFolder();
      expect(info).toMatchObject({ path: oldDir, next: { path: target, kind: 'empty' }, error: null });
    });
    expect(await nextStart()).toBe(target);
    expect(readDataFolderLocation(locationFile)).toEqual({ current: target, next: null, error: null });
    expect(await snapshot(oldDir)).toEqual(before);
    const audioFiles = await readdir(join(target, 'audio'));
    expect(audioFiles).toEqual(await readdir(join(oldDir, 'audio')));
    expect(audioFiles.length).toBeGreaterThan(0);
    await withLibrary(target, async (app, services) => {
      const [meeting] = await app.listMeetings();
      expect(meeting?.sourceName).toBe('standup.wav');
      expect((await app.getMeeting(meeting!.id)).segments.length).toBeGreaterThan(0);
      expect((await app.getMeetingAudio(meeting!.id)).state).toBe('copy');
      const stored = services.meetings.get(meeting!.id)?.audioPath ?? '';
      expect(stored.startsWith(join(target, 'audio'))).toBe(true);
      expect((await stat(stored)).size).toBeGreaterThan(0);
      expect(await app.dataFolder()).toEqual({ path: target, changeable: true, next: null, error: null });
    });
    // The next start stays there.
    expect(await nextStart()).toBe(target);
  }, 60_000);

  it('opens a folder that holds a library as it is (said before confirming), copying nothing', async () => {
    const current = readDataFolderLocation(locationFile).current!;
    picks = [oldDir];
    await withLibrary(current, async (app) => {
      expect(await app.pickDataFolder()).toEqual({ path: oldDir, kind: 'library' });
      await app.confirmDataFolder();
      await app.cancelDataFolderChange();
      expect((await app.dataFolder()).next).toBeNull();
      picks = [oldDir];
      await app.pickDataFolder();
      await app.confirmDataFolder();
    });
    const before = await snapshot(oldDir);
    expect(await startDataFolder({ locationFile, defaultDir: '/nonexistent' })).toBe(oldDir);
    expect(await snapshot(oldDir)).toEqual(before);
  });

  it('is fixed when the front end gives no way to choose it (FUNSCRIBE_DATA_DIR, --data-dir)', async () => {
    const services = await createServices({ dataDir: oldDir });
    try {
      const app = createAppService(services);
      expect(await app.dataFolder()).toEqual({ path: oldDir, changeable: false, next: null, error: null });
      await expect(app.pickDataFolder()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    } finally {
      await services.close();
    }
  });
});
