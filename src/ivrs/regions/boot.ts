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
import type { TableReader } from '../../bytes/reader.js';
import type { DeviceEntry } from '../device-entry.js';
import { entryLengthAt } from '../entry-walk.js';
import { IvhdBlock } from '../ivhd.js';
import { IvmdBlock } from '../ivmd.js';
import {
  BLOCK_DEVICE_ID,
  BLOCK_FLAGS,
  BLOCK_LENGTH,
  ENTRY_DEVICE_ID,
  IVHD_PCI_SEGMENT,
  IVHD_TYPES,
  IVHD_TYPE_40,
  IVHD_TYPE_MAX_SUPPORTED,
  IVMD_FLAG_EXCLUSION,
  IVMD_FLAG_UNITY,
  IVMD_TYPE_ALL,
  IVMD_TYPE_SELECT,
  entryKindOf,
  ivhdHeaderSize,
} from '../layout.js';
import type { IvrsTable } from '../table.js';
import { blockKindAt } from '../walk.js';
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

/** The type Linux selects and the offset of the block that set it; undefined when there is no block. */
function selectIvhdType(table: IvrsTable): { type: number; offset: number } | undefined {
  const reader = table.reader;
  const offsets = table.blockOffsets;
  if (offsets.length === 0) return undefined;
  const firstId = reader.u16(offsets[0]! + BLOCK_DEVICE_ID);
  let type = reader.u8(offsets[0]!)!;
  let at = offsets[0]!;
  for (const offset of offsets) {
    const next = reader.u8(offset)!;
    if (next > IVHD_TYPE_MAX_SUPPORTED) break;
    if (reader.u16(offset + BLOCK_DEVICE_ID) === firstId) [type, at] = [next, offset];
  }
  return { type, offset: at };
}

/** `find_last_devid_from_ivhd`: -1 when no entry names a device ID (the kernel's -EINVAL). Reads the entry bytes: no view per entry. */
function lastDeviceId(reader: TableReader, ivhd: number): number {
  const end = ivhd + reader.u16(ivhd + BLOCK_LENGTH)!;
  let last = -1;
  for (let at = ivhd + ivhdHeaderSize(reader.u8(ivhd)!); at < end; ) {
    const length = entryLengthAt(reader, at, end);
    if (length === undefined || at + length > end) break;
    const kind = entryKindOf(reader.u8(at)!);
    if (kind === 'all') return 0xffff;
    if (kind === 'select' || kind === 'range-end' || kind === 'alias-select' || kind === 'extended-select') last = Math.max(last, reader.u16(at + ENTRY_DEVICE_ID)!);
    at += length;
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
  ivhd.forEachEntry((entry) => {
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
  });
}

function unityMap(ivmd: IvmdBlock, lastBdf: number): UnityMap {
  const [first, last] = ivmd.type === IVMD_TYPE_ALL ? [0, lastBdf] : ivmd.type === IVMD_TYPE_SELECT ? [ivmd.deviceId, ivmd.deviceId] : [ivmd.deviceId, ivmd.auxiliaryData];
  const { start, end } = unityWindow(ivmd);
  // Exclusion ranges become read/write unity maps; otherwise IR (bit 1) and IW (bit 2).
  const bits = ivmd.exclusionRange ? 3 : (ivmd.flags >> 1) & 3;
  const prot = (bits & 1 ? PROT.read : 0) | (bits & 2 ? PROT.write : 0);
  return { first, last, start, end, prot, ivmd };
}

/**
 * One segment of the model. Which IDs the IVHD entries cover, and their aliases, are walked on
 * first read: the no-topology region list needs only `lastBdf` and the unity maps.
 */
class Segment implements AmdSegment {
  lastBdf = 0;
  readonly iommuIds: number[] = [];
  readonly unityMaps: UnityMap[] = [];
  /** The used IVHDs of this segment, in table order, until their entries are walked. */
  #ivhds: IvhdBlock[] | undefined = [];
  #covered: CoveredIds[] = [];
  #aliases: IvhdAlias[] = [];

  constructor(readonly segment: number) {}

  get covered(): CoveredIds[] {
    this.#walk();
    return this.#covered;
  }

  get aliases(): IvhdAlias[] {
    this.#walk();
    return this.#aliases;
  }

  /** Takes an IOMMU of the selected type; called once `lastBdf` is final. */
  addIommu(ivhd: IvhdBlock): void {
    this.#ivhds!.push(ivhd);
    this.iommuIds.push(ivhd.deviceId);
  }

  #walk(): void {
    const ivhds = this.#ivhds;
    if (ivhds === undefined) return;
    this.#ivhds = undefined;
    const lists = { segment: this.segment, lastBdf: this.lastBdf, covered: this.#covered, aliases: this.#aliases, iommuIds: this.iommuIds, unityMaps: this.unityMaps };
    for (const ivhd of ivhds) walkEntries(ivhd, lists);
  }
}

function segmentOf(segments: Map<number, Segment>, id: number): Segment {
  let segment = segments.get(id);
  if (segment === undefined) {
    segment = new Segment(id);
    segments.set(id, segment);
  }
  return segment;
}

/** What the model notes as it goes; the finding's message is built from the table when `findings` is read. */
const enum Note {
  IvhdUnused,
  NoBlock,
  UnsupportedType,
  NoIvhdOfType,
  NoDeviceId,
  IvmdIgnored,
  IvmdRounded,
}

class BootModel implements AmdBootModel {
  enabled = true;
  readonly segments = new Map<number, Segment>();
  /** (note, offset) pairs in the order the kernel meets them. */
  readonly #notes: number[] = [];
  #findings: RegionFinding[] | undefined;
  readonly #reader: TableReader;

  constructor(
    readonly ivhdType: number | undefined,
    reader: TableReader,
  ) {
    this.#reader = reader;
  }

  get findings(): RegionFinding[] {
    if (this.#findings === undefined) {
      const notes = this.#notes;
      this.#findings = [];
      for (let index = 0; index < notes.length; index += 2) this.#findings.push(this.#finding(notes[index]!, notes[index + 1]!));
    }
    return this.#findings;
  }

  note(note: Note, offset: number): void {
    this.#notes.push(note, offset);
  }

  /** Notes why the kernel leaves the IOMMU off and returns the model. */
  off(note: Note, offset: number): this {
    this.note(note, offset);
    this.enabled = false;
    return this;
  }

  #finding(note: Note, offset: number): RegionFinding {
    const reader = this.#reader;
    const type = this.ivhdType === undefined ? 'none' : hex(this.ivhdType);
    switch (note) {
      case Note.IvhdUnused:
        return amdFinding('regions.amd.ivhd-unused', `IVHD type ${hex(reader.u8(offset)!)} at ${hex(offset)} is not used: Linux selects type ${type}`, { offset });
      case Note.NoBlock:
        return amdFinding('regions.amd.iommu-off', 'the table has no block: no IVHD', { offset });
      case Note.UnsupportedType:
        return amdFinding('regions.amd.iommu-off', `Linux takes type ${type} of the block at ${hex(offset)} (it carries the first IVHD's device ID) as the IVHD type to use, which is not an IVHD type ("Unsupported IVHD type")`, { offset });
      case Note.NoIvhdOfType:
        return amdFinding('regions.amd.iommu-off', `no IVHD of type ${type} parsed`, { offset });
      case Note.NoDeviceId:
        return amdFinding('regions.amd.iommu-off', `IVHD at ${hex(offset)} names no device ID (no select, range-end, alias or "all" entry): find_last_devid_acpi fails`, { offset });
      case Note.IvmdIgnored:
        return amdFinding('regions.amd.ivmd-ignored', `IVMD at ${hex(offset)} (flags ${hex(reader.u8(offset + BLOCK_FLAGS)!)}) has neither the unity nor the exclusion flag: Linux ignores it`, { offset });
      case Note.IvmdRounded: {
        const ivmd = new IvmdBlock(reader, offset);
        return amdFinding('regions.amd.ivmd-rounded', `IVMD at ${hex(offset)}: start ${hex(ivmd.startAddress)} / length ${hex(ivmd.memoryLength)} are rounded up to 4 KiB`, { offset });
      }
    }
  }
}

