// The user's settings: defaults, the checks of every change (the shared schema plus the main process's rules),
// persistence in the settings table.
import * as v from 'valibot';
import type { AppSettings } from '../../src-shared/contract.js';
import { APP_SETTINGS_ENTRIES, appSettingsPatchSchema } from '../../src-shared/schemas/settings.js';
import { validateHotwords } from '../asr/hotwords.js';
import { speakerModel } from '../speakers/models/model-catalog.js';
import type { SettingsRepository } from '../store/settings-repo.js';
import { FunscribeError } from '../util/errors.js';
import { parseOrThrow } from '../util/validation.js';

/** The settings a new installation starts with: FunASR managed in Docker. */
export const DEFAULT_SETTINGS: AppSettings = {
  engineMode: 'managed',
  remoteEngines: [],
  itn: true,
  hotwords: [],
  concurrency: 2,
  allowSelfSignedTls: false,
  speakers: 'auto',
  speakerModel: null,
  modelRegion: 'global',
  keepAudioCopies: true,
  interfaceLanguage: 'system',
  theme: 'system',
};

const KEY = 'app';

/**
 * A change of some settings with the main process's rules on top of the shared ones: hotwords within FunASR's limits
 * (normalised; HOTWORDS_INVALID otherwise) and a speaker model from the catalog.
 */
export const SettingsPatchSchema = appSettingsPatchSchema({
  ...APP_SETTINGS_ENTRIES,
  hotwords: v.pipe(v.unknown(), v.transform(validateHotwords)),
  speakerModel: v.pipe(
    v.unknown(),
    v.transform((value) => (value === null ? null : speakerModel(String(value)).id)),
  ),
});

/** Reads and writes the app settings, merging stored values over the defaults. */
export class AppSettingsStore {
  constructor(private readonly repo: SettingsRepository) {}

  /** The current settings. */
  get(): AppSettings {
    return { ...DEFAULT_SETTINGS, ...this.repo.get<Partial<AppSettings>>(KEY, {}) };
  }

  /** Validates and applies a change (remote mode needs at least one server); returns the new settings. */
  update(patch: unknown): AppSettings {
    const next = { ...this.get(), ...parseOrThrow(SettingsPatchSchema, patch) };
    if (next.engineMode === 'remote' && next.remoteEngines.length === 0) {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        'Add the address of at least one FunASR server to use remote engines.',
      );
    }
    this.repo.set(KEY, next);
    return next;
  }
}
