// Reading a long list in pages (the library's meetings, the search's hits): as many items as asked for, each page
// no larger than allowed and starting where the last one ended, and whether the list ran out.
import { describe, expect, it } from 'vitest';
import { readPages } from '../../../src-renderer/lib/pages.js';

/** A list of `length` numbers read as the main process answers: a page of items and the list's total. */
function listOf(length: number) {
  const all = Array.from({ length }, (_, index) => index);
  const asked: [number, number][] = [];
  const readPage = async (offset: number, limit: number) => {
    asked.push([offset, limit]);
    return { items: all.slice(offset, offset + limit), total: length };
  };
  return {
    asked,
    read: (offset: number, count: number) =>
      readPages({ offset, count, maxPageSize: 4 }, readPage, (page) => page.items),
  };
}

describe('readPages', () => {
  it('reads as many items as asked for in pages no larger than allowed, each from where the last ended', async () => {
    const list = listOf(20);
    const { items, complete, lastPage } = await list.read(3, 10);
    expect(items).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(complete).toBe(false);
    expect(list.asked).toEqual([
      [3, 4],
      [7, 4],
      [11, 2],
    ]);
    expect(lastPage).toEqual({ items: [11, 12], total: 20 });
  });

  it('stops at the first short page and says the list ran out', async () => {
    const short = listOf(9);
    expect(await short.read(2, 12)).toMatchObject({ items: [2, 3, 4, 5, 6, 7, 8], complete: true });
    expect(short.asked).toEqual([
      [2, 4],
      [6, 4],
    ]);

    // Ending exactly at a page's end is only known from the next, empty page.
    const even = listOf(8);
    expect(await even.read(0, 12)).toMatchObject({ items: [0, 1, 2, 3, 4, 5, 6, 7], complete: true });
    expect(even.asked).toEqual([
      [0, 4],
      [4, 4],
      [8, 4],
    ]);
    // Asked for exactly what is left, it cannot tell that nothing follows.
    expect(await listOf(8).read(0, 8)).toMatchObject({ items: [0, 1, 2, 3, 4, 5, 6, 7], complete: false });
    expect(await listOf(3).read(5, 2)).toMatchObject({ items: [], complete: true, lastPage: { total: 3 } });
  });

  it('passes on a refused page', async () => {
    let pages = 0;
    const failing = readPages(
      { offset: 0, count: 10, maxPageSize: 4 },
      async () => {
        pages += 1;
        if (pages === 2) throw new Error('the library is locked');
        return [1, 2, 3, 4];
      },
      (page) => page,
    );
    await expect(failing).rejects.toThrow('the library is locked');
    expect(pages).toBe(2);
  });
});
