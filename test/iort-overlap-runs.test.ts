/**
 * The climbing-runs shortcut of sweepOverlaps (src/iort/overlap.ts, spec §5 rule 27): a list made of
 * a few runs, each climbing (every range starts past the end of the one before it), is merged by
 * start instead of having its IDs noted or being sorted. It may only end the sweep early when no
 * two ranges share an ID, so each case is checked against a pairwise comparison of every two
 * ranges, which knows nothing of runs, sorting or ID sets.
 */
import { describe, expect, it } from 'vitest';
import { sweepOverlaps } from '../src/iort/overlap.js';

const sweep = (starts: number[], ends: number[]) => {
  const pairs: [number, number][] = [];
  sweepOverlaps(starts.length, Float64Array.from(starts), Float64Array.from(ends), (item, earlier) => pairs.push([item, earlier]));
  return pairs;
};

/** Some two inclusive ranges share an ID. */
function anyPairShares(starts: number[], ends: number[]): boolean {
  for (let a = 0; a < starts.length; a++) for (let b = 0; b < a; b++) if (starts[a]! <= ends[b]! && starts[b]! <= ends[a]!) return true;
  return false;
}

describe('sweepOverlaps on lists of climbing runs', () => {
  it('reports nothing for interleaved runs of stream IDs that share no ID (a Qualcomm-style named component)', () => {
    // Three runs: 0x3030000–0x303000f, 0x30000–0x30007, 0x3030010–0x303001f (the third fills in after the first).
    const starts = [
      ...Array.from({ length: 16 }, (_, index) => 0x3030000 + index),
      ...Array.from({ length: 8 }, (_, index) => 0x30000 + index),
      ...Array.from({ length: 16 }, (_, index) => 0x3030010 + index),
    ];
    expect(sweep(starts, starts)).toEqual([]);
  });

  it('reports a range of a later run that lands on an ID of an earlier run, and one starting where another run ends', () => {
    // Runs [10, 20] [30, 40] and [15, 15]: 15 lies inside [10, 20]. Range 2 is reported against range 0.
    expect(sweep([10, 30, 15], [20, 40, 15])).toEqual([[2, 0]]);
    // Runs [10, 20] and [20, 25]: they share ID 20.
    expect(sweep([10, 20], [20, 25])).toEqual([[1, 0]]);
    // Equal starts in two runs: [5, 5] [7, 9] then [5, 6].
    expect(sweep([5, 7, 5], [5, 9, 6])).toEqual([[2, 0]]);
  });

  it('agrees with a pairwise comparison on random lists of up to twelve runs', () => {
    let seed = 12345;
    const next = (bound: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % bound;
    };
    let disjointLists = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const starts: number[] = [];
      const ends: number[] = [];
      const runs = 1 + next(12);
      for (let run = 0; run < runs; run++) {
        let at = next(400);
        for (let length = 1 + next(6); length > 0; length--) {
          const width = next(3);
          starts.push(at);
          ends.push(at + width);
          at += width + 1 + next(40);
        }
      }
      const pairs = sweep(starts, ends);
      const shares = anyPairShares(starts, ends);
      if (!shares) disjointLists++;
      expect(pairs.length > 0, `trial ${trial}`).toBe(shares);
      for (const [item, earlier] of pairs) expect(starts[item]! <= ends[earlier]! && starts[earlier]! <= ends[item]!).toBe(true);
    }
    // Both outcomes are exercised.
    expect(disjointLists).toBeGreaterThan(100);
    expect(disjointLists).toBeLessThan(2900);
  });
});
