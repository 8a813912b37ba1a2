import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelCache, modelCachePath } from '../../../src-main/engine/model-cache.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => (temp = await makeTempDir('model-cache')));
afterAll(() => temp.remove());

describe('ModelCache', () => {
  it('remembers models per volume creation time and forgets them', async () => {
    const path = modelCachePath(temp.path, 't1');
    expect(path).toBe(join(temp.path, 'engine', 'models-t1.json'));
    const cache = new ModelCache(path);
    expect(await cache.present('2026-01-01T00:00:00Z')).toEqual(new Set());
    await cache.remember('2026-01-01T00:00:00Z', ['a@v1', 'b@v1']);
    await cache.remember('2026-01-01T00:00:00Z', ['c@v2']);
    expect(await new ModelCache(path).present('2026-01-01T00:00:00Z')).toEqual(
      new Set(['a@v1', 'b@v1', 'c@v2']),
    );
    // A volume created again (same name, other time) or absent holds nothing we know of.
    expect(await cache.present('2026-02-01T00:00:00Z')).toEqual(new Set());
    expect(await cache.present(null)).toEqual(new Set());
    await cache.remember('2026-02-01T00:00:00Z', ['c@v2']);
    expect(await cache.present('2026-02-01T00:00:00Z')).toEqual(new Set(['c@v2']));
    await cache.forget();
    expect(await cache.present('2026-02-01T00:00:00Z')).toEqual(new Set());
  });

  it('treats an unreadable record as empty', async () => {
    const path = modelCachePath(temp.path, 't2');
    await new ModelCache(path).remember('x', ['a@v1']);
    await writeFile(path, '{not json');
    expect(await new ModelCache(path).present('x')).toEqual(new Set());
  });
});
