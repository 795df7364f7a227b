/**
 * The already-sorted shortcut of sweepOverlaps (src/iort/overlap.ts, spec §5 rule 27 and §3.12):
 * more than 16 ranges skip the sort only when each range ranks after the one before it. Mutation
 * testing found a check that compared each range with the one after it instead: it skips the sort
 * for a list whose ranges after the first are in descending order, once the slot past the list in
 * the reused order array holds the index of a range that ranks low. The first call below leaves
 * index 0 there (its 18 ranges sort as 1, 2, …, 17, 0); the second then lists 17 ranges, the lowest
 * first and the other 16 descending. Expected pairs worked out by hand: each item is reported
 * against the range with the furthest end among those sorted before it.
 */
import { describe, expect, it } from 'vitest';
import { sweepOverlaps } from '../src/iort/overlap.js';

const sweep = (starts: number[], ends: number[]) => {
  const pairs: [number, number][] = [];
  sweepOverlaps(starts.length, Float64Array.from(starts), Float64Array.from(ends), (item, earlier) => pairs.push([item, earlier]));
  return pairs;
};

describe('sweepOverlaps sorts more than 16 ranges unless they are already in ascending order', () => {
  it('a list whose ranges after the first descend is sorted, whatever a previous call left in the order array', () => {
    // Call 1: range 0 is [1000, 1500], range i (1–17) is [10i, 10i + 500]; sorted 1, …, 17, 0.
    // Each of 2–17 starts inside the one before it (which ends furthest so far); range 0 starts
    // past 170 + 500 = 670 and overlaps none.
    const first = Array.from({ length: 18 }, (_, index) => (index === 0 ? 1000 : 10 * index));
    expect(sweep(first, first.map((start) => start + 500))).toEqual(Array.from({ length: 16 }, (_, index): [number, number] => [index + 2, index + 1]));
    // Call 2: range 0 is [10, 13]; range i (1–16) is [102 - 2i, 105 - 2i]: 1 is [100, 103], 16 is [70, 73].
    // Sorted: 0, 16, 15, …, 1. Range 0 overlaps nothing; each of 15…1 starts inside the one sorted before it.
    const second = Array.from({ length: 17 }, (_, index) => (index === 0 ? 10 : 102 - 2 * index));
    expect(sweep(second, second.map((start) => start + 3))).toEqual(Array.from({ length: 15 }, (_, index): [number, number] => [15 - index, 16 - index]));
  });
});
