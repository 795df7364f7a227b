/**
 * disjointRuns (src/iort/overlap.ts), the sweep's shortcut, against its documented contract: true
 * exactly when, among the first `count` ranges, every range is non-empty, no two share an ID and
 * the list is at most 16 climbing runs (a new run begins at every range that starts at or before
 * the previous range's end). Before this test its result was only seen through sweepOverlaps,
 * where "false" merely costs a sort, so a shortcut that gave up too often went unnoticed (issue 12,
 * session 7). `expected` computes the contract the plain way: a pairwise (n²) overlap check and a
 * count of the places where a list stops climbing; nothing here is taken from the merge.
 */
import { describe, expect, it } from 'vitest';
import { disjointRuns, sweepOverlaps } from '../src/iort/overlap.js';

const MOST_RUNS = 16;

function expected(starts: number[], ends: number[]): boolean {
  const count = starts.length;
  for (let item = 0; item < count; item++) if (starts[item]! > ends[item]!) return false;
  let runs = 1;
  for (let item = 1; item < count; item++) if (starts[item]! <= ends[item - 1]!) runs++;
  if (runs > MOST_RUNS) return false;
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) if (starts[a]! <= ends[b]! && starts[b]! <= ends[a]!) return false;
  }
  return true;
}

/** disjointRuns over exactly-sized arrays, or with `tail` entries past `count` that it must not read. */
function disjoint(starts: number[], ends: number[], tail: [number, number][] = []): boolean {
  const all = [...starts.map((start, index): [number, number] => [start, ends[index]!]), ...tail];
  return disjointRuns(starts.length, Float64Array.from(all, (range) => range[0]), Float64Array.from(all, (range) => range[1]));
}

function random(seed: number) {
  return (bound: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % bound;
  };
}

/** `count` ranges, disjoint and non-empty, dealt into `groups` climbing groups listed in a shuffled order. */
function dealtRuns(next: (bound: number) => number, count: number, groups: number): { starts: number[]; ends: number[] } {
  const ranges: [number, number][] = [];
  let at = next(20);
  for (let item = 0; item < count; item++) {
    const start = at + 1 + next(5);
    const end = start + (next(3) === 0 ? 0 : next(9));
    ranges.push([start, end]);
    at = end;
  }
  const dealt: [number, number][][] = Array.from({ length: groups }, () => []);
  for (const range of ranges) dealt[next(groups)]!.push(range);
  for (let index = dealt.length - 1; index > 0; index--) {
    const other = next(index + 1);
    [dealt[index], dealt[other]] = [dealt[other]!, dealt[index]!];
  }
  const list = dealt.flat();
  return { starts: list.map((range) => range[0]), ends: list.map((range) => range[1]) };
}

