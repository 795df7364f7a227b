/**
 * sweepOverlaps (src/iort/overlap.ts, spec §5 rule 27 and §3.12) after the session 6 speed rewrite
 * (the ID-set shortcut replaced by a merge of up to 16 climbing runs). Its documented contract:
 * items sorted by start, then end, then index; each item after the first is reported against the
 * item holding the furthest end seen so far (the one sorted last on a tie) when it starts at or
 * before that end. `contract` below is that sentence computed the plain way (a full sort with
 * Array.prototype.sort, no runs, no insertion sort, no typed arrays); every list is compared pair
 * for pair, so a shortcut that ends the sweep early, or a sort that misplaces one item, shows.
 */
import { describe, expect, it } from 'vitest';
import { sweepOverlaps } from '../src/iort/overlap.js';

const sweep = (starts: number[], ends: number[]) => {
  const pairs: [number, number][] = [];
  sweepOverlaps(starts.length, Float64Array.from(starts), Float64Array.from(ends), (item, earlier) => pairs.push([item, earlier]));
  return pairs;
};

function contract(starts: number[], ends: number[]): [number, number][] {
  const sorted = starts.map((_, index) => index).sort((a, b) => (starts[a]! !== starts[b]! ? starts[a]! - starts[b]! : ends[a]! !== ends[b]! ? ends[a]! - ends[b]! : a - b));
  const pairs: [number, number][] = [];
  if (sorted.length < 2) return pairs;
  let furthest = sorted[0]!;
  for (const item of sorted.slice(1)) {
    if (starts[item]! <= ends[furthest]!) pairs.push([item, furthest]);
    if (ends[item]! >= ends[furthest]!) furthest = item;
  }
  return pairs;
}

function random(seed: number) {
  return (bound: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % bound;
  };
}

describe('sweepOverlaps after the run-merge rewrite, pair for pair against its contract', () => {
  it('an empty range (end before start) is not a climbing run: the sweep reports the range it starts inside', () => {
    // [10, 5] then [6, 20]: each starts past the end of the one before, yet sorted by start [6, 20]
    // comes first and 10 <= 20, so range 0 is reported against range 1.
    expect(contract([10, 6], [5, 20])).toEqual([[0, 1]]);
    expect(sweep([10, 6], [5, 20])).toEqual([[0, 1]]);
  });

  it('a single range and no range report nothing', () => {
    expect(sweep([], [])).toEqual([]);
    expect(sweep([3], [1])).toEqual([]);
  });

  it('lists of 17 and more climbing runs (past the merge limit) are still swept', () => {
    // 17 single-range runs, descending, disjoint; then the same with the last landing on the first.
    const starts = Array.from({ length: 17 }, (_, index) => 1000 - 10 * index);
    expect(sweep(starts, starts.map((start) => start + 5))).toEqual([]);
    const overlapping = [...starts.slice(0, 16), 1003];
    // Sorted 15 (850), …, 0 (1000), 16 (1003): only 1003 lies inside another range, [1000, 1005].
    expect(sweep(overlapping, overlapping.map((start) => start + 5))).toEqual([[16, 0]]);
  });

  it('agrees with the contract on random lists: short and long, sorted and not, with ties, single IDs and empty ranges', () => {
    const next = random(2026);
    let withPairs = 0;
    for (let trial = 0; trial < 4000; trial++) {
      const count = next(4) === 0 ? 17 + next(30) : 1 + next(16);
      const starts: number[] = [];
      const ends: number[] = [];
      let at = next(50);
      const climbing = next(2) === 0;
      for (let item = 0; item < count; item++) {
        const start = climbing && next(5) !== 0 ? at : next(300);
        const kind = next(10);
        const end = kind === 0 ? start - 1 - next(3) : kind < 4 ? start : start + next(8);
        starts.push(start);
        ends.push(end);
        at = Math.max(start, end) + 1 + next(4);
      }
      const expected = contract(starts, ends);
      if (expected.length > 0) withPairs++;
      expect(sweep(starts, ends), `trial ${trial}: ${JSON.stringify([starts, ends])}`).toEqual(expected);
    }
    expect(withPairs).toBeGreaterThan(400);
    expect(withPairs).toBeLessThan(3600);
  });
});
