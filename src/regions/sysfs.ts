/**
 * `/sys/kernel/iommu_groups/N/reserved_regions` text (`iommu_group_show_resv_regions`):
 * `0x%016llx 0x%016llx %s\n` per region — start, inclusive end (start + length − 1, wrapping),
 * type string. No header; an empty list is an empty file.
 */
import { sysfsTypeName, wrap64, type RegionDescriptor, type SysfsTypeName } from './types.js';

const PAGE_SIZE = 4096;

function hex16(value: bigint): string {
  return `0x${wrap64(value).toString(16).padStart(16, '0')}`;
}

export function formatSysfsLine(region: Pick<RegionDescriptor, 'start' | 'end' | 'type'>): string {
  return `${hex16(region.start)} ${hex16(region.end)} ${sysfsTypeName(region.type)}\n`;
}

export interface SysfsFormatOptions {
  /**
   * Stop at the 4096-byte page like current kernels (`sysfs_emit_at`). Linux 6.1 and older
   * used unbounded `sprintf`: same text, no cut. Default false.
   */
  pageLimit?: boolean;
}

export function formatSysfs(regions: Iterable<Pick<RegionDescriptor, 'start' | 'end' | 'type'>>, options: SysfsFormatOptions = {}): string {
  let text = '';
  for (const region of regions) {
    const line = formatSysfsLine(region);
    if (options.pageLimit === true && text.length + line.length > PAGE_SIZE - 1) {
      // sysfs_emit_at writes what fits in the page (it keeps one byte for the NUL).
      text += line.slice(0, PAGE_SIZE - 1 - text.length);
      break;
    }
    text += line;
  }
  return text;
}

export interface SysfsRegion {
  start: bigint;
  end: bigint;
  type: SysfsTypeName;
}

const LINE = /^0x([0-9a-f]+) 0x([0-9a-f]+) (direct-relaxable|direct|reserved|msi)$/;

/** Reads a `reserved_regions` file back; undefined when a line does not have the kernel's shape. */
export function parseSysfs(text: string): SysfsRegion[] | undefined {
  const regions: SysfsRegion[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const match = LINE.exec(line);
    if (match === null) return undefined;
    regions.push({ start: BigInt(`0x${match[1]}`), end: BigInt(`0x${match[2]}`), type: match[3] as SysfsTypeName });
  }
  return regions;
}
