// Temporary folders for tests, removed after the test file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Creates a fresh temp folder; call the returned `remove` in afterAll/afterEach. The removal tries again for a moment
 * when a file appears while it runs (ENOTEMPTY: a cancelled job's child still deleting its partial files).
 */
export async function makeTempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `funscribe-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }) };
}
