// Checks every IPC call against its method's schema (src-shared/schemas/api-args.ts) before it reaches the
// application: the renderer is not trusted. Adds the checks only the main process can make: files must be absolute
// paths, and settings changes get the settings module's full rules. Pure: no Electron, runs under plain Node.
import { isAbsolute } from 'node:path';
import * as v from 'valibot';
import {
  API_ARGS,
  addFilesArgs,
  argumentList,
  filePath,
  type ApiArgs,
  type ApiMethodName,
} from '../../src-shared/schemas/api-args.js';
import { SettingsPatchSchema } from '../settings/app-settings.js';
import { parseOrThrow } from '../util/validation.js';

/** A file the renderer hands over: a path text that is absolute (relative to what, in the main process?). */
function absoluteFilePath(subject: string) {
  return v.pipe(filePath(subject), v.check(isAbsolute, `${subject} must be an absolute path.`));
}

/** The schemas the main process checks calls with: the shared ones, with its own additions. */
const CHECKED_ARGS: { readonly [K in ApiMethodName]: v.GenericSchema<unknown, ApiArgs<K>> } = {
  ...API_ARGS,
  addFiles: addFilesArgs(absoluteFilePath),
  setSettings: argumentList([SettingsPatchSchema]),
};

/** Checks the raw arguments of one call and returns them typed; throws INVALID_ARGUMENT with a readable reason. */
export function validateArgs<K extends ApiMethodName>(method: K, args: readonly unknown[]): ApiArgs<K> {
  return parseOrThrow(CHECKED_ARGS[method], args);
}
