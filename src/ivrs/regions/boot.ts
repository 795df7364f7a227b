/**
 * What Linux 6.1 builds from an IVRS at boot (drivers/iommu/amd/init.c), as data:
 *  - the IVHD type it uses (`get_highest_supported_ivhd_type`): starting from the first block,
 *    the last type seen for the first block's device ID, scanning while types are ≤ 0x40;
 *  - per PCI segment, `last_bdf` (`find_last_devid_from_ivhd`: the highest ID of a select,
 *    range-end, alias-select or extended-select entry, 0xFFFF for "all"; an IVHD with none of
 *    them fails the whole init), which requester IDs an IOMMU translates (`init_iommu_from_acpi`,
 *    minus each IOMMU's own ID, `init_iommu_one_late`), and the IVHD DMA aliases;
 *  - the unity map (`init_memory_definitions` → `init_unity_map_range`).
 * Coverage and aliases are kept as ID intervals, so the work stays linear in the table.
 */
import { hex } from '../../bytes/hex.js';
import type { RegionFinding } from '../../regions/codes.js';
import { PROT } from '../../regions/types.js';
import type { DeviceEntry } from '../device-entry.js';
import type { IvhdBlock } from '../ivhd.js';
import type { IvmdBlock } from '../ivmd.js';
import {
  BLOCK_DEVICE_ID,
  IVHD_TYPES,
  IVHD_TYPE_40,
  IVHD_TYPE_MAX_SUPPORTED,
  IVMD_FLAG_EXCLUSION,
  IVMD_FLAG_UNITY,
  IVMD_TYPE_ALL,
  IVMD_TYPE_SELECT,
} from '../layout.js';
import type { IvrsTable } from '../table.js';
import { amdFinding } from './codes.js';

/** Requester IDs `[first, last]` that one IVHD entry hands to an IOMMU. */
export interface CoveredIds {
  first: number;
  last: number;
  /** Offset of the IVHD whose entry covers them. */
  ivhd: number;
  /** Offset of the entry. */
  entry: number;
}

/** IDs `[first, last]` whose DMA the IVHD says arrives as `alias` (`alias_table`). */
export interface IvhdAlias {
  first: number;
  last: number;
  alias: number;
  entry: number;
}

/** One `unity_map_entry`: an IVMD as the kernel keeps it. */
export interface UnityMap {
  first: number;
  last: number;
  start: bigint;
  /** Inclusive, modulo 2^64 (start − 1 for a zero length). */
  end: bigint;
  prot: number;
  ivmd: IvmdBlock;
}

export interface AmdSegment {
  segment: number;
  lastBdf: number;
  /** In table order; a later entry overrides an earlier one (`rlookup_table`). */
  covered: CoveredIds[];
  aliases: IvhdAlias[];
  /** Requester IDs of the IOMMUs themselves, which never translate for themselves. */
  iommuIds: number[];
  unityMaps: UnityMap[];
}

export interface AmdBootModel {
  /** The IVHD type Linux uses; undefined when there is no block. */
  ivhdType: number | undefined;
  enabled: boolean;
  segments: Map<number, AmdSegment>;
  findings: RegionFinding[];
}

const PAGE = 0x1000n;
const U64 = (1n << 64n) - 1n;
/** `PAGE_ALIGN`: round up to 4 KiB, wrapping like a u64. */
const pageAlign = (value: bigint) => (value + PAGE - 1n) & ~(PAGE - 1n) & U64;

/** `init_memory_definitions` keeps an IVMD only with the unity or the exclusion flag. */
export function ivmdApplied(ivmd: IvmdBlock): boolean {
  return (ivmd.flags & (IVMD_FLAG_UNITY | IVMD_FLAG_EXCLUSION)) !== 0;
}

/** The window Linux maps for an IVMD: start and length each rounded up to 4 KiB; end inclusive, wrapping. */
export function unityWindow(ivmd: IvmdBlock): { start: bigint; end: bigint } {
  const start = pageAlign(ivmd.startAddress);
  return { start, end: (start + pageAlign(ivmd.memoryLength) - 1n) & U64 };
}

/** Start and length on 4 KiB boundaries, so `PAGE_ALIGN` leaves the window where it is. */
export function ivmdAligned(ivmd: IvmdBlock): boolean {
  return ivmd.startAddress % PAGE === 0n && ivmd.memoryLength % PAGE === 0n;
}

