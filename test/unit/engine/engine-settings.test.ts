import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_SETTINGS,
  effectiveKind,
  engineLimits,
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

  const GIB = 1024 ** 3;
  const laptop = { totalMemoryBytes: 16 * GIB, cpuCount: 8 };

  it('defaults the limits to what FunASR wants or 3/4 of the memory, whichever is less, and all CPUs but one', () => {
    const auto = { memoryGiB: null, cpus: null };
    expect(engineLimits(auto, 'offline-cpu', laptop)).toEqual({ memoryBytes: 8 * GIB, cpus: 7 });
    expect(engineLimits(auto, 'offline-gpu', laptop)).toEqual({ memoryBytes: 12 * GIB, cpus: 7 });
    expect(engineLimits(auto, 'offline-gpu', { totalMemoryBytes: 64 * GIB, cpuCount: 32 })).toEqual({
      memoryBytes: 32 * GIB,
      cpus: 31,
    });
    // 3/4 of 7.6 GiB is 5.7: rounded down to half GiB steps; a small machine still gets the minimum, never above its memory.
    expect(engineLimits(auto, 'en-cpu', { totalMemoryBytes: 7.6 * GIB, cpuCount: 1 })).toEqual({
      memoryBytes: 5.5 * GIB,
      cpus: 1,
    });
    expect(engineLimits(auto, 'en-cpu', { totalMemoryBytes: 1.5 * GIB, cpuCount: 2 }).memoryBytes).toBe(
      1.5 * GIB,
    );
    expect(engineLimits(auto, 'en-cpu', { totalMemoryBytes: 2.4 * GIB, cpuCount: 2 }).memoryBytes).toBe(
      2 * GIB,
    );
  });

  it('takes the limits from the settings, capped at the computer they run on', () => {
    expect(engineLimits({ memoryGiB: 6.5, cpus: 2.5 }, 'offline-cpu', laptop)).toEqual({
      memoryBytes: 6.5 * GIB,
      cpus: 2.5,
    });
    expect(engineLimits({ memoryGiB: 64, cpus: 32 }, 'offline-cpu', laptop)).toEqual({
      memoryBytes: 16 * GIB,
      cpus: 8,
    });
  });

  it('refuses nonsense limits with messages that say the allowed range', () => {
    const patch = (value: object) => () => validateEngineSettingsPatch(value, laptop);
    for (const memoryGiB of [0, -4, 1.5, 17, Number.NaN, Infinity, '8', '8g', true, []]) {
      expect(patch({ memoryGiB }), String(memoryGiB)).toThrow(
        /memory limit must be a number of GiB from 2 .* to 16\.0 \(this computer's memory\)/,
      );
    }
    for (const cpus of [0, 0.5, -1, 9, 1.234, Number.NaN, '2', false]) {
      expect(patch({ cpus }), String(cpus)).toThrow(/CPU limit must be a number of CPUs from 1 to 8/);
    }
    expect(validateEngineSettingsPatch({ memoryGiB: 2, cpus: 8 }, laptop)).toEqual({ memoryGiB: 2, cpus: 8 });
    expect(validateEngineSettingsPatch({ memoryGiB: 15.5, cpus: 1.25 }, laptop)).toEqual({
      memoryGiB: 15.5,
      cpus: 1.25,
    });
    expect(validateEngineSettingsPatch({ memoryGiB: null, cpus: null }, laptop)).toEqual({
      memoryGiB: null,
      cpus: null,
    });
  });
});
