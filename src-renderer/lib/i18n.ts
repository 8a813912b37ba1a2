// The interface language: svelte-i18n with one catalog pair per area (src-renderer/i18n/<area>.<locale>.json), the OS
// language at first, switched at once by setInterfaceLanguage, and <html lang> kept in step.
import { addMessages, init, locale } from 'svelte-i18n';

type Catalog = Parameters<typeof addMessages>[1];

/** The interface languages FunScribe ships. */
export const INTERFACE_LOCALES = ['en', 'zh-CN'] as const;

/** One of the shipped interface languages. */
export type InterfaceLocale = (typeof INTERFACE_LOCALES)[number];

/** What the user chose: a language, or whatever the OS uses. */
export type InterfaceLanguageChoice = InterfaceLocale | 'system';

const catalogs = import.meta.glob<Catalog>('../i18n/*.json', {
  eager: true,
  import: 'default',
});

for (const [path, messages] of Object.entries(catalogs)) {
  const match = /\/[\w-]+\.([\w-]+)\.json$/.exec(path);
  if (match?.[1]) addMessages(match[1], messages);
}

/** The shipped language closest to the OS's (Chinese of any region reads the simplified catalog). */
export function systemLocale(languages: readonly string[] = navigator.languages): InterfaceLocale {
  for (const language of languages) {
    if (/^zh\b/i.test(language)) return 'zh-CN';
    if (/^en\b/i.test(language)) return 'en';
  }
  return 'en';
}

/** Resolves a choice to the language to show. */
export function resolveLocale(choice: InterfaceLanguageChoice): InterfaceLocale {
  return choice === 'system' ? systemLocale() : choice;
}

/** Shows the interface in the chosen language at once and sets <html lang>. */
export function setInterfaceLanguage(choice: InterfaceLanguageChoice): InterfaceLocale {
  const chosen = resolveLocale(choice);
  void locale.set(chosen);
  document.documentElement.lang = chosen;
  return chosen;
}

init({ fallbackLocale: 'en', initialLocale: systemLocale() });
document.documentElement.lang = systemLocale();
