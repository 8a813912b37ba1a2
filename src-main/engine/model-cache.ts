// Which models the engine's models volume holds complete, so that later starts pass their paths instead of ModelScope
// ids (an id makes the server ask the hub at every start, and wait on it without a network). Learnt from ready starts:
// a server that became ready had every model it was given in place (downloaded, and exported for the GPU). Kept in the
// data directory with the volume's creation time, so a volume removed and created again is not trusted.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** What the file holds. */
interface CacheRecord {
  volumeCreatedAt: string;
  /** Catalog model keys (id@revision). */
  models: string[];
}

/** Where an instance's record lives under the data directory. */
export function modelCachePath(dataDir: string, instance: string): string {
  return join(dataDir, 'engine', `models-${instance}.json`);
}

/** Reads and writes the record of complete models for one models volume. */
export class ModelCache {
  constructor(private readonly path: string) {}

  /** The model keys known complete in the volume created at `volumeCreatedAt` (none for an absent or new volume). */
  async present(volumeCreatedAt: string | null): Promise<Set<string>> {
    const record = await this.read();
    if (!volumeCreatedAt || record?.volumeCreatedAt !== volumeCreatedAt) return new Set();
    return new Set(record.models);
  }

  /** Adds models a ready start has shown complete in the volume created at `volumeCreatedAt`. */
  async remember(volumeCreatedAt: string, models: readonly string[]): Promise<void> {
    const known = await this.present(volumeCreatedAt);
    const record: CacheRecord = { volumeCreatedAt, models: [...new Set([...known, ...models])].sort() };
    await mkdir(dirname(this.path), { recursive: true });
    await writeFile(this.path, `${JSON.stringify(record, null, 2)}\n`, 'utf8');
  }

  /** Forgets everything (the volume was removed, or a start from the local copies found a file missing). */
  async forget(): Promise<void> {
    await rm(this.path, { force: true });
  }

  /** The record, or null when there is none or it is unreadable (then models start from their ids once). */
  private async read(): Promise<CacheRecord | null> {
    try {
      const record = JSON.parse(await readFile(this.path, 'utf8')) as Partial<CacheRecord>;
      return typeof record.volumeCreatedAt === 'string' && Array.isArray(record.models)
        ? { volumeCreatedAt: record.volumeCreatedAt, models: record.models.map(String) }
        : null;
    } catch {
      return null;
    }
  }
}
