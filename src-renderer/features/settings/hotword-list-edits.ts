// Pure edits of the named hotword lists as the settings screen makes them; each gives the whole new list of lists,
// which is saved at once (the main process checks it with FunASR's limits).
import type { AppSettings } from '../../../src-shared/contract.js';
import type { Hotword } from '../../../src-shared/types.js';

/** The settings' hotword lists. */
export type HotwordLists = AppSettings['hotwordLists'];

/** `base`, or `base (2)`, `base (3)`… : the first name no list has (ignoring case). */
export function freeListName(lists: HotwordLists, base: string): string {
  const taken = new Set(lists.map((list) => list.name.toLowerCase()));
  if (!taken.has(base.toLowerCase())) return base;
  for (let number = 2; ; number++) {
    const name = `${base} (${number})`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

/** The lists with the list called `name` given these hotwords. */
export function withHotwords(lists: HotwordLists, name: string, hotwords: Hotword[]): HotwordLists {
  return lists.map((list) => (list.name === name ? { ...list, hotwords } : list));
}

/** The lists with the list called `from` renamed. */
export function renamed(lists: HotwordLists, from: string, to: string): HotwordLists {
  return lists.map((list) => (list.name === from ? { ...list, name: to } : list));
}

/** The file name an exported list is offered under. */
export function exportFileName(name: string): string {
  const safe = name.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '_').trim();
  return `${/^[_.\s]*$/.test(safe) ? 'hotwords' : safe}.txt`;
}
