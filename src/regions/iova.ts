/**
 * Usable IOVA ranges as the consumers compute them (docs/kernel-semantics.md §5):
 * - VFIO type1 (`vfio_iommu_type1_attach_group`): the aperture minus every region of the
 *   merged group list except DIRECT_RELAXABLE, done literally as `vfio_iommu_resv_exclude`;
 * - iommufd (`iopt_table_enforce_dev_resv_regions`): the same rule applied per device to its
 *   own unmerged list, plus the "sane MSI combination" check.
 */
import { isMalformed, U64_MASK, type AddressRange, type RegionDescriptor } from './types.js';

export type IovaRange = AddressRange;

/** `[0, 2^bits − 1]`. */
export function apertureFromBits(bits: number): IovaRange {
  if (!Number.isInteger(bits) || bits < 1 || bits > 64) throw new RangeError(`aperture width ${bits} is not 1..64 bits`);
  return { start: 0n, end: (1n << BigInt(bits)) - 1n };
}

/**
 * `48` (bits) or `0xSTART-0xEND` (inclusive); undefined when the text is neither or the range
 * is empty.
 */
export function parseAperture(text: string): IovaRange | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const bits = Number(trimmed);
    return bits >= 1 && bits <= 64 ? apertureFromBits(bits) : undefined;
  }
  const range = parseRange(trimmed);
  return range !== undefined && range.start <= range.end ? range : undefined;
}

/** `0x1000-0x1fff` (either bound hex or decimal, inclusive); undefined otherwise. */
export function parseRange(text: string): IovaRange | undefined {
  const match = /^(0x[0-9a-f]+|\d+)\s*-\s*(0x[0-9a-f]+|\d+)$/i.exec(text.trim());
  if (match === null) return undefined;
  const start = BigInt(match[1]!);
  const end = BigInt(match[2]!);
  return start <= U64_MASK && end <= U64_MASK ? { start, end } : undefined;
}

/** True for the region types VFIO and iommufd carve out (everything but DIRECT_RELAXABLE). */
export function blocksIova(region: Pick<RegionDescriptor, 'type'>): boolean {
  return region.type !== 'direct-relaxable';
}

export interface VfioIovaResult {
  /** Sorted inclusive ranges (for well-formed regions also non-overlapping). */
  ranges: IovaRange[];
  /** Nothing left: the attach fails with -EINVAL. */
  empty: boolean;
  /** MSI handling: a HW MSI region exists (no SW MSI cookie), or the SW_MSI base used. */
  msi: { hardware: boolean; swMsiBase?: bigint };
}

/**
 * VFIO type1: start from the aperture and cut every non-relaxable region out, in list order,
 * as `vfio_iommu_resv_exclude` does (new pieces go where the split range was).
 */
export function vfioUsableIova(aperture: IovaRange, groupRegions: readonly RegionDescriptor[]): VfioIovaResult {
  let ranges: IovaRange[] = [{ ...aperture }];
  for (const region of groupRegions) if (blocksIova(region)) ranges = subtractRange(ranges, region);
  const hardware = groupRegions.some((region) => region.type === 'msi');
  const swMsi = groupRegions.filter((region) => region.type === 'sw-msi');
  const msi: VfioIovaResult['msi'] = { hardware };
  if (!hardware && swMsi.length > 0) msi.swMsiBase = swMsi[swMsi.length - 1]!.start;
  return { ranges, empty: ranges.length === 0, msi };
}

/**
 * `ranges` minus `cut`, one `vfio_iommu_resv_exclude` step: each range `cut` touches is
 * replaced in place by what lies below and above it. Sorted disjoint ranges stay so when `cut`
 * is well formed.
 */
export function subtractRange(ranges: readonly IovaRange[], cut: IovaRange): IovaRange[] {
  const result: IovaRange[] = [];
  for (const range of ranges) {
    if (cut.start > range.end || cut.end < range.start) {
      result.push(range);
      continue;
    }
    if (cut.start > range.start) result.push({ start: range.start, end: cut.start - 1n });
    if (cut.end < range.end) result.push({ start: cut.end + 1n, end: range.end });
  }
  return result;
}

export interface IommufdDeviceIova {
  device: string;
  ranges: IovaRange[];
  /** Why the attach would fail (`WARN_ON` + -EINVAL), if it would. */
  refused?: string;
  /** Regions with end < start: the interval tree keeps them but they reserve nothing here. */
  ignored: RegionDescriptor[];
}

export interface IommufdIovaResult {
  /** The IOAS after attaching every device: aperture minus all their reservations. */
  ranges: IovaRange[];
  devices: IommufdDeviceIova[];
}

/** iommufd: each device reserves its own list (except DIRECT_RELAXABLE) in the shared IOAS. */
export function iommufdUsableIova(aperture: IovaRange, devices: readonly { device: string; regions: readonly RegionDescriptor[] }[]): IommufdIovaResult {
  let shared: IovaRange[] = [{ ...aperture }];
  const perDevice: IommufdDeviceIova[] = [];
  for (const { device, regions } of devices) {
    let own: IovaRange[] = [{ ...aperture }];
    const ignored: RegionDescriptor[] = [];
    for (const region of regions) {
      if (!blocksIova(region)) continue;
      if (isMalformed(region)) {
        ignored.push(region);
        continue;
      }
      own = subtractRange(own, region);
      shared = subtractRange(shared, region);
    }
    const hardware = regions.filter((region) => region.type === 'msi').length;
    const software = regions.filter((region) => region.type === 'sw-msi').length;
    const entry: IommufdDeviceIova = { device, ranges: own, ignored };
    if (software > 0 && hardware > 0) entry.refused = 'device reports both a hardware MSI and a software MSI window (iommufd WARN_ON, -EINVAL)';
    else if (software > 1) entry.refused = 'device reports more than one software MSI window (iommufd WARN_ON, -EINVAL)';
    perDevice.push(entry);
  }
  return { ranges: shared, devices: perDevice };
}
