// Where FunScribe keeps its library. The desktop app and the CLI resolve it the same way, so they share it.
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

/** The data directory: an explicit choice, else FUNSCRIBE_DATA_DIR, else <appData>/FunScribe. */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.FUNSCRIBE_DATA_DIR ?? join(appDataDir(env), PRODUCT_NAME);
}
