// The processes below one process, read from /proc (Linux): each one's parent, CPU time and kind (Chromium's
// `--type`, else its program's name). Benches sum CPU by kind; tests find their Chromium's renderers.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The parent pid and CPU seconds (user + system) of a process (or of a thread: `task/<tid>`), or null when gone. */
export function statOf(pid: number | string): { ppid: number; cpuS: number } | null {
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
export function kindOf(pid: number): string {
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
