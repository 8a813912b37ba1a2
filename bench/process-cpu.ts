// CPU time of other processes from /proc (Linux): the processes this one started, by kind (Chromium's renderer, its
// audio service, …) and a kind's threads by name, so a bench can say what a browser page costs in every thread, the
// AudioWorklet's included.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The parent pid and CPU seconds (user + system) of a process (or of a thread: `task/<tid>`), or null when gone. */
function statOf(pid: number | string): { ppid: number; cpuS: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuS: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

/** A process's kind: Chromium's `--type` (with `--utility-sub-type`), else its program's name. */
function kindOf(pid: number): string {
  try {
    // Chromium rewrites its command line into one string joined by spaces; other programs keep NUL-separated args.
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    const type = /--type=(\S+)/.exec(text)?.[1];
    const sub = /--utility-sub-type=(\S+)/.exec(text)?.[1];
    if (type) return sub ? `${type} (${sub})` : type;
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** Every living descendant of `root`. */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = statOf(pid);
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  }
  const found: number[] = [];
  const visit = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

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
