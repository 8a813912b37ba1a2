// A lock file in the temp dir so that test processes running in parallel build the image one at a time.
import { open, readFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Tries once to take the lock; removes it first when the process that holds it is gone. */
async function tryLock(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number(await readFile(path, 'utf8').catch(() => ''));
  if (Number.isInteger(holder) && holder > 0 && !alive(holder)) await unlink(path).catch(() => undefined);
  return false;
}

/** Runs `task` while holding the lock file `<tmpdir>/<name>.lock` (waits up to `timeoutMs` for another holder). */
export async function withFileLock<T>(name: string, task: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  const path = join(tmpdir(), `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  while (!(await tryLock(path))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${path}`);
    await sleep(200);
  }
  try {
    return await task();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
