// The user's settings: defaults, validation of every change, persistence in the settings table.
import type { AppSettings, RemoteEngineSetting } from '../../src-shared/contract.js';
import type { SpeakerSetting } from '../../src-shared/types.js';
import { validateHotwords } from '../asr/hotwords.js';
import { speakerModel } from '../speakers/models/model-catalog.js';
import type { SettingsRepository } from '../store/settings-repo.js';
import { FunscribeError } from '../util/errors.js';

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
};

const KEY = 'app';

/** At most this many remote servers. */
export const MAX_REMOTE_ENGINES = 16;

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

/** Checks how speakers are labelled: "auto", "voice", "channels" or a number of speakers from 1 to 50. */
export function validateSpeakerSetting(value: unknown): SpeakerSetting {
  if (value === 'auto' || value === 'voice' || value === 'channels') return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 50) return value;
  throw new FunscribeError(
    'INVALID_ARGUMENT',
    `Speakers must be "auto", "voice", "channels" or a number of speakers from 1 to 50, not ${JSON.stringify(value)}.`,
  );
}

/** Checks a whole number from 1 to 16 (files at once, overall or per server). */
function validConcurrency(value: unknown, what: string): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 16) {
    throw new FunscribeError('INVALID_ARGUMENT', `${what} must be a whole number from 1 to 16.`);
  }
  return value as number;
}

/** Checks the list of remote FunASR servers: valid addresses, no duplicates, concurrency 1–16 (default 1). */
export function validateRemoteEngines(value: unknown): RemoteEngineSetting[] {
  if (!Array.isArray(value) || value.length > MAX_REMOTE_ENGINES) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      `The remote servers must be a list of at most ${MAX_REMOTE_ENGINES}.`,
    );
  }
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null) {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        `Remote server ${index + 1} must have an address and a concurrency.`,
      );
    }
    const { url, concurrency, ...rest } = entry as Record<string, unknown>;
    if (Object.keys(rest).length > 0) {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        `Remote server ${index + 1} has unknown fields: ${Object.keys(rest).join(', ')}.`,
      );
    }
    const valid = validateServerUrl(url);
    if (seen.has(valid)) throw new FunscribeError('INVALID_ARGUMENT', `The server ${valid} is listed twice.`);
    seen.add(valid);
    return { url: valid, concurrency: validConcurrency(concurrency ?? 1, `The concurrency of ${valid}`) };
  });
}

/** Validates a partial settings change; unknown keys and wrong types are refused with a message naming the setting. */
export function validateSettingsPatch(patch: unknown): Partial<AppSettings> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new FunscribeError('INVALID_ARGUMENT', 'Settings must be an object.');
  }
  const result: Partial<AppSettings> = {};
  for (const [key, value] of Object.entries(patch)) {
    switch (key) {
      case 'engineMode':
        if (value !== 'managed' && value !== 'remote') {
          throw new FunscribeError(
            'INVALID_ARGUMENT',
            'The engine must be "managed" (FunASR in Docker) or "remote".',
          );
        }
        result.engineMode = value;
        break;
      case 'remoteEngines':
        result.remoteEngines = validateRemoteEngines(value);
        break;
      case 'itn':
      case 'allowSelfSignedTls':
      case 'keepAudioCopies':
        if (typeof value !== 'boolean')
          throw new FunscribeError('INVALID_ARGUMENT', `The setting ${key} must be true or false.`);
        result[key] = value;
        break;
      case 'hotwords':
        result.hotwords = validateHotwords(value);
        break;
      case 'speakers':
        result.speakers = validateSpeakerSetting(value);
        break;
      case 'speakerModel':
        result.speakerModel = value === null ? null : speakerModel(String(value)).id;
        break;
      case 'modelRegion':
        if (value !== 'global' && value !== 'cn') {
          throw new FunscribeError('INVALID_ARGUMENT', 'The download region must be "global" or "cn".');
        }
        result.modelRegion = value;
        break;
      case 'concurrency':
        result.concurrency = validConcurrency(value, 'The number of files transcribed at once');
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

  /** Validates and applies a change (remote mode needs at least one server); returns the new settings. */
  update(patch: unknown): AppSettings {
    const next = { ...this.get(), ...validateSettingsPatch(patch) };
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
