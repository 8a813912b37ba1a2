// The options the user picks for the next files dropped (engine, hotword list, speakers), as the choices the menus
// show and as addFiles' batch options.
import type { ApiArgs } from '../../../src-shared/contract.js';

/** addFiles' options for one batch. */
export type AddFilesOptions = NonNullable<ApiArgs<'addFiles'>[1]>;

/** What the menus hold: 'default' means "as in the settings" for each. */
export interface BatchChoice {
  /** 'default', 'managed' (FunASR in Docker whatever the settings say) or a remote server's address. */
  engine: string;
  /** 'default', 'none' or a list's name. */
  hotwordList: string;
  /** 'default', 'auto', 'voice', 'channels' or a number of speakers. */
  speakers: string;
}

/** Every option as the settings have it. */
export const DEFAULT_CHOICE: BatchChoice = { engine: 'default', hotwordList: 'default', speakers: 'default' };

/** The engine choice of the managed engine (FunASR in Docker); any other but 'default' is a server's address. */
export const MANAGED_ENGINE = 'managed';

/** The speaker counts the menu offers. */
export const SPEAKER_COUNTS = [1, 2, 3, 4, 5, 6, 8, 10] as const;

/** The batch options for a choice (only what differs from the settings). */
export function batchOptions(choice: BatchChoice): AddFilesOptions {
  const options: AddFilesOptions = {};
  if (choice.engine === MANAGED_ENGINE) options.managedEngine = true;
  else if (choice.engine !== 'default') options.serverUrl = choice.engine;
  if (choice.hotwordList === 'none') options.hotwordList = null;
  else if (choice.hotwordList !== 'default') options.hotwordList = choice.hotwordList;
  if (/^\d+$/.test(choice.speakers)) options.speakers = Number(choice.speakers);
  else if (choice.speakers === 'auto' || choice.speakers === 'voice' || choice.speakers === 'channels')
    options.speakers = choice.speakers;
  return options;
}
