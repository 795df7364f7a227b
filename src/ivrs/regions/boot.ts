/**
 * What Linux 6.1 builds from an IVRS at boot (drivers/iommu/amd/init.c), as data:
 *  - the IVHD type it uses (`get_highest_supported_ivhd_type`): starting from the first block,
 *    the last type seen for the first block's device ID, scanning while types are ≤ 0x40;
 *  - per PCI segment, `last_bdf` (`find_last_devid_from_ivhd`: the highest ID of a select,
 *    range-end, alias-select or extended-select entry, 0xFFFF for "all"; an IVHD with none of
 *    them fails the whole init), which requester IDs an IOMMU translates (`init_iommu_from_acpi`,
 *    minus each IOMMU's own ID, `init_iommu_one_late`), and the IVHD DMA aliases;
 *  - the unity map (`init_memory_definitions` → `init_unity_map_range`).
 * The entries are walked as the kernel walks them (kernel-walk.ts): an entry that runs past its
 * IVHD's end is still applied, and `find_last_devid_from_ivhd` WARNs for its IVHD.
 * Coverage and aliases are kept as ID intervals, so the work stays linear in the table.
 */
import { hex } from '../../bytes/hex.js';
import type { RegionFinding } from '../../regions/codes.js';
import { CURRENT_KERNEL, type KernelBehaviour } from '../../regions/kernel-versions.js';
import { PROT } from '../../regions/types.js';
import type { MovableView } from '../../bytes/item-view.js';
import type { TableReader } from '../../bytes/reader.js';
import { DeviceEntry } from '../device-entry.js';
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
  IVMD_AUXILIARY,
  IVMD_FLAG_EXCLUSION,
  IVMD_FLAG_UNITY,
  IVMD_LENGTH,
  IVMD_PCI_SEGMENT,
  IVMD_START,
  IVMD_TYPE_ALL,
  IVMD_TYPE_SELECT,
  HID_UID,
  HID_UID_LENGTH,
  entryKindOf,
  fixedEntryLength,
  type DeviceEntryKind,
} from '../layout.js';
import type { IvrsTable } from '../table.js';
import { blockKindAt } from '../walk.js';
import { ivhdAliasTarget, type IvhdAliasTarget } from './alias-target.js';
import { amdFinding } from './codes.js';
import { KernelEntryWalk } from './kernel-walk.js';

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
  /**
   * IVHDs (offsets, in the order the kernel walks them) whose entry walk in
   * `find_last_devid_from_ivhd` steps past the IVHD end: each prints a `WARN_ON(p != end)` backtrace.
   */
  lastDevidWarnings: readonly number[];
  findings: RegionFinding[];
}

const PAGE = 0x1000n;
const U64 = (1n << 64n) - 1n;
/** `PAGE_ALIGN`: round up to 4 KiB, wrapping like a u64. */
const pageAlign = (value: bigint) => (value + PAGE - 1n) & ~(PAGE - 1n) & U64;

/** `init_memory_definitions` keeps an IVMD only with the unity or the exclusion flag. */
const appliedFlags = (flags: number) => (flags & (IVMD_FLAG_UNITY | IVMD_FLAG_EXCLUSION)) !== 0;

export function ivmdApplied(ivmd: IvmdBlock): boolean {
  return appliedFlags(ivmd.flags);
}

/** Start and length each rounded up to 4 KiB (`aligned`: both are already, and stay); end inclusive, wrapping. */
function pageWindow(start: bigint, length: bigint, aligned: boolean): { start: bigint; end: bigint } {
  const first = aligned ? start : pageAlign(start);
  return { start: first, end: (first + (aligned ? length : pageAlign(length)) - 1n) & U64 };
}

/** The window Linux maps for an IVMD: start and length each rounded up to 4 KiB; end inclusive, wrapping. */
export function unityWindow(ivmd: IvmdBlock): { start: bigint; end: bigint } {
  return pageWindow(ivmd.startAddress, ivmd.memoryLength, false);
}

