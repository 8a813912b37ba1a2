import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_SETTINGS,
  effectiveKind,
  EngineSettingsStore,
  validateEngineSettingsPatch,
} from '../../../src-main/engine/engine-settings.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { SettingsRepository } from '../../../src-main/store/settings-repo.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { join } from 'node:path';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  temp = await makeTempDir('engine-settings');
});
afterAll(() => temp.remove());

describe('engine settings', () => {
  it('starts from the defaults and keeps validated changes in the settings table', () => {
    const db = openDatabase(join(temp.path, 'lib.sqlite'));
    try {
      const store = new EngineSettingsStore(new SettingsRepository(db));
      expect(store.get()).toEqual(DEFAULT_ENGINE_SETTINGS);
      store.update({ kind: 'en-cpu', port: 20000, images: { 'en-cpu': '127.0.0.1:5000/sim:1' } });
      expect(new EngineSettingsStore(new SettingsRepository(db)).get()).toMatchObject({
        kind: 'en-cpu',
        port: 20000,
        images: { 'en-cpu': '127.0.0.1:5000/sim:1' },
        gpu: false,
      });
      expect(() => store.update({ port: 80 })).toThrow(/1024 to 65535/);
      expect(store.get().port).toBe(20000);
    } finally {
      db.close();
    }
  });

  it('refuses unknown keys and bad values with messages', () => {
    expect(() => validateEngineSettingsPatch({ colour: 1 })).toThrow(/no engine setting called "colour"/);
    expect(() => validateEngineSettingsPatch({ kind: 'tpu' })).toThrow(/no engine kind/);
    expect(() => validateEngineSettingsPatch({ images: { 'en-cpu': 'has space:1' } })).toThrow(
      /registry\/name:tag/,
    );
    expect(() => validateEngineSettingsPatch({ restartEveryHours: 0.5 })).toThrow(/0 \(never\) or from 1/);
    expect(() => validateEngineSettingsPatch({ gpu: 'yes' })).toThrow(/true or false/);
    expect(validateEngineSettingsPatch({ port: null, restartEveryHours: 12 })).toEqual({
      port: null,
      restartEveryHours: 12,
    });
  });

  it('turns the offline CPU engine into the GPU one when GPU is on', () => {
    expect(effectiveKind({ kind: 'offline-cpu', gpu: true })).toBe('offline-gpu');
    expect(effectiveKind({ kind: 'online-cpu', gpu: true })).toBe('online-cpu');
    expect(effectiveKind({ kind: 'offline-cpu', gpu: false })).toBe('offline-cpu');
  });
});
