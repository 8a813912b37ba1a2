// Temporary folders for tests, removed after the test file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates a fresh temp folder; call the returned `remove` in afterAll/afterEach. */
export async function makeTempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `funscribe-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
