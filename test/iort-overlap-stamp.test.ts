/**
 * The ID set of src/iort/overlap.ts (`disjointByIds`, a bytes/scratch-index.ts ScratchIndex) marks
 * each call's IDs with a stamp kept in a Uint32Array; at 0xffffffff every stored stamp is cleared
 * and counting restarts at 1. Without the wrap the stamp would reach 2^32, which a Uint32Array stores as 0, so no ID would ever be
 * seen twice and ranges sharing an ID would be called disjoint: the overlap finding would be lost.
 * Reaching the wrap takes 2^32 − 1 calls, so the test moves the stamp with the module's seam.
 */
import { describe, expect, it } from 'vitest';
import { setIdStampForTest, sweepOverlaps } from '../src/iort/overlap.js';

function swept(starts: number[], ends: number[]): [number, number][] {
  const pairs: [number, number][] = [];
  sweepOverlaps(starts.length, Float64Array.from(starts), Float64Array.from(ends), (item, earlier) => pairs.push([item, earlier]));
  return pairs;
}

describe('overlap ID set across its stamp wrap', () => {
  it('ranges sharing an ID are reported before, at and after the wrap; disjoint ones are not', () => {
    // Sized first: a set that has to grow starts counting afresh, which would undo the seam.
    swept([5, 3], [6, 5]);
    setIdStampForTest(0xffff_fffd);
    // Out of order, so the sort would be needed: [5, 6] and [3, 5] share ID 5 (item 0 starts at or before item 1's end).
    expect(swept([5, 3], [6, 5])).toEqual([[0, 1]]); // stamp 0xfffffffe
    expect(swept([8, 1], [9, 2])).toEqual([]); // reaches 0xffffffff: cleared, restarts at 1
    expect(swept([5, 3], [6, 5])).toEqual([[0, 1]]); // stamp 2
    expect(swept([5, 3], [6, 5])).toEqual([[0, 1]]); // stamp 3
  });
});
