import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { withFileLock } from '../../funasr-sim/image/file-lock.js';

describe('withFileLock (image build lock)', () => {
  it('runs holders one at a time and removes the lock file afterwards', async () => {
    const name = `funscribe-lock-test-${process.pid}-a`;
    const events: string[] = [];
    const task = (id: string) => async () => {
      events.push(`${id} in`);
      await sleep(50);
      events.push(`${id} out`);
      return id;
    };
    expect(await Promise.all([withFileLock(name, task('a')), withFileLock(name, task('b'))])).toEqual([
      'a',
      'b',
    ]);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(existsSync(join(tmpdir(), `${name}.lock`))).toBe(false);
  });

  it('takes over a lock left by a process that is gone, and releases the lock when the task throws', async () => {
    const name = `funscribe-lock-test-${process.pid}-b`;
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(join(tmpdir(), `${name}.lock`), dead.stdout.trim());
    await expect(withFileLock(name, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withFileLock(name, () => Promise.resolve('ok'))).toBe('ok');
    expect(existsSync(join(tmpdir(), `${name}.lock`))).toBe(false);
  });
});
