// Starves the pages of this test file's Chromium: its renderer processes (children of this worker process, as each
// test file runs in a process of its own) are stopped with SIGSTOP for a while, then continued.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every process below `root`. */
function descendants(root: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const parents = [root];
  while (parents.length > 0) {
    const parent = parents.pop();
    for (const [pid, ppid] of table) {
      if (ppid === parent && pid !== undefined) {
        found.push(pid);
        parents.push(pid);
      }
    }
  }
  return found;
}

/** Whether the process `pid` is one of Chromium's renderers (false when it is gone). */
function isRenderer(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer');
  } catch {
    return false;
  }
}

/** Stops this file's Chromium renderers for `ms`, then continues them; returns how many were held. */
export async function holdRenderers(ms: number): Promise<number> {
  const renderers = descendants(process.pid).filter(isRenderer);
  for (const pid of renderers) process.kill(pid, 'SIGSTOP');
  try {
    await sleep(ms);
  } finally {
    for (const pid of renderers) process.kill(pid, 'SIGCONT');
  }
  return renderers.length;
}