describe('disjointRuns: the cases its merge must get right', () => {
  it('a single range, and no range at all, are disjoint (an empty range is not)', () => {
    expect(disjoint([], [])).toBe(true);
    expect(disjoint([5], [9])).toBe(true);
    expect(disjoint([5], [5])).toBe(true);
    expect(disjoint([5], [4])).toBe(false);
  });

  it('single-ID ranges that share no ID are disjoint; two that share it are not', () => {
    expect(disjoint([3, 5, 7], [3, 5, 7])).toBe(true);
    expect(disjoint([3, 3], [3, 3])).toBe(false);
  });

  it('two climbing runs, the second below the first: disjoint', () => {
    expect(disjoint([10, 0], [20, 5])).toBe(true);
    expect(disjoint([10, 30, 0, 22], [20, 40, 5, 25])).toBe(true);
  });

  it('descending single ranges are one run each', () => {
    expect(disjoint([10, 5, 0], [20, 6, 1])).toBe(true);
  });

  it('a run whose last range is not the highest one: the merge must not read past the run', () => {
    // Runs [20, 21] and [0, 1], [30, 31]: after [20, 21] its run is over while [30, 31] is still to come.
    expect(disjoint([20, 0, 30], [21, 1, 31])).toBe(true);
    // Runs [10, 11], [20, 21] and [0, 1], [5, 6]: both runs take turns.
    expect(disjoint([10, 20, 0, 5], [11, 21, 1, 6])).toBe(true);
  });

  it('touching ranges share their boundary ID, inside a run or across runs', () => {
    expect(disjoint([0, 5], [5, 8])).toBe(false);
    expect(disjoint([20, 0, 10], [25, 5, 20])).toBe(false);
  });

  it('ranges that start alike overlap whichever run holds them', () => {
    expect(disjoint([50, 10, 50], [60, 20, 55])).toBe(false);
  });

  it('a range inside a range of another run', () => {
    expect(disjoint([0, 100, 5], [10, 110, 6])).toBe(false);
  });

  it('one climbing run of 40 ranges is disjoint (more ranges than runs allowed)', () => {
    const starts = Array.from({ length: 40 }, (_, index) => 10 * index);
    expect(disjoint(starts, starts.map((start) => start + 3))).toBe(true);
  });

  it('16 descending runs are disjoint; 17 are past the limit and give false', () => {
    const descending = (runs: number) => Array.from({ length: runs }, (_, index) => 1000 - 10 * index);
    const sixteen = descending(16);
    expect(disjoint(sixteen, sixteen.map((start) => start + 5))).toBe(true);
    const seventeen = descending(17);
    expect(disjoint(seventeen, seventeen.map((start) => start + 5))).toBe(false);
    // 16 runs of three climbing ranges each: 48 ranges, still within the limit.
    const blocks = Array.from({ length: 16 }, (_, run) => [0, 1, 2].map((step) => 1000 - 40 * run + 10 * step)).flat();
    expect(disjoint(blocks, blocks.map((start) => start + 5))).toBe(true);
  });

  it('entries past count are not read', () => {
    // The tail would overlap every range, be empty, or start a run of its own.
    expect(disjoint([10, 30], [20, 40], [[0, 1000]])).toBe(true);
    expect(disjoint([10, 30], [20, 40], [[9, 1]])).toBe(true);
    expect(disjoint([10, 0], [20, 5], [[1, 2], [3, 4], [0, 0]])).toBe(true);
    expect(disjoint([10, 0], [20, 5], [[0, 1000]])).toBe(true);
  });
});

describe('disjointRuns against the contract on random lists', () => {
  it('disjoint lists dealt into 1–20 climbing groups, and the same lists spoiled one way or another', () => {
    const next = random(7);
    const outcomes = { true: 0, false: 0 };
    for (let trial = 0; trial < 6000; trial++) {
      const count = 1 + next(next(4) === 0 ? 60 : 12);
      const { starts, ends } = dealtRuns(next, count, 1 + next(20));
      const spoil = next(6);
      const victim = next(count);
      const other = next(count);
      if (spoil === 0) ends[victim] = starts[victim]! - 1 - next(3); // an empty range
      else if (spoil === 1) starts[victim] = ends[other]!; // lands on another range's last ID
      else if (spoil === 2) {
        starts[victim] = starts[other]!;
        ends[victim] = ends[other]!; // a duplicate
      }
      const tail: [number, number][] = next(2) === 0 ? [] : [[next(50), next(2000)], [0, 0]];
      const want = expected(starts, ends);
      outcomes[`${want}`]++;
      expect(disjoint(starts, ends, tail), `trial ${trial}: ${JSON.stringify([starts, ends, tail])}`).toBe(want);
    }
    // The sample holds both answers in number, so neither side of the contract goes untested.
    expect(outcomes.true).toBeGreaterThan(1500);
    expect(outcomes.false).toBeGreaterThan(1500);
  });
});

describe('sweepOverlaps on a long list already in order (the built-in sort skipped)', () => {
  it('20 climbing ranges with one reaching into the next: that one pair only', () => {
    const starts = Array.from({ length: 20 }, (_, index) => 10 * index);
    const ends = starts.map((start) => start + 5);
    ends[7] = 85; // [70, 85] holds 80–85 of [80, 85]
    const pairs: [number, number][] = [];
    sweepOverlaps(20, Float64Array.from(starts), Float64Array.from(ends), (item, earlier) => pairs.push([item, earlier]));
    // Sorted by start the list is as given; [80, 85] starts at or before 85, held by range 7.
    expect(pairs).toEqual([[8, 7]]);
  });
});
