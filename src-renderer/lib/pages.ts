// Long lists read in pages: what the library and the search do to get more items than the main process gives at once.

/** Items read page by page, and how the reading ended. */
export interface PagesRead<T, P> {
  /** The items of every page, in order. */
  items: T[];
  /** True when a page came back short: the list has no more items. */
  complete: boolean;
  /** The answer of the last page asked for (for what else it tells, e.g. a total). */
  lastPage: P;
}

/**
 * Up to `count` (at least 1) items from `offset` on, asked for in pages of at most `maxPageSize` until that many are
 * read or a page comes back short.
 */
export async function readPages<T, P>(
  { offset, count, maxPageSize }: { offset: number; count: number; maxPageSize: number },
  readPage: (offset: number, limit: number) => Promise<P>,
  itemsOf: (page: P) => readonly T[],
): Promise<PagesRead<T, P>> {
  const items: T[] = [];
  for (;;) {
    const limit = Math.min(maxPageSize, count - items.length);
    const lastPage = await readPage(offset + items.length, limit);
    const read = itemsOf(lastPage);
    items.push(...read);
    const complete = read.length < limit;
    if (complete || items.length >= count) return { items, complete, lastPage };
  }
}