/** The type Linux selects, and the block that set it. */
function selectIvhdType(table: IvrsTable): { type: number; offset: number } | undefined {
  const reader = table.reader;
  const [first] = table.blockOffsets;
  if (first === undefined) return undefined;
  const firstId = reader.u16(first + BLOCK_DEVICE_ID);
  let selected = { type: reader.u8(first)!, offset: first };
  for (const offset of table.blockOffsets) {
    const type = reader.u8(offset)!;
    if (type > IVHD_TYPE_MAX_SUPPORTED) break;
    if (reader.u16(offset + BLOCK_DEVICE_ID) === firstId) selected = { type, offset };
  }
  return selected;
}

/** `find_last_devid_from_ivhd`: -1 when no entry names a device ID (the kernel's -EINVAL). */
function lastDeviceId(ivhd: IvhdBlock): number {
  let last = -1;
  for (const entry of ivhd.entries()) {
    if (entry.kind === 'all') return 0xffff;
    if (entry.kind === 'select' || entry.kind === 'range-end' || entry.kind === 'alias-select' || entry.kind === 'extended-select') last = Math.max(last, entry.deviceId);
  }
  return last;
}

/** `init_iommu_from_acpi`: the IDs each entry hands to this IOMMU, and the aliases. */
function walkEntries(ivhd: IvhdBlock, segment: AmdSegment): void {
  let start = 0;
  let aliasTo = 0;
  let alias = false;
  const cover = (first: number, last: number, entry: DeviceEntry) => {
    if (first <= last) segment.covered.push({ first, last, ivhd: ivhd.offset, entry: entry.offset });
  };
  for (const entry of ivhd.entries()) {
    switch (entry.kind) {
      case 'all':
        cover(0, segment.lastBdf, entry);
        break;
      case 'select':
      case 'extended-select':
        cover(entry.deviceId, entry.deviceId, entry);
        break;
      case 'range-start':
      case 'extended-range-start':
        [start, alias] = [entry.deviceId, false];
        break;
      case 'alias-select':
        cover(entry.deviceId, entry.deviceId, entry);
        cover(entry.sourceDeviceId!, entry.sourceDeviceId!, entry);
        segment.aliases.push({ first: entry.deviceId, last: entry.deviceId, alias: entry.sourceDeviceId!, entry: entry.offset });
        break;
      case 'alias-range-start':
        [start, aliasTo, alias] = [entry.deviceId, entry.sourceDeviceId!, true];
        break;
      case 'range-end':
        if (alias) {
          if (start <= entry.deviceId) segment.aliases.push({ first: start, last: entry.deviceId, alias: aliasTo, entry: entry.offset });
          cover(aliasTo, aliasTo, entry);
        }
        cover(start, entry.deviceId, entry);
        break;
      case 'special':
        cover(entry.sourceDeviceId!, entry.sourceDeviceId!, entry);
        break;
      case 'acpi-hid':
        // Only IVHD 0x40 may carry them ("Invalid IVHD device type"); an empty HID is skipped.
        if (ivhd.type === IVHD_TYPE_40 && (entry.hidValue! & 0xffn) !== 0n) cover(entry.deviceId, entry.deviceId, entry);
        break;
      default:
        break;
    }
  }
}

function unityMap(ivmd: IvmdBlock, lastBdf: number): UnityMap {
  const [first, last] = ivmd.type === IVMD_TYPE_ALL ? [0, lastBdf] : ivmd.type === IVMD_TYPE_SELECT ? [ivmd.deviceId, ivmd.deviceId] : [ivmd.deviceId, ivmd.auxiliaryData];
  const { start, end } = unityWindow(ivmd);
  // Exclusion ranges become read/write unity maps; otherwise IR (bit 1) and IW (bit 2).
  const bits = ivmd.exclusionRange ? 3 : (ivmd.flags >> 1) & 3;
  const prot = (bits & 1 ? PROT.read : 0) | (bits & 2 ? PROT.write : 0);
  return { first, last, start, end, prot, ivmd };
}

