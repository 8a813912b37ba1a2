// The user's settings as the main process keeps them. Loading or changing them applies the theme and the interface
// language at once, so every screen shows the choice without a reload.
import { get, writable, type Readable } from 'svelte/store';
import type { AppSettings } from '../../../src-shared/contract.js';
import { api } from '../api.js';
import { setInterfaceLanguage } from '../i18n.js';
import { applyTheme } from './theme.js';

/** A change of some settings. */
export type SettingsPatch = Partial<AppSettings>;

const current = writable<AppSettings | null>(null);
const failure = writable<unknown>(null);

/** The settings, or null until they are loaded. */
export const settings: Readable<AppSettings | null> = { subscribe: current.subscribe };

/** Why the settings could not be loaded (an ApiError, see errorText), or null. */
export const settingsError: Readable<unknown> = { subscribe: failure.subscribe };

function keep(value: AppSettings): AppSettings {
  current.set(value);
  failure.set(null);
  applyTheme(value.theme);
  setInterfaceLanguage(value.interfaceLanguage);
  return value;
}

/** Loads the settings from the main process and applies theme and language; failures land in settingsError. */
export async function loadSettings(): Promise<AppSettings | null> {
  try {
    return keep(await api.getSettings());
  } catch (caught) {
    failure.set(caught);
    return null;
  }
}

/**
 * Saves a change at once and applies it. Throws the main process's error (for errorText) when the change is refused;
 * the settings held then stay as they were.
 */
export async function updateSettings(patch: SettingsPatch): Promise<AppSettings> {
  return keep(await api.setSettings(patch));
}

/** The settings held now, or null before they are loaded. */
export function currentSettings(): AppSettings | null {
  return get(current);
}