/** Start and length on 4 KiB boundaries, so `PAGE_ALIGN` leaves the window where it is. */
export function ivmdAligned(ivmd: IvmdBlock): boolean {
  return ivmd.startAddress % PAGE === 0n && ivmd.memoryLength % PAGE === 0n;
}

/** The offset of the block whose type Linux selects as the IVHD type; -1 when there is no block. */
function selectIvhdBlock(reader: TableReader, offsets: readonly number[]): number {
  if (offsets.length === 0) return -1;
  const firstId = reader.u16(offsets[0]! + BLOCK_DEVICE_ID);
  let at = offsets[0]!;
  for (const offset of offsets) {
    if (reader.u8(offset)! > IVHD_TYPE_MAX_SUPPORTED) break;
    if (reader.u16(offset + BLOCK_DEVICE_ID) === firstId) at = offset;
  }
  return at;
}

/** The entries whose device ID `find_last_devid_from_ivhd` counts. */
const namesDeviceId = (kind: DeviceEntryKind) => kind === 'select' || kind === 'range-end' || kind === 'alias-select' || kind === 'extended-select';

/** What `lastDeviceId` answers when an "all" entry came: above every device ID. */
const ALL_ENTRY = 0x10000;

/**
 * `find_last_devid_from_ivhd` over the IVHD `walk` starts at: the highest device ID the entries
 * name (-1 when none does: the kernel's -EINVAL), or ALL_ENTRY with an "all" entry (the kernel
 * returns 0xFFFF there, before any WARN). `walk` then says how the walk ended. Reads the entry
 * bytes: no view per entry.
 */
function lastDeviceId(reader: TableReader, walk: KernelEntryWalk, ivhd: number): number {
  let last = -1;
  let all = false;
  walk.start(ivhd);
  while (walk.next()) {
    const kind = walk.kind;
    if (kind === 'all') all = true;
    else if (namesDeviceId(kind)) last = Math.max(last, reader.u16(walk.at + ENTRY_DEVICE_ID)!);
  }
  return all ? ALL_ENTRY : last;
}

/**
 * `init_iommu_from_acpi`: the IDs each entry hands to this IOMMU, and the aliases. `devid_to` (the
 * alias target) is per IVHD, 0 until an alias entry sets it; what a range-end does with it depends
 * on the kernel release (alias-target.ts).
 */
function walkEntries(reader: TableReader, ivhd: number, segment: AmdSegment, aliasTarget: IvhdAliasTarget): void {
  let start = 0;
  let aliasTo = 0;
  let alias = false;
  const cover = (first: number, last: number, entry: DeviceEntry) => {
    if (first <= last) segment.covered.push({ first, last, ivhd, entry: entry.offset });
  };
  const ivhdType = reader.u8(ivhd);
  // One view moved from entry to entry (a flyweight, as IvhdBlock.forEachEntry).
  const entry = new DeviceEntry(reader, ivhd);
  const walk = new KernelEntryWalk(reader).start(ivhd);
  while (walk.next()) {
    (entry as MovableView).offset = walk.at;
    switch (walk.kind) {
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
        aliasTo = entry.sourceDeviceId!;
        cover(entry.deviceId, entry.deviceId, entry);
        cover(aliasTo, aliasTo, entry);
        segment.aliases.push({ first: entry.deviceId, last: entry.deviceId, alias: aliasTo, entry: entry.offset });
        break;
      case 'alias-range-start':
        [start, aliasTo, alias] = [entry.deviceId, entry.sourceDeviceId!, true];
        break;
      case 'range-end': {
        const empty = start > entry.deviceId;
        if (alias && !empty) segment.aliases.push({ first: start, last: entry.deviceId, alias: aliasTo, entry: entry.offset });
        // 6.1 sets devid_to's DTE inside `for (dev_i = devid_start; dev_i <= devid; ++dev_i)`: not for an empty range.
        if (aliasTarget === 'every-range-end' || (alias && (aliasTarget === 'alias-range' || !empty))) cover(aliasTo, aliasTo, entry);
        cover(start, entry.deviceId, entry);
        break;
      }
      case 'special':
        cover(entry.sourceDeviceId!, entry.sourceDeviceId!, entry);
        break;
      case 'acpi-hid':
        // Only IVHD 0x40 may carry them ("Invalid IVHD device type"); an empty HID is skipped.
        if (ivhdType === IVHD_TYPE_40 && (entry.hidValue! & 0xffn) !== 0n) cover(entry.deviceId, entry.deviceId, entry);
        break;
      default:
        break;
    }
  }
}