/** The kernel's boot-time reading of an IVRS; never throws. Findings are worded when first read. */
export function amdBootModel(table: IvrsTable): AmdBootModel {
  const selected = selectIvhdType(table);
  const ivhdType = selected?.type;
  const reader = table.reader;
  const model = new BootModel(ivhdType, reader);
  const used: number[] = [];
  for (const offset of table.blockOffsets) {
    if (blockKindAt(reader, offset) !== 'ivhd') continue;
    if (reader.u8(offset) === ivhdType) used.push(offset);
    else model.note(Note.IvhdUnused, offset);
  }
  if (ivhdType === undefined) return model.off(Note.NoBlock, 0);
  if (!IVHD_TYPES.includes(ivhdType)) return model.off(Note.UnsupportedType, selected!.offset);
  if (used.length === 0) return model.off(Note.NoIvhdOfType, 0);
  for (const offset of used) {
    const last = lastDeviceId(reader, offset);
    if (last < 0) return model.off(Note.NoDeviceId, offset);
    const segment = segmentOf(model.segments, reader.u16(offset + IVHD_PCI_SEGMENT)!);
    segment.lastBdf = Math.max(segment.lastBdf, last);
  }
  for (const offset of used) model.segments.get(reader.u16(offset + IVHD_PCI_SEGMENT)!)!.addIommu(new IvhdBlock(reader, offset));
  for (const offset of table.blockOffsets) {
    if (blockKindAt(reader, offset) !== 'ivmd') continue;
    const ivmd = new IvmdBlock(reader, offset);
    if (!ivmdApplied(ivmd)) {
      model.note(Note.IvmdIgnored, offset);
      continue;
    }
    if (!ivmdAligned(ivmd)) model.note(Note.IvmdRounded, offset);
    const segment = segmentOf(model.segments, ivmd.pciSegmentGroup);
    segment.unityMaps.push(unityMap(ivmd, segment.lastBdf));
  }
  return model;
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
