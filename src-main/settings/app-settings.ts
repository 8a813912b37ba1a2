// The user's settings: defaults, the checks of every change (the shared schema plus the main process's rules),
// persistence in the settings table, and the named hotword lists (older settings kept one list in `hotwords`).
import * as v from 'valibot';
import type { AppSettings } from '../../src-shared/contract.js';
import {
  APP_SETTINGS_ENTRIES,
  appSettingsPatchSchema,
  DEFAULT_RECORD_SETTINGS,
  hotwordListsSchema,
} from '../../src-shared/schemas/settings.js';
import { validateHotwords } from '../asr/hotwords.js';
import { speakerModel } from '../speakers/models/model-catalog.js';
import type { SettingsRepository } from '../store/settings-repo.js';
import { FunscribeError } from '../util/errors.js';
import { parseOrThrow } from '../util/validation.js';
import { applyHotwordChange, withHotwordLists } from './hotword-lists.js';

/** The settings a new installation starts with: FunASR managed in Docker. */
export const DEFAULT_SETTINGS: AppSettings = {
  engineMode: 'managed',
  remoteEngines: [],
  itn: true,
  hotwords: [],
  hotwordLists: [],
  defaultHotwordList: null,
  concurrency: 2,
  allowSelfSignedTls: false,
  speakers: 'auto',
  speakerModel: null,
  modelRegion: 'global',
  keepAudioCopies: true,
  interfaceLanguage: 'system',
  theme: 'system',
  defaultExportFormat: 'txt',
  libraryOrder: 'date',
  ...DEFAULT_RECORD_SETTINGS,
};

const KEY = 'app';

/** Hotwords within FunASR's limits (normalised; HOTWORDS_INVALID otherwise). */
const CheckedHotwords = v.pipe(v.unknown(), v.transform(validateHotwords));

/**
 * A change of some settings with the main process's rules on top of the shared ones: hotwords (also those of every
 * list) within FunASR's limits and a speaker model from the catalog.
 */
export const SettingsPatchSchema = appSettingsPatchSchema({
  ...APP_SETTINGS_ENTRIES,
  hotwords: CheckedHotwords,
  hotwordLists: hotwordListsSchema(CheckedHotwords),
  speakerModel: v.pipe(
    v.unknown(),
    v.transform((value) => (value === null ? null : speakerModel(String(value)).id)),
  ),
});

/** Reads and writes the app settings, merging stored values over the defaults. */
export class AppSettingsStore {
  constructor(private readonly repo: SettingsRepository) {}

  /** The current settings (older settings' single hotword list appears as the list "Default"). */
  get(): AppSettings {
    const stored = this.repo.get<Partial<AppSettings>>(KEY, {});
    return withHotwordLists({ ...DEFAULT_SETTINGS, ...stored }, 'hotwordLists' in stored);
  }

  /** Validates and applies a change (remote mode needs at least one server); returns the new settings. */
  update(patch: unknown): AppSettings {
    const change = parseOrThrow(SettingsPatchSchema, patch);
    const next = applyHotwordChange(this.get(), change);
    if (next.engineMode === 'remote' && next.remoteEngines.length === 0) {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        'Add the address of at least one FunASR server to use remote engines.',
        { params: { reason: 'noServers' } },
      );
    }
    this.repo.set(KEY, next);
    return next;
  }
}