function segmentOf(segments: Map<number, AmdSegment>, id: number, lastBdf = 0): AmdSegment {
  let segment = segments.get(id);
  if (segment === undefined) {
    segment = { segment: id, lastBdf, covered: [], aliases: [], iommuIds: [], unityMaps: [] };
    segments.set(id, segment);
  }
  return segment;
}

/** The kernel's boot-time reading of an IVRS; never throws. */
export function amdBootModel(table: IvrsTable): AmdBootModel {
  const findings: RegionFinding[] = [];
  const segments = new Map<number, AmdSegment>();
  const selected = selectIvhdType(table);
  const ivhdType = selected?.type;
  const ivhds = [...table.ivhds()];
  const used = ivhds.filter((ivhd) => ivhd.type === ivhdType);
  for (const ivhd of ivhds) {
    if (ivhd.type !== ivhdType) findings.push(amdFinding('regions.amd.ivhd-unused', `IVHD type ${hex(ivhd.type)} at ${hex(ivhd.offset)} is not used: Linux selects type ${ivhdType === undefined ? 'none' : hex(ivhdType)}`, { offset: ivhd.offset }));
  }
  const off = (message: string, offset = 0): AmdBootModel => {
    findings.push(amdFinding('regions.amd.iommu-off', message, { offset }));
    return { ivhdType, enabled: false, segments, findings };
  };
  if (ivhdType === undefined) return off('the table has no block: no IVHD');
  if (!IVHD_TYPES.includes(ivhdType)) return off(`Linux takes type ${hex(ivhdType)} of the block at ${hex(selected!.offset)} (it carries the first IVHD's device ID) as the IVHD type to use, which is not an IVHD type ("Unsupported IVHD type")`, selected!.offset);
  if (used.length === 0) return off(`no IVHD of type ${hex(ivhdType)} parsed`);
  for (const ivhd of used) {
    const last = lastDeviceId(ivhd);
    if (last < 0) return off(`IVHD at ${hex(ivhd.offset)} names no device ID (no select, range-end, alias or "all" entry): find_last_devid_acpi fails`, ivhd.offset);
    const segment = segmentOf(segments, ivhd.pciSegmentGroup);
    segment.lastBdf = Math.max(segment.lastBdf, last);
  }
  for (const ivhd of used) {
    const segment = segments.get(ivhd.pciSegmentGroup)!;
    walkEntries(ivhd, segment);
    segment.iommuIds.push(ivhd.deviceId);
  }
  for (const ivmd of table.ivmds()) {
    if (!ivmdApplied(ivmd)) {
      findings.push(amdFinding('regions.amd.ivmd-ignored', `IVMD at ${hex(ivmd.offset)} (flags ${hex(ivmd.flags)}) has neither the unity nor the exclusion flag: Linux ignores it`, { offset: ivmd.offset }));
      continue;
    }
    if (!ivmdAligned(ivmd)) {
      findings.push(amdFinding('regions.amd.ivmd-rounded', `IVMD at ${hex(ivmd.offset)}: start ${hex(ivmd.startAddress)} / length ${hex(ivmd.memoryLength)} are rounded up to 4 KiB`, { offset: ivmd.offset }));
    }
    const segment = segmentOf(segments, ivmd.pciSegmentGroup);
    segment.unityMaps.push(unityMap(ivmd, segment.lastBdf));
  }
  return { ivhdType, enabled: true, segments, findings };
}

/** The IVHD entry that gives requester ID `id` its IOMMU, or undefined (`check_device`). */
export function coveringEntry(segment: AmdSegment | undefined, id: number): CoveredIds | undefined {
  if (segment === undefined || id > segment.lastBdf || segment.iommuIds.includes(id)) return undefined;
  for (let index = segment.covered.length - 1; index >= 0; index--) {
    const range = segment.covered[index]!;
    if (range.first <= id && id <= range.last) return range;
  }
  return undefined;
}

/** `alias_table[id]` when it differs from `id`: the last IVHD alias entry naming it. */
export function ivhdAliasOf(segment: AmdSegment | undefined, id: number): IvhdAlias | undefined {
  if (segment === undefined || id > segment.lastBdf) return undefined;
  for (let index = segment.aliases.length - 1; index >= 0; index--) {
    const range = segment.aliases[index]!;
    if (range.first <= id && id <= range.last) return range.alias === id ? undefined : range;
  }
  return undefined;
}
