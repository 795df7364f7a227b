/**
 * The group list, merged exactly as `iommu_insert_resv_region` (drivers/iommu/iommu.c, v5.3+)
 * merges it — docs/kernel-semantics.md §2. Inserting one region is two steps:
 *   1. place a copy before the first element E with R.start < E.start, or R.start == E.start
 *      and R.type <= E.type (else at the end);
 *   2. sweep the list front to back into a new list: other types pass through; an element X of
 *      R's type either starts a new run (no earlier element of that type, or X.start >
 *      T.end + 1 with T the latest one of that type) or extends T to max(T.end, X.end).
 * All arithmetic wraps at 64 bits like `phys_addr_t`, so malformed regions (end < start)
 * behave as on the kernel, and the result may depend on insertion order only for them.
 * Before v5.3 (`adjacent: false`) only overlapping same-type regions merge (kernel-semantics
 * §2; the old routine's multiple-overlap bugs are not reproduced).
 */
import { plainRegion } from './lazy-region.js';
import { compareStarts, REGION_TYPE_ORDER, U64_MASK, wrap64, type MergedRegion, type RegionDescriptor } from './types.js';

function copyOf(region: RegionDescriptor): MergedRegion {
  // Object.assign, then the added key (same keys in the same order as `{ ...region, parts }`): on
  // Node 20 a property added to a spread's copy, in the literal or after it, costs ~10 times this.
  // A lazy descriptor's strings are accessors a copy would lose: it is copied in its plain form.
  const copy = Object.assign({}, plainRegion(region)) as MergedRegion;
  copy.parts = 'parts' in region ? (region as MergedRegion).parts.slice() : [region];
  return copy;
}

/** The region tagged with the device that reported it (as `{ ...region, device }`, see copyOf). */
function tagged(region: RegionDescriptor, device: string): RegionDescriptor {
  const copy = Object.assign({}, plainRegion(region));
  copy.device = device;
  return copy;
}

export interface MergeOptions {
  /** Exactly adjacent same-type regions merge (v5.3+, the default). */
  adjacent?: boolean;
}

/** Inserts `region` into `list` (a merged group list) and returns the new list; `list` is left as it was. */
export function insertRegion(list: readonly MergedRegion[], region: RegionDescriptor, options: MergeOptions = {}): MergedRegion[] {
  // Elements of the region's type may be extended or dropped: those are copied, the rest shared.
  const own = list.map((element) => (element.type === region.type ? copyOf(element) : element));
  insertInto(own, copyOf(region), options.adjacent === false ? 0n : 1n);
  return own;
}

/** The two steps of the header comment on a list the caller owns (its elements of `added`'s type too), in place. */
function insertInto(list: MergedRegion[], added: MergedRegion, reach: bigint): void {
  const order = REGION_TYPE_ORDER[added.type];
  let at = 0;
  while (at < list.length) {
    const existing = list[at]!;
    if (added.start < existing.start || (added.start === existing.start && order <= REGION_TYPE_ORDER[existing.type])) break;
    at++;
  }
  list.splice(at, 0, added);
  // The sweep: `kept` elements stay; `top` is the latest kept element of the added type.
  let kept = 0;
  let top: MergedRegion | undefined;
  for (let index = 0; index < list.length; index++) {
    const element = list[index]!;
    if (element.type === added.type) {
      if (top !== undefined && element.start <= wrap64(top.end + reach)) {
        // top.length = max(top_end, iter_end) - top.start + 1: the end becomes the unsigned max.
        if (element.end > top.end) top.end = element.end;
        for (const part of element.parts) top.parts.push(part);
        continue;
      }
      top = element;
    }
    list[kept++] = element;
  }
  list.length = kept;
}

/**
 * `iommu_get_group_resv_regions`: every device's list in group order (probe order), each in
 * driver order, inserted one region at a time. Devices are tagged on the parts.
 */
export function mergeGroupRegions(deviceLists: Iterable<{ device?: string; regions: readonly RegionDescriptor[] }>, options: MergeOptions = {}): MergedRegion[] {
  const reach = options.adjacent === false ? 0n : 1n;
  // Every element is a copy made here, so the list is merged in place.
  const list: MergedRegion[] = [];
  for (const { device, regions } of deviceLists) {
    for (const region of regions) insertInto(list, copyOf(device === undefined || region.device !== undefined ? region : tagged(region, device)), reach);
  }
  return list;
}

/** Merges one flat list in order (a single device, or any list of regions). */
export function mergeRegions(regions: readonly RegionDescriptor[], options: MergeOptions = {}): MergedRegion[] {
  return mergeGroupRegions([{ regions }], options);
}

/**
 * The reference algorithm of §2 for well-formed regions (end >= start): per type, sort by
 * start and sweep with `start <= end + 1` (an end of 2^64 − 1 never merges further), then sort
 * by (start, type). Equal to `mergeRegions` for well-formed input; used by the tests.
 */
export function normaliseRegions(regions: readonly RegionDescriptor[]): MergedRegion[] {
  const buckets = new Map<string, MergedRegion[]>();
  for (const region of regions) {
    const bucket = buckets.get(region.type) ?? [];
    bucket.push(copyOf(region));
    buckets.set(region.type, bucket);
  }
  const result: MergedRegion[] = [];
  for (const bucket of buckets.values()) {
    bucket.sort(compareStarts);
    let current: MergedRegion | undefined;
    for (const region of bucket) {
      if (current !== undefined && current.end !== U64_MASK && region.start <= current.end + 1n) {
        if (region.end > current.end) current.end = region.end;
        current.parts.push(...region.parts);
      } else {
        current = region;
        result.push(current);
      }
    }
  }
  return result.sort(compareRegions);
}

/** (start, type) order of the group list. */
export function compareRegions(left: RegionDescriptor, right: RegionDescriptor): number {
  return compareStarts(left, right) || REGION_TYPE_ORDER[left.type] - REGION_TYPE_ORDER[right.type];
}
