/**
 * src/bytes/offset-list.ts: offsets noted in an array reused from parse to parse. Past 4,096
 * entries (a hostile or very large table) the array is kept while the next use needs at least a
 * quarter of it, and given back after a use that needed less.
 */
import { describe, expect, it } from 'vitest';
import { copyOffsets, OffsetList } from '../src/bytes/offset-list.js';

function fill(list: OffsetList, count: number): void {
  list.clear();
  for (let offset = 0; offset < count; offset++) list.push(offset * 4);
}

describe('OffsetList', () => {
  it('gives each use its own offsets', () => {
    const list = new OffsetList();
    fill(list, 3);
    expect(copyOffsets(list)).toEqual([0, 4, 8]);
    expect(list.at(2)).toBe(8);
    fill(list, 1);
    expect(copyOffsets(list)).toEqual([0]);
  });

  it('keeps a long array while uses stay large, and lets it go after a small one', () => {
    const list = new OffsetList();
    fill(list, 100_000);
    fill(list, 100_000);
    // The second use reused the array: still as long as the first made it.
    expect(list.items.length).toBe(100_000);
    fill(list, 25_000);
    // The use before needed a quarter of it (25,000 of 100,000): kept.
    fill(list, 1);
    expect(list.items.length).toBe(100_000);
    // The use before needed 1 entry: given back, then the one offset noted again.
    fill(list, 1);
    expect(list.items.length).toBe(1);
    expect(copyOffsets(list)).toEqual([0]);
  });

  it('never lets go of a short array (4,096 entries or fewer)', () => {
    const list = new OffsetList();
    fill(list, 4096);
    fill(list, 1);
    fill(list, 1);
    expect(list.items.length).toBe(4096);
  });
});
