// The colour theme: <html data-theme> set to 'light' or 'dark' from the user's choice, following the OS for 'system'.
import type { AppSettings } from '../../../src-shared/contract.js';

/** What the user chose: a theme, or whatever the OS uses. */
export type ThemeChoice = AppSettings['theme'];

/** The theme shown. */
export type ResolvedTheme = 'light' | 'dark';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** The theme to show for a choice, given whether the OS prefers dark. */
export function resolveTheme(choice: ThemeChoice, osPrefersDark: boolean): ResolvedTheme {
  if (choice === 'system') return osPrefersDark ? 'dark' : 'light';
  return choice;
}

/**
 * Runs `change` with every transition off until the new colours are painted, so a theme switch is instant: no
 * control fades between the themes' colours (which also showed text of one theme on the background of the other).
 */
function switchInstantly(change: () => void): void {
  const root = document.documentElement;
  root.classList.add('theme-switching');
  change();
  void getComputedStyle(root).color;
  requestAnimationFrame(() => requestAnimationFrame(() => root.classList.remove('theme-switching')));
}

let stopFollowingOs: (() => void) | null = null;

/** Shows the chosen theme at once; for 'system' it keeps following the OS until another choice is applied. */
export function applyTheme(choice: ThemeChoice): ResolvedTheme {
  stopFollowingOs?.();
  stopFollowingOs = null;
  const media = window.matchMedia(DARK_QUERY);
  const show = (): ResolvedTheme => {
    const theme = resolveTheme(choice, media.matches);
    switchInstantly(() => (document.documentElement.dataset.theme = theme));
    return theme;
  };
  if (choice === 'system') {
    media.addEventListener('change', show);
    stopFollowingOs = () => media.removeEventListener('change', show);
  }
  return show();
}