/** Start and length of the IVMD at `offset` on 4 KiB boundaries, read from their low bytes (no BigInt). */
function ivmdAlignedAt(reader: TableReader, offset: number): boolean {
  return ((reader.u16(offset + IVMD_START)! | reader.u16(offset + IVMD_LENGTH)!) & (Number(PAGE) - 1)) === 0;
}

/** The IVMD at `offset` (applied, `aligned` or not) as a unity map; fields read from the table, not through a view's getters. */
function unityMap(reader: TableReader, offset: number, lastBdf: number, aligned: boolean): UnityMap {
  const type = reader.u8(offset)!;
  const deviceId = reader.u16(offset + BLOCK_DEVICE_ID)!;
  const first = type === IVMD_TYPE_ALL ? 0 : deviceId;
  const last = type === IVMD_TYPE_ALL ? lastBdf : type === IVMD_TYPE_SELECT ? deviceId : reader.u16(offset + IVMD_AUXILIARY)!;
  const { start, end } = pageWindow(reader.u64(offset + IVMD_START)!, reader.u64(offset + IVMD_LENGTH)!, aligned);
  // Exclusion ranges become read/write unity maps; otherwise IR (bit 1) and IW (bit 2).
  const flags = reader.u8(offset + BLOCK_FLAGS)!;
  const bits = flags & IVMD_FLAG_EXCLUSION ? 3 : (flags >> 1) & 3;
  const prot = (bits & 1 ? PROT.read : 0) | (bits & 2 ? PROT.write : 0);
  return { first, last, start, end, prot, ivmd: new IvmdBlock(reader, offset) };
}

const NO_IOMMUS: readonly number[] = [];

/** What every segment of one model reads when its IVHD entries are walked. */
interface SegmentContext {
  readonly reader: TableReader;
  readonly kernel: KernelBehaviour;
  /** The IOMMUs' IVHDs (offsets of the selected type, table order), set once the model brings the IOMMU up. */
  iommus: readonly number[];
}

/**
 * One segment of the model. Its IOMMUs' IDs, which IDs the IVHD entries cover, and their aliases
 * are read and walked on first read of any of them: the no-topology region list needs only
 * `lastBdf` and the unity maps.
 */
class Segment implements AmdSegment {
  lastBdf = 0;
  readonly unityMaps: UnityMap[] = [];
  #iommuIds: number[] | undefined = undefined;
  #covered: CoveredIds[] | undefined = undefined;
  #aliases: IvhdAlias[] | undefined = undefined;
  readonly #context: SegmentContext;

  constructor(
    readonly segment: number,
    context: SegmentContext,
  ) {
    this.#context = context;
  }

