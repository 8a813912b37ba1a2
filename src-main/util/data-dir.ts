// Where FunScribe keeps its library. The desktop app and the CLI resolve it the same way, so they share it: an
// explicit folder, else FUNSCRIBE_DATA_DIR, else the folder the location file names, else the platform's default.
// The location file lives outside every library (beside the default folder) and also holds a change for the next start.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The product name, which is also the folder name under the platform's application-data directory. */
export const PRODUCT_NAME = 'FunScribe';

/** The platform's application-data directory, as Electron's app.getPath('appData') computes it. */
export function appDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32') return env.APPDATA ?? join(homedir(), 'AppData', 'Roaming');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
}

/** What the location file says: the folder in use, the one chosen for the next start, and why a change failed. */
export interface DataFolderLocation {
  /** The library folder the desktop app opened last (null: the platform's default). */
  current: string | null;
  /** The folder chosen in the settings, opened (or copied to) at the next start; null: no change. */
  next: string | null;
  /** Why the last change could not be made (the app kept `current`), or null. */
  error: string | null;
}

/** The location file: outside every library, beside the platform's default folder. */
export function dataFolderLocationFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(appDataDir(env), `${PRODUCT_NAME}-location.json`);
}

/** Text of a location file, or null when it does not hold a string. */
function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Reads the location file; a missing or unreadable file says nothing (every field null). */
export function readDataFolderLocation(file: string): DataFolderLocation {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (parsed !== null && typeof parsed === 'object') stored = parsed as Record<string, unknown>;
  } catch {
    // No file yet, or one this build cannot read: the default folder.
  }
  return {
    current: textOrNull(stored.current),
    next: textOrNull(stored.next),
    error: textOrNull(stored.error),
  };
}

/** Replaces the location file in one step (written beside it, then renamed over it). */
export function writeDataFolderLocation(file: string, location: DataFolderLocation): void {
  const partial = `${file}.partial-${process.pid}`;
  writeFileSync(partial, `${JSON.stringify(location, null, 2)}\n`);
  renameSync(partial, file);
}

/** The platform's default library folder: <appData>/FunScribe. */
export function platformDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(appDataDir(env), PRODUCT_NAME);
}

/** The folder used when nothing chooses one: the location file's current folder, else the platform's default. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return readDataFolderLocation(dataFolderLocationFile(env)).current ?? platformDataDir(env);
}

/** The data directory: an explicit choice, else FUNSCRIBE_DATA_DIR, else the default (see `defaultDataDir`). */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.FUNSCRIBE_DATA_DIR ?? defaultDataDir(env);
}
