// The managed engine's settings (kind, image overrides, port, GPU, periodic restart, memory and CPU limits), stored
// under their own key.
import { cpus, totalmem } from 'node:os';
import type { SettingsRepository } from '../store/settings-repo.js';
import { FunscribeError } from '../util/errors.js';
import { CATALOG, isEngineKind } from './catalog.js';
import type { EngineKind } from '../../src-shared/engine-types.js';

/** What the user can choose about the managed engine. */
export interface EngineSettings {
  /** Which image to run. */
  kind: EngineKind;
  /** Image references that replace the catalog's, per kind. */
  images: Partial<Record<EngineKind, string>>;
  /** A fixed host port, or null to use the kind's default (or the next free one). */
  port: number | null;
  /** Run the GPU image instead of the offline CPU one. */
  gpu: boolean;
  /** Restart the server after this many hours up (its memory grows); 0 = never. */
  restartEveryHours: number;
  /** Memory the engine container may use, in GiB; null = the default for this computer (see engineLimits). */
  memoryGiB: number | null;
  /** CPUs the engine container may use, fractions allowed (docker run --cpus); null = the default for this computer. */
  cpus: number | null;
}

/** The settings a new installation starts with. */
export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  kind: 'offline-cpu',
  images: {},
  port: null,
  gpu: false,
  restartEveryHours: 0,
  memoryGiB: null,
  cpus: null,
};

const KEY = 'engine';

const invalid = (message: string): FunscribeError => new FunscribeError('INVALID_ARGUMENT', message);

/** The size of the computer the engine runs on, as the limits' defaults and checks see it. */
export interface MachineSize {
  totalMemoryBytes: number;
  cpuCount: number;
}

/** The memory and CPU limits of an engine container. */
export interface ContainerLimits {
  memoryBytes: number;
  /** CPUs, fractions allowed. */
  cpus: number;
}

const GIB = 1024 ** 3;
/** Below this the servers cannot hold their models (the Chinese LM alone is about 0.9 GB). */
export const MIN_MEMORY_GIB = 2;
/**
 * What each kind should get when the computer has it: FunASR's smallest documented machine is 4 vCPUs with 8 GB for
 * the CPU images and 8 vCPUs with 32 GB for the GPU image (runtime/docs/SDK_tutorial.md, SDK_advanced_guide_offline_gpu_zh.md).
 */
const WANTED_MEMORY_GIB = { cpu: 8, gpu: 32 } as const;
/** The share of this computer's memory the engine gets by default: the app and the desktop keep the rest. */
const DEFAULT_MEMORY_SHARE = 0.75;

/** This computer's memory and CPU count. */
export function thisMachine(): MachineSize {
  return { totalMemoryBytes: totalmem(), cpuCount: Math.max(1, cpus().length) };
}

/** `bytes` in GiB with one decimal, for messages. */
const gib = (bytes: number): string => (bytes / GIB).toFixed(1);

/**
 * The limits an engine of `kind` runs with: the settings' values (capped at the computer's size, as settings may come
 * from a bigger one), else the defaults: memory = what FunASR wants for the kind or 3/4 of this computer's memory,
 * whichever is less (in 0.5 GiB steps, at least MIN_MEMORY_GIB); CPUs = all but one, so that the app stays responsive.
 */
export function engineLimits(
  settings: Pick<EngineSettings, 'memoryGiB' | 'cpus'>,
  kind: EngineKind,
  machine: MachineSize = thisMachine(),
): ContainerLimits {
  const wanted = WANTED_MEMORY_GIB[CATALOG[kind].gpu ? 'gpu' : 'cpu'];
  const share = Math.floor(((machine.totalMemoryBytes / GIB) * DEFAULT_MEMORY_SHARE) / 0.5) * 0.5;
  const memoryGiB = settings.memoryGiB ?? Math.max(MIN_MEMORY_GIB, Math.min(wanted, share));
  return {
    memoryBytes: Math.min(Math.round(memoryGiB * GIB), machine.totalMemoryBytes),
    cpus: Math.min(settings.cpus ?? Math.max(1, machine.cpuCount - 1), machine.cpuCount),
  };
}

