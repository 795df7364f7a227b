/**
 * Overlap detection by sort and sweep (n log n), shared by ID-range (spec §5 #27) and RMR
 * descriptor (§3.12) checks. Linux compares RMR descriptors pairwise; a sweep reports the same
 * overlapping entries without quadratic work on hostile counts. Ranges are numbers in
 * Float64Arrays only (RMR's 64-bit bounds come as their ranks): one BigInt caller made every
 * comparison here generic, a sixth of IORT parse time.
 *
 * The sort order lives in typed arrays reused across calls (grown on demand) and the comparator
 * is one module-level function, so a parse allocates no closures or index arrays here (issue 14:
 * the closure-based version was 18% of IORT parse time). A list of a few climbing runs, as firmware
 * lists stream-ID ranges, is settled without sorting.
 */

let order = new Uint32Array(16);
const NONE = new Float64Array(0);
let sortStarts: Float64Array = NONE;
let sortEnds: Float64Array = NONE;

/**
 * Calls `onOverlap(item, earlier)` for every item whose inclusive range `[starts[item],
 * ends[item]]` begins at or before the furthest end seen so far. `earlier` is the item holding
 * that furthest end (on a tie, the one sorted last). Items are indices `0..count-1`, sorted by
 * start, then end, then index. Not re-entrant: `onOverlap` must not call `sweepOverlaps`.
 */
export function sweepOverlaps(count: number, starts: Float64Array, ends: Float64Array, onOverlap: (item: number, earlier: number) => void): void {
  if (count < 2) return;
  if (order.length < count) order = new Uint32Array(Math.max(count, order.length * 2));
  if (disjointRuns(count, starts, ends)) return;
  sortByRange(count, starts, ends);
  let furthest = order[0]!;
  for (let position = 1; position < count; position++) {
    const item = order[position]!;
    if (starts[item]! <= ends[furthest]!) onOverlap(item, furthest);
    if (ends[item]! >= ends[furthest]!) furthest = item;
  }
}

/** Ascending runs merged at most: each merge step looks at every run's next range. */
const MAX_RUNS = 16;
// Per run: where it ends in the list (exclusive), its next unmerged item and that item's start
// (Infinity once the run is merged); reused across calls.
const runEnd = new Int32Array(MAX_RUNS);
const runNext = new Int32Array(MAX_RUNS);
const runHead = new Float64Array(MAX_RUNS);

/**
 * Exactly true when, among the first `count` ranges, every range is non-empty (start <= end), no
 * two share an ID, and the list splits into at most MAX_RUNS climbing runs (a run ends before every
 * range that starts at or before the previous range's end); false otherwise, including for a
 * disjoint list of more runs (the sweep then decides). Entries past `count` are not read. How: the
 * runs are merged by start, and each range must start past every end merged before it. Firmware
 * lists stream IDs as a few such runs (a block per device, the blocks in any order, often
 * interleaved): this settles them in one pass, noting no ID and sorting nothing. Exported for
 * test/iort-mutation-s7-disjoint-runs.test.ts only (not part of the package's index).
 */
export function disjointRuns(count: number, starts: Float64Array, ends: Float64Array): boolean {
  let runs = 1;
  runNext[0] = 0;
  runHead[0] = starts[0]!;
  for (let item = 0; item < count; item++) {
    if (!(ends[item]! >= starts[item]!)) return false;
    if (item === 0 || starts[item]! > ends[item - 1]!) continue;
    if (runs === MAX_RUNS) return false;
    runEnd[runs - 1] = item;
    runNext[runs] = item;
    runHead[runs] = starts[item]!;
    runs++;
  }
  runEnd[runs - 1] = count;
  let furthest = -Infinity;
  for (let merged = 0; merged < count; merged++) {
    // The run whose next range starts lowest (on a tie the first: the other then starts inside it).
    let lowest = 0;
    for (let run = 1; run < runs; run++) if (runHead[run]! < runHead[lowest]!) lowest = run;
    const item = runNext[lowest]!;
    if (starts[item]! <= furthest) return false;
    furthest = ends[item]!;
    const next = item + 1;
    runNext[lowest] = next;
    runHead[lowest] = next < runEnd[lowest]! ? starts[next]! : Infinity;
  }
  return true;
}

/** Up to this many items are sorted in place by insertion (a node has a handful of mappings; the built-in sort's set-up costs more there). */
const INSERTION_SORT_MAX = 16;

function sortByRange(count: number, starts: Float64Array, ends: Float64Array): void {
  for (let item = 0; item < count; item++) order[item] = item;
  sortStarts = starts;
  sortEnds = ends;
  if (count <= INSERTION_SORT_MAX) insertionSort(count);
  else if (!inOrder(count)) order.subarray(0, count).sort(byRange);
  sortStarts = sortEnds = NONE;
}

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
  return sortStarts[a]! - sortStarts[b]! || sortEnds[a]! - sortEnds[b]! || a - b;
}
