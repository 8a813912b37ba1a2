// The named hotword lists of the settings and the `hotwords` setting they replace: `hotwords` is always the default
// list's words, so jobs, the CLI and older callers that read or write `hotwords` keep working.
import type { AppSettings } from '../../src-shared/contract.js';
import { DEFAULT_HOTWORD_LIST_NAME } from '../../src-shared/schemas/settings.js';
import { FunscribeError } from '../util/errors.js';

/** The list with this name (ignoring case), if any. */
function findList(settings: Pick<AppSettings, 'hotwordLists'>, name: string | null) {
  if (name === null) return undefined;
  const key = name.toLowerCase();
  return settings.hotwordLists.find((list) => list.name.toLowerCase() === key);
}

/** The settings with `hotwords` set from the default list (none when there is no default). */
function withDefaultWords(settings: AppSettings): AppSettings {
  const chosen = findList(settings, settings.defaultHotwordList);
  return {
    ...settings,
    defaultHotwordList: chosen?.name ?? null,
    hotwords: chosen?.hotwords ?? [],
  };
}

/**
 * Settings as stored, with named lists: settings saved before there were lists (`hasLists` false) turn their
 * hotwords into the default list "Default" (no list when they had none).
 */
export function withHotwordLists(stored: AppSettings, hasLists: boolean): AppSettings {
  if (hasLists) return withDefaultWords(stored);
  const hotwordLists =
    stored.hotwords.length > 0 ? [{ name: DEFAULT_HOTWORD_LIST_NAME, hotwords: stored.hotwords }] : [];
  return withDefaultWords({
    ...stored,
    hotwordLists,
    defaultHotwordList: hotwordLists.length > 0 ? DEFAULT_HOTWORD_LIST_NAME : null,
  });
}

/**
 * Applies a checked change: lists first, then the default's name (which must name a list), then `hotwords`, which
 * replaces the default list's words (creating the list "Default" when none is the default). A change of lists that
 * drops the default list leaves no default.
 */
export function applyHotwordChange(current: AppSettings, change: Partial<AppSettings>): AppSettings {
  const { hotwords, ...rest } = change;
  const next: AppSettings = { ...current, ...rest };
  if (
    rest.defaultHotwordList !== undefined &&
    rest.defaultHotwordList !== null &&
    !findList(next, rest.defaultHotwordList)
  ) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      `There is no hotword list called "${rest.defaultHotwordList}" to make the default.`,
      { params: { reason: 'noHotwordList', name: rest.defaultHotwordList } },
    );
  }
  if (hotwords === undefined) return withDefaultWords(next);
  const target = findList(next, next.defaultHotwordList)?.name ?? DEFAULT_HOTWORD_LIST_NAME;
  const others = next.hotwordLists.filter((list) => list.name.toLowerCase() !== target.toLowerCase());
  const position = next.hotwordLists.findIndex((list) => list.name === target);
  const replaced = { name: target, hotwords };
  const hotwordLists =
    position === -1
      ? [...others, replaced]
      : next.hotwordLists.map((list, index) => (index === position ? replaced : list));
  return withDefaultWords({ ...next, hotwordLists, defaultHotwordList: target });
}
