// The server-wide hotword file the app writes for the managed engine, from the user's hotword list.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Hotword } from '../api/types.js';
import { formatHotwordFile } from '../asr/hotwords.js';

/** Where the engine's hotword file lives under the data directory. */
export function hotwordFilePath(dataDir: string): string {
  return join(dataDir, 'engine', 'hotwords.txt');
}

/**
 * Writes the hotword file and returns its path. The file is rewritten in place (not replaced by a rename), so the
 * container's bind mount of it keeps seeing the current content.
 */
export async function writeHotwordFile(dataDir: string, hotwords: readonly Hotword[]): Promise<string> {
  const path = hotwordFilePath(dataDir);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, formatHotwordFile(hotwords), 'utf8');
  return path;
}
