// CPU time of other processes from /proc (Linux): the processes this one started, by kind (Chromium's renderer, its
// audio service, …) and a kind's threads by name, so a bench can say what a browser page costs in every thread, the
// AudioWorklet's included.
import { readdirSync, readFileSync } from 'node:fs';
import { descendantsOf, kindOf, statOf } from '../test/helpers/process-tree.js';

/** CPU seconds used so far by each kind of descendant of `root` (summed over the processes of a kind). */
export function cpuByKind(root: number): Map<string, number> {
  const byKind = new Map<string, number>();
  for (const pid of descendantsOf(root)) {
    const stat = statOf(pid);
    if (stat) byKind.set(kindOf(pid), (byKind.get(kindOf(pid)) ?? 0) + stat.cpuS);
  }
  return byKind;
}

/** CPU seconds used so far by the threads of the descendants of `root` of one kind, by thread name. */
export function threadCpuOfKind(root: number, kind: string): Map<string, number> {
  const byThread = new Map<string, number>();
  for (const pid of descendantsOf(root).filter((each) => kindOf(each) === kind)) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const stat = statOf(`${pid}/task/${tid}`);
      let name: string;
      try {
        name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (stat) byThread.set(name, (byThread.get(name) ?? 0) + stat.cpuS);
    }
  }
  return byThread;
}

/** Percent of one core each kind used between two `cpuByKind` readings `wallS` apart. */
export function cpuPercentBetween(
  before: Map<string, number>,
  after: Map<string, number>,
  wallS: number,
): Map<string, number> {
  const percent = new Map<string, number>();
  for (const [kind, cpuS] of after) percent.set(kind, ((cpuS - (before.get(kind) ?? 0)) / wallS) * 100);
  return percent;
}
