import { describe, expect, it } from 'vitest';
import { PullProgress, type PullEvent } from '../../../src-main/engine/pull-progress.js';

/** The shape of a real pull of a two-layer image plus one layer that already exists (toolchain.md §3). */
const EVENTS: PullEvent[] = [
  { status: 'Pulling from sim/funasr', id: 'test' },
  { status: 'Already exists', progressDetail: {}, id: 'aaa' },
  { status: 'Pulling fs layer', progressDetail: {}, id: 'bbb' },
  { status: 'Pulling fs layer', progressDetail: {}, id: 'ccc' },
  { status: 'Downloading', progressDetail: { current: 100, total: 1000 }, id: 'bbb' },
  { status: 'Downloading', progressDetail: { current: 50, total: 500 }, id: 'ccc' },
  { status: 'Downloading', progressDetail: { current: 600, total: 1000 }, id: 'bbb' },
  { status: 'Verifying Checksum', progressDetail: {}, id: 'ccc' },
  { status: 'Download complete', progressDetail: {}, id: 'ccc' },
  { status: 'Downloading', progressDetail: { current: 1000, total: 1000 }, id: 'bbb' },
  { status: 'Download complete', progressDetail: {}, id: 'bbb' },
  { status: 'Extracting', progressDetail: { current: 400, total: 1000 }, id: 'bbb' },
  { status: 'Extracting', progressDetail: { current: 1000, total: 1000 }, id: 'bbb' },
  { status: 'Pull complete', progressDetail: {}, id: 'bbb' },
  { status: 'Extracting', progressDetail: { current: 500, total: 500 }, id: 'ccc' },
  { status: 'Pull complete', progressDetail: {}, id: 'ccc' },
  { status: 'Digest: sha256:77ed7d59' },
  { status: 'Status: Downloaded newer image for 127.0.0.1:5000/sim/funasr:test' },
];

describe('PullProgress', () => {
  it('adds bytes over layers while downloading, then counts extraction', () => {
    const tracker = new PullProgress('img:1');
    const seen = EVENTS.map((event) => tracker.update(event));
    expect(seen[0]).toBeNull();
    expect(seen.at(-1)).toBeNull();
    const progress = seen.filter((p) => p !== null);
    // A layer that is already here does not make the pull look as if it were extracting.
    expect(progress[0]?.message).toBe('Downloading img:1: 1/1 layers');
    expect(progress[4]).toMatchObject({ phase: 'pull', subject: 'img:1', doneBytes: 150, totalBytes: 1500 });
    expect(progress[4]?.message).toBe('Downloading img:1: 1/3 layers, 0.0 MiB of 0.0 MiB');
    expect(progress[4]).toMatchObject({
      step: 'pull-download',
      params: { image: 'img:1', done: 1, layers: 3 },
    });
    expect(progress[5]).toMatchObject({ doneBytes: 650, totalBytes: 1500 });
    expect(progress[7]).toMatchObject({ doneBytes: 1100 });
    // Everything downloaded: the figure switches to bytes extracted.
    expect(progress[9]?.message).toMatch(/^Extracting img:1: 1\/3 layers/);
    expect(progress[9]).toMatchObject({
      step: 'pull-extract',
      params: { image: 'img:1', done: 1, layers: 3 },
    });
    expect(progress[9]).toMatchObject({ doneBytes: 0, totalBytes: 1500 });
    expect(progress[10]).toMatchObject({ doneBytes: 400 });
    const last = progress.at(-1);
    expect(last).toMatchObject({ doneBytes: 1500, totalBytes: 1500 });
    expect(last?.message).toMatch(/3\/3 layers/);
    const done = progress.filter((p) => p.message.startsWith('Downloading')).map((p) => p.doneBytes ?? 0);
    expect(done).toEqual([...done].sort((a, b) => a - b));
  });

  it('reports unknown totals as null', () => {
    const tracker = new PullProgress('img:1');
    expect(tracker.update({ status: 'Pulling fs layer', id: 'x', progressDetail: {} })).toMatchObject({
      totalBytes: null,
      doneBytes: 0,
    });
  });
});
