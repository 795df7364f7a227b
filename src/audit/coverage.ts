/**
 * How much of a range the memory map reserves. Two views (docs/kernel-semantics.md §3.2):
 * - single entry — what `arch_rmrr_sanity_check` asks: one entry of an accepted kind
 *   (reserved, and ACPI NVS in newer kernels) holds the whole range;
 * - union — the accepted entries together cover it (several adjacent entries), partly, or not
 *   at all.
 * Plus the parts that lie in memory the OS hands out (System RAM and the like) or in no entry.
 */
import { subtractRange } from '../regions/iova.js';
import type { AddressRange } from '../regions/types.js';
import { OS_MEMORY_KINDS, type MemoryKind, type MemoryMap, type MemoryMapEntry } from './memmap.js';

export type CoverageVerdict = 'inside' | 'inside-union' | 'partly' | 'outside';

export interface Coverage {
  verdict: CoverageVerdict;
  /** The accepted entry that holds the whole range, if any. */
  singleEntry?: MemoryMapEntry;
  /** Entries that overlap the range, in address order. */
  overlapping: MemoryMapEntry[];
  /** Bytes of the range inside accepted entries, and the range's size. */
  coveredBytes: bigint;
  totalBytes: bigint;
  /** Parts inside memory the OS hands out (`OS_MEMORY_KINDS`). */
  osMemory: AddressRange[];
  /** Parts inside no entry at all. */
  holes: AddressRange[];
}

function overlaps(left: AddressRange, right: AddressRange): boolean {
  return left.start <= right.end && right.start <= left.end;
}

const size = (range: AddressRange) => range.end - range.start + 1n;

/** Whole percent of the range inside accepted entries (the union view). */
export function coveredPercent(coverage: Coverage): bigint {
  return coverage.totalBytes === 0n ? 0n : (coverage.coveredBytes * 100n) / coverage.totalBytes;
}

/** `range` must be well-formed (start ≤ end). */
export function rangeCoverage(range: AddressRange, map: MemoryMap, accepted: readonly MemoryKind[]): Coverage {
  const overlapping = map.entries.filter((entry) => overlaps(entry, range));
  const outside = (kinds: (kind: MemoryKind) => boolean) => overlapping.filter((entry) => kinds(entry.kind)).reduce((left, entry) => subtractRange(left, entry), [range]);
  const totalBytes = size(range);
  const coveredBytes = totalBytes - outside((kind) => accepted.includes(kind)).reduce((total, part) => total + size(part), 0n);
  const singleEntry = overlapping.find((entry) => accepted.includes(entry.kind) && entry.start <= range.start && entry.end >= range.end);
  const verdict: CoverageVerdict =
    singleEntry !== undefined ? 'inside' : coveredBytes === totalBytes ? 'inside-union' : coveredBytes > 0n ? 'partly' : 'outside';
  const holes = outside(() => true);
  // What no other kind covers, minus what no entry covers at all, is in memory the OS hands out.
  const osMemory = holes.reduce((left, hole) => subtractRange(left, hole), outside((kind) => !OS_MEMORY_KINDS.includes(kind)));
  const coverage: Coverage = { verdict, overlapping, coveredBytes, totalBytes, osMemory, holes };
  if (singleEntry !== undefined) coverage.singleEntry = singleEntry;
  return coverage;
}
