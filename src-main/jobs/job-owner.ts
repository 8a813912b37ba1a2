// Who works on a job: this process's identity, and whether the process behind a stored owner is still there.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { JobOwner, StoredOwner } from '../store/jobs-repo.js';

/** How often a process with queued or running jobs renews their heartbeat, in ms. */
export const HEARTBEAT_INTERVAL_MS = 5000;

/** An owner on another host (or without a start time) whose heartbeat is older than this is taken for gone. */
export const STALE_HEARTBEAT_MS = 3 * HEARTBEAT_INTERVAL_MS;

/** The start time of a process from /proc/<pid>/stat (field 22, clock ticks after boot), or null when unreadable. */
export function processStartTime(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces and ')'; fields 3… follow the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

/** Whether a process with this id exists on this host (one of another user counts as existing). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The identity of the running process, made once per queue. */
export function currentOwner(): JobOwner {
  return {
    token: randomUUID(),
    pid: process.pid,
    host: hostname(),
    startedAt: processStartTime(process.pid),
  };
}

/** Whether `owner` is this process. */
export function isThisProcess(owner: JobOwner): boolean {
  return owner.host === hostname() && owner.pid === process.pid;
}

/**
 * Whether the process behind `owner` is gone. On this host: its pid is not alive, or is alive with another start time
 * (the pid was reused); where no start time is known, a live pid counts only while the heartbeat is fresh. On another
 * host only the heartbeat tells: older than `staleAfterMs` means gone.
 */
export function isOwnerGone(
  owner: StoredOwner,
  now: number = Date.now(),
  staleAfterMs: number = STALE_HEARTBEAT_MS,
): boolean {
  const stale = owner.heartbeatAt === null || now - owner.heartbeatAt > staleAfterMs;
  if (owner.host !== hostname()) return stale;
  if (!isProcessAlive(owner.pid)) return true;
  if (owner.startedAt !== null) return processStartTime(owner.pid) !== owner.startedAt;
  return stale;
}
