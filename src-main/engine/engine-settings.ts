// The managed engine's settings (kind, image overrides, port, GPU, periodic restart), stored under their own key.
import type { SettingsRepository } from '../store/settings-repo.js';
import { FunscribeError } from '../util/errors.js';
import { isEngineKind } from './catalog.js';
import type { EngineKind } from './engine-types.js';

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
}

/** The settings a new installation starts with. */
export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  kind: 'offline-cpu',
  images: {},
  port: null,
  gpu: false,
  restartEveryHours: 0,
};

const KEY = 'engine';

const invalid = (message: string): FunscribeError => new FunscribeError('INVALID_ARGUMENT', message);

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

/** Validates a partial change of the engine settings; unknown keys and wrong types are refused. */
export function validateEngineSettingsPatch(patch: unknown): Partial<EngineSettings> {
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
