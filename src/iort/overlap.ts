/**
 * Overlap detection by sort and sweep (n log n), shared by ID-range (spec §5 #27) and RMR
 * descriptor (§3.12) checks. Linux compares RMR descriptors pairwise; a sweep reports the same
 * overlapping entries without quadratic work on hostile counts.
 */

/**
 * Calls `onOverlap(item, earlier)` for every item whose inclusive range `[start, end]` begins at
 * or before the furthest end seen so far. `earlier` is the item holding that furthest end (on a
 * tie, the one sorted last). Items are indices `0..count-1`.
 */
export function sweepOverlaps<T extends number | bigint>(
  count: number,
  start: (item: number) => T,
  end: (item: number) => T,
  onOverlap: (item: number, earlier: number) => void,
): void {
  if (count < 2) return;
  const order = Array.from({ length: count }, (_, item) => item);
  order.sort((a, b) => compare(start(a), start(b)) || compare(end(a), end(b)) || a - b);
  let furthest = order[0]!;
  for (let position = 1; position < count; position++) {
    const item = order[position]!;
    if (start(item) <= end(furthest)) onOverlap(item, furthest);
    if (end(item) >= end(furthest)) furthest = item;
  }
}

function compare<T extends number | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
