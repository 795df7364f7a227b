/**
 * Region descriptors: one reserved IOVA range as a driver reports it for a device, with where
 * it came from. Types keep the kernel's distinctions (DIRECT vs DIRECT_RELAXABLE, MSI vs
 * SW_MSI); strings only appear at print time (docs/kernel-semantics.md §1).
 */

export type RegionType = 'direct' | 'direct-relaxable' | 'reserved' | 'msi' | 'sw-msi';

/** `enum iommu_resv_type` order: the secondary sort key of the group list. */
export const REGION_TYPE_ORDER: Readonly<Record<RegionType, number>> = {
  direct: 0,
  'direct-relaxable': 1,
  reserved: 2,
  msi: 3,
  'sw-msi': 4,
};

export const REGION_TYPES = Object.keys(REGION_TYPE_ORDER) as RegionType[];

/** What `/sys/kernel/iommu_groups/N/reserved_regions` prints for a type (SW_MSI prints `msi`). */
export type SysfsTypeName = 'direct' | 'direct-relaxable' | 'reserved' | 'msi';

export function sysfsTypeName(type: RegionType): SysfsTypeName {
  return type === 'sw-msi' ? 'msi' : type;
}

/** `IOMMU_READ` … `IOMMU_PRIV` from include/linux/iommu.h; not visible in sysfs. */
export const PROT = { read: 1, write: 2, cache: 4, noexec: 8, mmio: 16, priv: 32 } as const;

export interface RegionSource {
  table: 'DMAR' | 'IORT' | 'MADT' | 'IVRS' | 'kernel';
  /** Byte offset of the structure in its table. */
  offset?: number;
  /** e.g. 'RMRR', 'RMR', 'GIC ITS', 'interrupt window', 'ISA bridge (floppy workaround)', 'SW MSI window'. */
  structure: string;
  /** e.g. the scope entry or descriptor that matched. */
  detail?: string;
}

/**
 * A descriptor may be a plain object or, where a derivation makes one per table item (the DMAR's
 * RMRR scopes without a topology), a `LazyRegion` (lazy-region.ts) whose `start`, `end`, `source`,
 * `device` and `source.detail` are accessors read from the table on first use and kept. Read fields as
 * usual; for a spread, `Object.assign` or a deep equality use `plainRegion(region)`; JSON is the same.
 */
export interface RegionDescriptor {
  start: bigint;
  /** Inclusive end, modulo 2^64 (a zero-length region has end = start − 1). */
  end: bigint;
  type: RegionType;
  prot: number;
  source: RegionSource;
  /** Why this type, e.g. "xHCI controller (class 0x0c0330) is relaxable". */
  reason?: string;
  /** The device that reported it, when known (BDF for PCI). */
  device?: string;
  /**
   * Set when the kernel's relaxable rule holds but the kernel version asked for has no
   * DIRECT_RELAXABLE type (before v5.3, src/regions/kernel-versions.ts): reported as `direct`.
   */
  relaxableAsDirect?: true;
}

/** A group-list element: the surviving descriptor plus every descriptor merged into it. */
export interface MergedRegion extends RegionDescriptor {
  parts: RegionDescriptor[];
}

export const U64_MASK = (1n << 64n) - 1n;

/** Wrapping 64-bit arithmetic, as `phys_addr_t` does it. */
export function wrap64(value: bigint): bigint {
  return value & U64_MASK;
}

/** `end − start + 1` modulo 2^64 (0 for a zero-length region). */
export function regionLength(region: Pick<RegionDescriptor, 'start' | 'end'>): bigint {
  return wrap64(region.end - region.start + 1n);
}

/** A region whose end lies before its start (wrapped length or zero length): kept, but odd. */
export function isMalformed(region: Pick<RegionDescriptor, 'start' | 'end'>): boolean {
  return region.end < region.start;
}

/** An inclusive address range. */
export interface AddressRange {
  start: bigint;
  end: bigint;
}

/** Ascending `start` order (a sort comparator). */
export function compareStarts(left: Pick<AddressRange, 'start'>, right: Pick<AddressRange, 'start'>): number {
  return left.start < right.start ? -1 : left.start > right.start ? 1 : 0;
}

/** Re-exported for the region modules, which import it from here. */
export { hex } from '../bytes/hex.js';