  get iommuIds(): number[] {
    return (this.#iommuIds ?? this.#walk().#iommuIds)!;
  }

  get covered(): CoveredIds[] {
    return (this.#covered ?? this.#walk().#covered)!;
  }

  get aliases(): IvhdAlias[] {
    return (this.#aliases ?? this.#walk().#aliases)!;
  }

  /** Reads this segment's IOMMUs (table order) and walks their entries; `lastBdf` is final by then. */
  #walk(): this {
    const { reader, kernel, iommus } = this.#context;
    const ivhds = iommus.filter((ivhd) => reader.u16(ivhd + IVHD_PCI_SEGMENT) === this.segment);
    const iommuIds = ivhds.map((ivhd) => reader.u16(ivhd + BLOCK_DEVICE_ID)!);
    const lists = { segment: this.segment, lastBdf: this.lastBdf, covered: [], aliases: [], iommuIds, unityMaps: this.unityMaps };
    const aliasTarget = ivhdAliasTarget(kernel);
    for (const ivhd of ivhds) walkEntries(reader, ivhd, lists, aliasTarget);
    [this.#iommuIds, this.#covered, this.#aliases] = [iommuIds, lists.covered, lists.aliases];
    return this;
  }
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
  /** An entry past its IVHD end, read from the table; `…Warned` when its IVHD WARNs. */
  EntryPastIvhd,
  EntryPastIvhdWarned,
  /** An entry whose IDs lie past the table end. */
  EntryPastTable,
  EntryPastTableWarned,
  WalkStuck,
}

class BootModel implements AmdBootModel {
  enabled = true;
  readonly segments = new Map<number, Segment>();
  readonly lastDevidWarnings: number[] = [];
  /** (note, offset) pairs in the order the kernel meets them. */
  readonly #notes: number[] = [];
  #findings: RegionFinding[] | undefined;
  readonly #reader: TableReader;
  /** Shared by the segments. */
  readonly #context: SegmentContext;

  constructor(
    readonly ivhdType: number | undefined,
    reader: TableReader,
    kernel: KernelBehaviour,
  ) {
    this.#reader = reader;
    this.#context = { reader, kernel, iommus: NO_IOMMUS };
  }

  /** The segment `id`, made on first use. */
  segment(id: number): Segment {
    let segment = this.segments.get(id);
    if (segment === undefined) {
      segment = new Segment(id, this.#context);
      this.segments.set(id, segment);
    }
    return segment;
  }

  /** The IVHDs of the selected type, once every segment's `lastBdf` is final: the IOMMUs the kernel brings up. */
  bringUp(iommus: readonly number[]): void {
    this.#context.iommus = iommus;
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
      case Note.EntryPastIvhd:
      case Note.EntryPastIvhdWarned:
      case Note.EntryPastTable:
      case Note.EntryPastTableWarned:
        return this.#pastEnd(note, offset);
      case Note.WalkStuck:
        return amdFinding('regions.amd.boot-hang', `device entry type ${hex(reader.u8(offset)!)} at ${hex(offset)}: Linux's ivhd_entry_length() gives 0 for a type of 0x80 or above other than 0xF0, so its walk over the IVHD entries never moves past it and the boot hangs there (no IOMMU, no groups: nothing after it runs)`, { offset });
    }
  }

  /** An entry at `offset` that runs past its IVHD's end (kernel-walk.ts), worded with the WARN it causes or not. */
  #pastEnd(note: Note, offset: number): RegionFinding {
    const reader = this.#reader;
    const type = hex(reader.u8(offset)!);
    const warned = note === Note.EntryPastIvhdWarned || note === Note.EntryPastTableWarned;
    const warn = warned ? 'find_last_devid_from_ivhd ends past the IVHD and prints a WARN_ON(p != end) backtrace ("WARNING: … at drivers/iommu/amd/init.c")' : 'no WARN: an "all" entry before it ends find_last_devid_from_ivhd first';
    if (note === Note.EntryPastTable || note === Note.EntryPastTableWarned) {
      return amdFinding('regions.amd.entry-past-table', `device entry type ${type} at ${hex(offset)} runs past the end of the table (${hex(reader.end)}) with the IDs it names: Linux reads them from the memory after the table, which the table does not hold, so the IDs it gives an IOMMU (and this segment's last device ID) are unknown; they are left out here; ${warn}`, { offset });
    }
    const uidLength = reader.u8(offset + HID_UID_LENGTH);
    const length = fixedEntryLength(reader.u8(offset)!) ?? (uidLength === undefined ? Infinity : HID_UID + uidLength);
    const what = offset + length > reader.end ? 'the memory after the table (bytes that hold none of the IDs it names)' : 'the bytes that follow the IVHD';
    return amdFinding('regions.amd.entry-past-ivhd', `device entry type ${type} at ${hex(offset)} runs past the end of its IVHD: Linux still applies it, reading its last bytes from ${what}, then steps past the end; ${warn}`, { offset });
  }
}

/** The IVHDs in the order `find_last_devid_acpi` walks them: per segment, in the order `init_iommu_all` meets the segments. */
function kernelWalkOrder(reader: TableReader, used: readonly number[]): readonly number[] {
  // Usually every IVHD is on one segment: table order is the kernel's, and no Map is made (this
  // ran per table and was a fifth of an IVRS's parse + regions with a Map, a spread and flat()).
  const first = reader.u16(used[0]! + IVHD_PCI_SEGMENT);
  let index = 1;
  while (index < used.length && reader.u16(used[index]! + IVHD_PCI_SEGMENT) === first) index++;
  if (index === used.length) return used;
  const bySegment = new Map<number, number[]>();
  for (const offset of used) {
    const segment = reader.u16(offset + IVHD_PCI_SEGMENT)!;
    const list = bySegment.get(segment);
    if (list === undefined) bySegment.set(segment, [offset]);
    else list.push(offset);
  }
  const order: number[] = [];
  for (const list of bySegment.values()) for (const offset of list) order.push(offset);
  return order;
}

/**
 * The kernel's boot-time reading of an IVRS, as `kernel` (default: current mainline) does it where
 * releases differ (the alias target of a range, kernel-versions.ts); never throws. Findings are
 * worded when first read.
 */
export function amdBootModel(table: IvrsTable, kernel: KernelBehaviour = CURRENT_KERNEL): AmdBootModel {
  const reader = table.reader;
  const selected = selectIvhdBlock(reader, table.blockOffsets);
  const ivhdType = selected < 0 ? undefined : reader.u8(selected)!;
  const model = new BootModel(ivhdType, reader, kernel);
  const used: number[] = [];
  // IVMDs are applied after the IVHDs; their offsets are kept from this one pass over the blocks.
  let ivmds: number[] | undefined;
  for (const offset of table.blockOffsets) {
    const kind = blockKindAt(reader, offset);
    if (kind === 'ivmd') (ivmds ??= []).push(offset);
    else if (kind !== 'ivhd') continue;
    else if (reader.u8(offset) === ivhdType) used.push(offset);
    else model.note(Note.IvhdUnused, offset);
  }
  if (ivhdType === undefined) return model.off(Note.NoBlock, 0);
  if (!IVHD_TYPES.includes(ivhdType)) return model.off(Note.UnsupportedType, selected);
  if (used.length === 0) return model.off(Note.NoIvhdOfType, 0);
  const walk = new KernelEntryWalk(reader);
  for (const offset of kernelWalkOrder(reader, used)) {
    const found = lastDeviceId(reader, walk, offset);
    const all = found === ALL_ENTRY;
    const last = all ? 0xffff : found;
    if (walk.stuck !== undefined) return model.off(Note.WalkStuck, walk.stuck);
    if (walk.pastEnd !== undefined) {
      if (!all) model.lastDevidWarnings.push(offset);
      model.note(walk.unknown ? (all ? Note.EntryPastTable : Note.EntryPastTableWarned) : all ? Note.EntryPastIvhd : Note.EntryPastIvhdWarned, walk.pastEnd);
    }
    // An entry read past the table end that names a device ID gives the kernel some ID ≥ 0: not -EINVAL.
    const named = walk.unknown && namesDeviceId(entryKindOf(reader.u8(walk.pastEnd!)!)) ? Math.max(last, 0) : last;
    if (named < 0) return model.off(Note.NoDeviceId, offset);
    const segment = model.segment(reader.u16(offset + IVHD_PCI_SEGMENT)!);
    segment.lastBdf = Math.max(segment.lastBdf, named);
  }
  model.bringUp(used);
  if (ivmds === undefined) return model;
  for (const offset of ivmds) {
    if (!appliedFlags(reader.u8(offset + BLOCK_FLAGS)!)) {
      model.note(Note.IvmdIgnored, offset);
      continue;
    }
    const aligned = ivmdAlignedAt(reader, offset);
    if (!aligned) model.note(Note.IvmdRounded, offset);
    const segment = model.segment(reader.u16(offset + IVMD_PCI_SEGMENT)!);
    segment.unityMaps.push(unityMap(reader, offset, segment.lastBdf, aligned));
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
