/**
 * Guest RAM layout against reserved regions. Without a vIOMMU, guest RAM is mapped with
 * IOVA = GPA, so any RAM range that overlaps a region VFIO carves out makes
 * `VFIO_IOMMU_MAP_DMA` fail with -EINVAL (docs/kernel-semantics.md §5.3). Every overlap is listed,
 * relaxable ones too (marked as not blocking), with the region's provenance.
 */
import { parseRange, blocksIova, type IovaRange } from './iova.js';
import { isMalformed, type RegionDescriptor } from './types.js';

export interface RegionOwner {
  /** BDF (or name) of the device that reports the regions. */
  device?: string;
  group?: number;
  regions: readonly RegionDescriptor[];
}

export interface Conflict {
  ram: IovaRange;
  region: RegionDescriptor;
  device?: string;
  group?: number;
  /** The addresses both cover. */
  overlap: IovaRange;
  /** True unless the region is DIRECT_RELAXABLE (which VFIO and iommufd do not carve out). */
  blocking: boolean;
}

export function findConflicts(ram: readonly IovaRange[], owners: readonly RegionOwner[]): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const range of ram) {
    for (const owner of owners) {
      for (const region of owner.regions) {
        // A malformed region (end < start) covers nothing as an interval.
        if (isMalformed(region) || region.start > range.end || region.end < range.start) continue;
        const conflict: Conflict = {
          ram: range,
          region,
          overlap: { start: region.start > range.start ? region.start : range.start, end: region.end < range.end ? region.end : range.end },
          blocking: blocksIova(region),
        };
        const device = owner.device ?? region.device;
        if (device !== undefined) conflict.device = device;
        if (owner.group !== undefined) conflict.group = owner.group;
        conflicts.push(conflict);
      }
    }
  }
  return conflicts;
}

/**
 * `0x0-0x7fffffff,0x100000000-0x27fffffff` → ranges (inclusive). Throws a RangeError naming
 * the piece that is not a range.
 */
export function parseRangeList(text: string): IovaRange[] {
  return text
    .split(',')
    .map((piece) => piece.trim())
    .filter((piece) => piece.length > 0)
    .map((piece) => {
      const range = parseRange(piece);
      if (range === undefined || range.start > range.end) throw new RangeError(`"${piece}" is not a range like 0x0-0x7fffffff`);
      return range;
    });
}

/**
 * Ranges from JSON: `[{"start": "0x0", "end": "0x7fffffff"}]`, `[{"start": …, "size": …}]`,
 * `[["0x0", "0x7fffffff"]]`, or `{"ram": [...]}`. Throws a RangeError on anything else.
 */
export function rangesFromJson(value: unknown): IovaRange[] {
  const list = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? (value as Record<string, unknown>).ram : undefined;
  if (!Array.isArray(list)) throw new RangeError('expected a list of ranges or {"ram": [...]}');
  return list.map((item, position) => {
    const toBig = (field: unknown): bigint | undefined =>
      typeof field === 'number' && Number.isSafeInteger(field) && field >= 0
        ? BigInt(field)
        : typeof field === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(field.trim())
          ? BigInt(field.trim())
          : undefined;
    let start: bigint | undefined;
    let end: bigint | undefined;
    if (Array.isArray(item)) [start, end] = [toBig(item[0]), toBig(item[1])];
    else if (typeof item === 'object' && item !== null) {
      const record = item as Record<string, unknown>;
      start = toBig(record.start);
      const size = toBig(record.size);
      end = record.end !== undefined ? toBig(record.end) : start !== undefined && size !== undefined && size > 0n ? start + size - 1n : undefined;
    }
    if (start === undefined || end === undefined || start > end) throw new RangeError(`ram[${position}] is not a range ({"start", "end"} inclusive, or {"start", "size"})`);
    return { start, end };
  });
}
