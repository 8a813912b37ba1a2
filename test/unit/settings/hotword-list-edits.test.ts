// The settings screen's edits of named hotword lists: free names, renames and row changes give whole new lists, and
// an exported list's file name is safe on every platform.
import { describe, expect, it } from 'vitest';
import {
  exportFileName,
  freeListName,
  renamed,
  withHotwords,
} from '../../../src-renderer/features/settings/hotword-list-edits.js';

const LISTS = [
  { name: 'Default', hotwords: [{ phrase: '预算', weight: 20 }] },
  { name: 'List 2', hotwords: [] },
];

describe('hotword list edits', () => {
  it('finds the first free name, ignoring case', () => {
    expect(freeListName(LISTS, 'Product')).toBe('Product');
    expect(freeListName(LISTS, 'list 2')).toBe('list 2 (2)');
    expect(freeListName([...LISTS, { name: 'List 2 (2)', hotwords: [] }], 'List 2')).toBe('List 2 (3)');
  });

  it('changes one list and leaves the others as they were', () => {
    const words = [{ phrase: 'FunScribe', weight: 50 }];
    expect(withHotwords(LISTS, 'List 2', words)).toEqual([LISTS[0], { name: 'List 2', hotwords: words }]);
    expect(renamed(LISTS, 'Default', '默认')).toEqual([{ ...LISTS[0], name: '默认' }, LISTS[1]]);
  });

  it('offers a file name without path or reserved characters', () => {
    expect(exportFileName('产品/术语: Q4')).toBe('产品_术语_ Q4.txt');
    expect(exportFileName('***')).toBe('hotwords.txt');
  });
});
