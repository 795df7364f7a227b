/**
 * Overlap detection by sort and sweep (n log n), shared by ID-range (spec §5 #27) and RMR
 * descriptor (§3.12) checks. Linux compares RMR descriptors pairwise; a sweep reports the same
 * overlapping entries without quadratic work on hostile counts.
 *
 * The sort order lives in a typed array reused across calls (grown on demand) and the comparator
 * is one module-level function, so a parse allocates no closures or index arrays here (issue 14:
 * the closure-based version was 18% of IORT parse time).
 */

let order = new Uint32Array(16);
let sortStarts: ArrayLike<number | bigint> = [];
let sortEnds: ArrayLike<number | bigint> = [];

/**
 * Calls `onOverlap(item, earlier)` for every item whose inclusive range `[starts[item],
 * ends[item]]` begins at or before the furthest end seen so far. `earlier` is the item holding
 * that furthest end (on a tie, the one sorted last). Items are indices `0..count-1`. Not
 * re-entrant: `onOverlap` must not call `sweepOverlaps`.
 */
export function sweepOverlaps<T extends number | bigint>(
  count: number,
  starts: ArrayLike<T>,
  ends: ArrayLike<T>,
  onOverlap: (item: number, earlier: number) => void,
): void {
  if (count < 2) return;
  if (order.length < count) order = new Uint32Array(Math.max(count, order.length * 2));
  for (let item = 0; item < count; item++) order[item] = item;
  sortStarts = starts;
  sortEnds = ends;
  if (count <= INSERTION_SORT_MAX) insertionSort(count);
  else if (!inOrder(count)) order.subarray(0, count).sort(byRange);
  sortStarts = sortEnds = [];
  let furthest = order[0]!;
  for (let position = 1; position < count; position++) {
    const item = order[position]!;
    if (starts[item]! <= ends[furthest]!) onOverlap(item, furthest);
    if (ends[item]! >= ends[furthest]!) furthest = item;
  }
}

/** Up to this many items are sorted in place by insertion (a node has a handful of mappings; the built-in sort's set-up and comparator calls cost more there). */
const INSERTION_SORT_MAX = 16;

/** True when the items are already sorted (firmware lists mappings by input base). */
function inOrder(count: number): boolean {
  for (let position = 1; position < count; position++) if (byRange(order[position - 1]!, order[position]!) > 0) return false;
  return true;
}

function insertionSort(count: number): void {
  for (let position = 1; position < count; position++) {
    const item = order[position]!;
    let hole = position;
    while (hole > 0 && byRange(order[hole - 1]!, item) > 0) {
      order[hole] = order[hole - 1]!;
      hole--;
    }
    order[hole] = item;
  }
}

function byRange(a: number, b: number): number {
  return compare(sortStarts[a]!, sortStarts[b]!) || compare(sortEnds[a]!, sortEnds[b]!) || a - b;
}

function compare(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
