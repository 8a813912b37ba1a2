// The user's settings: defaults, validation of every change, persistence in the settings table.
import type { AppSettings } from '../api/contract.js';
import { validateHotwords } from '../asr/hotwords.js';
import type { SettingsRepository } from '../store/settings-repo.js';
import { FunscribeError } from '../util/errors.js';

/** The settings a new installation starts with. */
export const DEFAULT_SETTINGS: AppSettings = {
  serverUrl: 'ws://127.0.0.1:10095',
  itn: true,
  hotwords: [],
  concurrency: 2,
  allowSelfSignedTls: false,
};

const KEY = 'app';

/** Checks a server URL: ws:// or wss:// with a host. */
export function validateServerUrl(value: unknown): string {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : null;
  if (!url || (url.protocol !== 'ws:' && url.protocol !== 'wss:') || url.hostname === '') {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      `The FunASR server address must look like ws://127.0.0.1:10095 or wss://host:port (got ${JSON.stringify(value)}).`,
    );
  }
  return value as string;
}

/** Validates a partial settings change; unknown keys and wrong types are refused with a message naming the setting. */
export function validateSettingsPatch(patch: unknown): Partial<AppSettings> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new FunscribeError('INVALID_ARGUMENT', 'Settings must be an object.');
  }
  const result: Partial<AppSettings> = {};
  for (const [key, value] of Object.entries(patch)) {
    switch (key) {
      case 'serverUrl':
        result.serverUrl = validateServerUrl(value);
        break;
      case 'itn':
      case 'allowSelfSignedTls':
        if (typeof value !== 'boolean')
          throw new FunscribeError('INVALID_ARGUMENT', `The setting ${key} must be true or false.`);
        result[key] = value;
        break;
      case 'hotwords':
        result.hotwords = validateHotwords(value);
        break;
      case 'concurrency':
        if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 16) {
          throw new FunscribeError(
            'INVALID_ARGUMENT',
            'The number of files transcribed at once must be from 1 to 16.',
          );
        }
        result.concurrency = value as number;
        break;
      default:
        throw new FunscribeError('INVALID_ARGUMENT', `There is no setting called ${JSON.stringify(key)}.`);
    }
  }
  return result;
}

/** Reads and writes the app settings, merging stored values over the defaults. */
export class AppSettingsStore {
  constructor(private readonly repo: SettingsRepository) {}

  /** The current settings. */
  get(): AppSettings {
    return { ...DEFAULT_SETTINGS, ...this.repo.get<Partial<AppSettings>>(KEY, {}) };
  }

  /** Validates and applies a change; returns the new settings. */
  update(patch: unknown): AppSettings {
    const next = { ...this.get(), ...validateSettingsPatch(patch) };
    this.repo.set(KEY, next);
    return next;
  }
}