/** Checks a memory limit in GiB: a number from MIN_MEMORY_GIB to this computer's memory. */
export function validateMemoryGiB(value: unknown, machine: MachineSize = thisMachine()): number {
  const total = machine.totalMemoryBytes / GIB;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < MIN_MEMORY_GIB || value > total) {
    throw invalid(
      `The engine memory limit must be a number of GiB from ${MIN_MEMORY_GIB} (FunASR cannot load its models ` +
        `with less) to ${gib(machine.totalMemoryBytes)} (this computer's memory); got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** Checks a CPU limit: a number from 1 to this computer's CPU count, in hundredths at most (as docker run --cpus). */
export function validateCpus(value: unknown, machine: MachineSize = thisMachine()): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 1 ||
    value > machine.cpuCount ||
    Math.abs(value * 100 - Math.round(value * 100)) > 1e-9
  ) {
    throw invalid(
      `The engine CPU limit must be a number of CPUs from 1 to ${machine.cpuCount} (this computer's), in steps of ` +
        `0.01 at most; got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** Checks a host port value (1024–65535). */
export function validatePort(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1024 || (value as number) > 65535) {
    throw invalid(
      `The engine port must be a whole number from 1024 to 65535 (got ${JSON.stringify(value)}).`,
    );
  }
  return value as number;
}

/** Checks an image reference: no spaces, at most one "@", and a name part. */
export function validateImageRef(value: unknown): string {
  if (typeof value !== 'string' || !/^[a-z0-9][\w.\-/:@]*$/i.test(value.trim()) || value.length > 300) {
    throw invalid(`An image reference looks like registry/name:tag (got ${JSON.stringify(value)}).`);
  }
  return value.trim();
}

/**
 * Validates a partial change of the engine settings; unknown keys and wrong types are refused. The limits are checked
 * against `machine` (this computer).
 */
export function validateEngineSettingsPatch(
  patch: unknown,
  machine: MachineSize = thisMachine(),
): Partial<EngineSettings> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw invalid('Engine settings must be an object.');
  }
  const result: Partial<EngineSettings> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'kind') {
      if (!isEngineKind(value)) throw invalid(`There is no engine kind ${JSON.stringify(value)}.`);
      result.kind = value;
    } else if (key === 'images') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw invalid('Image overrides must be an object from engine kind to image reference.');
      }
      result.images = {};
      for (const [kind, ref] of Object.entries(value)) {
        if (!isEngineKind(kind)) throw invalid(`There is no engine kind ${JSON.stringify(kind)}.`);
        if (ref !== '' && ref !== null) result.images[kind] = validateImageRef(ref);
      }
    } else if (key === 'port') {
      result.port = value === null ? null : validatePort(value);
    } else if (key === 'gpu') {
      if (typeof value !== 'boolean') throw invalid('The setting gpu must be true or false.');
      result.gpu = value;
    } else if (key === 'restartEveryHours') {
      if (typeof value !== 'number' || !(value === 0 || (value >= 1 && value <= 24 * 30))) {
        throw invalid('The engine restart interval must be 0 (never) or from 1 to 720 hours.');
      }
      result.restartEveryHours = value;
    } else if (key === 'memoryGiB') {
      result.memoryGiB = value === null ? null : validateMemoryGiB(value, machine);
    } else if (key === 'cpus') {
      result.cpus = value === null ? null : validateCpus(value, machine);
    } else {
      throw invalid(`There is no engine setting called ${JSON.stringify(key)}.`);
    }
  }
  return result;
}

/** The kind actually run: the GPU setting turns the offline CPU engine into the GPU one. */
export function effectiveKind(settings: Pick<EngineSettings, 'kind' | 'gpu'>): EngineKind {
  return settings.gpu && settings.kind === 'offline-cpu' ? 'offline-gpu' : settings.kind;
}

/** Reads and writes the engine settings, merging stored values over the defaults. */
export class EngineSettingsStore {
  constructor(private readonly repo: SettingsRepository) {}

  /** The current engine settings. */
  get(): EngineSettings {
    return { ...DEFAULT_ENGINE_SETTINGS, ...this.repo.get<Partial<EngineSettings>>(KEY, {}) };
  }

  /** Validates and applies a change; returns the new settings. */
  update(patch: unknown): EngineSettings {
    const next = { ...this.get(), ...validateEngineSettingsPatch(patch) };
    this.repo.set(KEY, next);
    return next;
  }
}
