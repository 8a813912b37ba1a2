// Starves the pages of this test file's Chromium: its renderer processes (below this worker process, as each test
// file runs in a process of its own) are stopped with SIGSTOP for a while, then continued.
import { setTimeout as sleep } from 'node:timers/promises';
import { descendantsOf, kindOf } from '../../helpers/process-tree.js';

/** Stops this file's Chromium renderers for `ms`, then continues them; returns how many were held. */
export async function holdRenderers(ms: number): Promise<number> {
  const renderers = descendantsOf(process.pid).filter((pid) => kindOf(pid) === 'renderer');
  for (const pid of renderers) process.kill(pid, 'SIGSTOP');
  try {
    await sleep(ms);
  } finally {
    for (const pid of renderers) process.kill(pid, 'SIGCONT');
  }
  return renderers.length;
}
