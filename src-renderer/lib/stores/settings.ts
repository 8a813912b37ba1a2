// The user's settings as the main process keeps them. Loading or changing them applies the theme and the interface
// language at once, so every screen shows the choice without a reload.
import { get, writable, type Readable } from 'svelte/store';
import type { AppSettings } from '../../../src-shared/contract.js';
import { INTERFACE_LANGUAGES, THEMES } from '../../../src-shared/schemas/settings.js';
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

/** The theme and language last applied, kept on this computer so the next start shows them before settings load. */
const APPEARANCE_KEY = 'funscribe.appearance';

type Appearance = Pick<AppSettings, 'theme' | 'interfaceLanguage'>;

function applyAppearance({ theme, interfaceLanguage }: Appearance): void {
  applyTheme(theme);
  setInterfaceLanguage(interfaceLanguage);
}

function rememberedAppearance(): Appearance | null {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(APPEARANCE_KEY) ?? 'null');
    const { theme, interfaceLanguage } = (saved ?? {}) as Partial<Appearance>;
    const themes: readonly unknown[] = THEMES;
    const languages: readonly unknown[] = INTERFACE_LANGUAGES;
    return themes.includes(theme) && languages.includes(interfaceLanguage)
      ? ({ theme, interfaceLanguage } as Appearance)
      : null;
  } catch {
    return null;
  }
}

function keep(value: AppSettings): AppSettings {
  current.set(value);
  failure.set(null);
  applyAppearance(value);
  localStorage.setItem(
    APPEARANCE_KEY,
    JSON.stringify({ theme: value.theme, interfaceLanguage: value.interfaceLanguage }),
  );
  return value;
}

// Until the settings arrive, show what was chosen last time rather than flash the OS's theme and language.
const remembered = rememberedAppearance();
if (remembered) applyAppearance(remembered);

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
