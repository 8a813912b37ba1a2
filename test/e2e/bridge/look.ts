// The interface language and theme switched from the top bar's menu, on the page as it is (no reload), and
// screenshots named after the screen and the look, so every screen can be seen in both languages and both themes.
import type { Page } from 'playwright-core';
import { screenshotPath } from './page-fixture.js';

/** One interface language and theme. */
export interface Look {
  language: 'en' | 'zh-CN';
  theme: 'light' | 'dark';
}

/** Every look a screen is checked in: English and Chinese, light and dark. */
export const LOOKS: readonly Look[] = [
  { language: 'en', theme: 'light' },
  { language: 'en', theme: 'dark' },
  { language: 'zh-CN', theme: 'dark' },
  { language: 'zh-CN', theme: 'light' },
];

/** The menu's name for each theme, in either language. */
const THEME_ITEMS: Record<Look['theme'], RegExp> = { light: /^(Light|浅色)$/, dark: /^(Dark|深色)$/ };
const LANGUAGE_ITEMS: Record<Look['language'], string> = { en: 'English', 'zh-CN': '简体中文' };

/** Picks one choice of the top bar's appearance menu and waits until the menu has closed. */
async function pickAppearance(page: Page, item: string | RegExp): Promise<void> {
  await page.getByRole('button', { name: /^(Appearance and language|外观与语言)$/ }).click();
  await page.getByRole('menuitemradio', { name: item, exact: typeof item === 'string' }).click();
  await page.getByRole('menu').waitFor({ state: 'detached' });
}

/** Switches the page to `look` from the top bar's menu and waits until `<html>` shows it. */
export async function chooseLook(page: Page, look: Look): Promise<void> {
  const shown = await page.evaluate(() => ({
    language: document.documentElement.lang,
    theme: document.documentElement.dataset.theme,
  }));
  if (shown.theme !== look.theme) await pickAppearance(page, THEME_ITEMS[look.theme]);
  if (shown.language !== look.language) await pickAppearance(page, LANGUAGE_ITEMS[look.language]);
  await page.waitForFunction(
    ({ language, theme }) =>
      document.documentElement.lang === language && document.documentElement.dataset.theme === theme,
    look,
  );
}

/** The short name of a look in screenshot names: "en-light", "zh-dark". */
export function lookName(look: Look): string {
  return `${look.language === 'en' ? 'en' : 'zh'}-${look.theme}`;
}

/** Saves `.cache/e2e/<screen>-<look>.png`, without a tooltip or focus ring left over from the last click. */
export async function screenshotScreen(page: Page, screen: string, look: Look): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(1, 1);
  await page.locator('.fs-tooltip').waitFor({ state: 'detached' });
  await page.screenshot({ path: await screenshotPath(`${screen}-${lookName(look)}`) });
}
