import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_SETTINGS,
  effectiveKind,
  engineLimits,
  engineMemoryGiB,
  EngineSettingsStore,
  validateEngineSettingsPatch,
  withDockerMemory,
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

  const auto = { ...DEFAULT_ENGINE_SETTINGS, memoryGiB: null, cpus: null };
  /** The engines' share of a machine: 3/4 of its memory in 0.5 GiB steps. */
  const shareGiB = (machine: { totalMemoryBytes: number }) =>
    Math.floor(((machine.totalMemoryBytes / GIB) * 0.75) / 0.5) * 0.5;

  it('defaults the main engine to what FunASR wants or what the caption engine leaves of 3/4 of the memory, and all CPUs but one', () => {
    expect(engineLimits(auto, 'offline-cpu', laptop)).toEqual({ memoryBytes: 8 * GIB, cpus: 7 });
    // 12 GiB are the engines' share; 4 stay for the caption engine.
    expect(engineLimits(auto, 'offline-gpu', laptop)).toEqual({ memoryBytes: 8 * GIB, cpus: 7 });
    expect(engineLimits(auto, 'offline-gpu', { totalMemoryBytes: 64 * GIB, cpuCount: 32 })).toEqual({
      memoryBytes: 32 * GIB,
      cpus: 31,
    });
    // 3/4 of 7.6 GiB is 5.7: 5.5 in half GiB steps, of which the caption engine keeps 2.
    expect(engineLimits(auto, 'en-cpu', { totalMemoryBytes: 7.6 * GIB, cpuCount: 1 })).toEqual({
      memoryBytes: 3.5 * GIB,
      cpus: 1,
    });
    // A small machine still gets the minimum, never above its memory.
    expect(engineLimits(auto, 'en-cpu', { totalMemoryBytes: 1.5 * GIB, cpuCount: 2 }).memoryBytes).toBe(
      1.5 * GIB,
    );
    expect(engineLimits(auto, 'en-cpu', { totalMemoryBytes: 2.4 * GIB, cpuCount: 2 }).memoryBytes).toBe(
      2 * GIB,
    );
  });

  it('gives the caption engine its own cap, and keeps both engines together within the share', () => {
    const captions = (settings: Parameters<typeof engineLimits>[0], machine = laptop) =>
      engineLimits(settings, 'online-cpu', machine, 'captions');
    expect(captions(auto)).toEqual({ memoryBytes: 4 * GIB, cpus: 7 });
    // Beside a GPU engine too (its settings' kind is what the caption engine makes room for).
    expect(captions({ ...auto, gpu: true })).toEqual({ memoryBytes: 4 * GIB, cpus: 7 });
    for (const gibs of [6, 8, 12, 16, 24, 32, 64, 128]) {
      const machine = { totalMemoryBytes: gibs * GIB, cpuCount: 4 };
      for (const settings of [auto, { ...auto, gpu: true }, { ...auto, kind: 'en-cpu' as const }]) {
        const main = engineLimits(settings, effectiveKind(settings), machine).memoryBytes;
        const caption = captions(settings, machine).memoryBytes;
        expect(caption, `${gibs} GiB`).toBeLessThanOrEqual(4 * GIB);
        expect(caption, `${gibs} GiB`).toBeGreaterThanOrEqual(2 * GIB);
        expect(main + caption, `${gibs} GiB ${settings.kind}`).toBeLessThanOrEqual(shareGiB(machine) * GIB);
      }
    }
    // An 8 GiB laptop: 6 GiB between them, 4 for files and 2 for captions.
    const small = { totalMemoryBytes: 8 * GIB, cpuCount: 4 };
    expect(engineLimits(auto, 'offline-cpu', small).memoryBytes).toBe(4 * GIB);
    expect(captions(auto, small).memoryBytes).toBe(2 * GIB);
  });

  it('gives a main engine of the 2pass kind the whole share (it serves the captions itself)', () => {
    const small = { totalMemoryBytes: 8 * GIB, cpuCount: 4 };
    expect(engineLimits({ ...auto, kind: 'online-cpu' }, 'online-cpu', small).memoryBytes).toBe(6 * GIB);
    expect(engineLimits({ ...auto, kind: 'online-cpu' }, 'online-cpu', laptop).memoryBytes).toBe(8 * GIB);
  });

  it("counts Docker's memory when it is less than the computer's", () => {
    const dockerVm = withDockerMemory(laptop, 8 * GIB);
    expect(dockerVm).toEqual({ totalMemoryBytes: 8 * GIB, cpuCount: 8 });
    expect(withDockerMemory(laptop, 32 * GIB)).toEqual(laptop);
    expect(withDockerMemory(laptop, null)).toEqual(laptop);
    expect(engineLimits(auto, 'offline-cpu', dockerVm).memoryBytes).toBe(4 * GIB);
    expect(engineLimits(auto, 'online-cpu', dockerVm, 'captions').memoryBytes).toBe(2 * GIB);
  });

  it("takes the main engine's memory from the settings; the caption engine gets what is left of the share", () => {
    expect(engineLimits({ ...auto, memoryGiB: 6.5, cpus: 2.5 }, 'offline-cpu', laptop)).toEqual({
      memoryBytes: 6.5 * GIB,
      cpus: 2.5,
    });
    expect(engineLimits({ ...auto, memoryGiB: 64, cpus: 32 }, 'offline-cpu', laptop)).toEqual({
      memoryBytes: 16 * GIB,
      cpus: 8,
    });
    expect(engineMemoryGiB({ memoryGiB: 6.5 }, 'offline-cpu', laptop)).toEqual({ main: 6.5, captions: 4 });
    expect(engineMemoryGiB({ memoryGiB: 9 }, 'offline-cpu', laptop)).toEqual({ main: 9, captions: 3 });
    // What the user chose stands; the caption engine still gets the least it can run with.
    expect(engineMemoryGiB({ memoryGiB: 12 }, 'offline-cpu', laptop)).toEqual({ main: 12, captions: 2 });
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
