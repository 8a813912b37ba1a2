import { describe, expect, it } from 'vitest';
import { SharedTask } from '../../../src-main/engine/shared-task.js';

/** An operation that resolves when told to and records whether it saw its signal abort. */
function controllable() {
  let finish: (value: string) => void = () => undefined;
  const seen = { starts: 0, aborted: false };
  const operation = (signal: AbortSignal) => {
    seen.starts++;
    signal.addEventListener('abort', () => (seen.aborted = true));
    return new Promise<string>((resolve) => (finish = resolve));
  };
  return { operation, seen, finish: (value: string) => finish(value) };
}

describe('SharedTask', () => {
  it('runs one operation for concurrent callers', async () => {
    const task = new SharedTask<string>();
    const op = controllable();
    const a = task.join(op.operation);
    const b = task.join(op.operation);
    expect(task.running).toBe(true);
    op.finish('done');
    expect(await Promise.all([a, b])).toEqual(['done', 'done']);
    expect(op.seen.starts).toBe(1);
    expect(task.running).toBe(false);
  });

  it('cancels the operation only when every caller gave up', async () => {
    const task = new SharedTask<string>();
    const op = controllable();
    const first = new AbortController();
    const second = new AbortController();
    const a = task.join(op.operation, first.signal);
    const b = task.join(op.operation, second.signal);
    first.abort();
    await expect(a).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(op.seen.aborted).toBe(false);
    second.abort();
    await expect(b).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(op.seen.aborted).toBe(true);
    op.finish('late');
  });
});
