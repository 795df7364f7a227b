/**
 * Content checks, reading bytes directly (no view objects): per subtable, inside the frame the
 * walk has just checked, reserved fields (§5 #12) and GICC flag bits the revision does not
 * define; over the walked offsets, the MADT flags and duplicate IDs (§5 #32).
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import type { TableReader } from '../bytes/reader.js';
import {
  MADT_FLAGS,
  MADT_FLAG_PCAT_COMPAT,
  MADT_TYPE_GICC,
  MADT_TYPE_GIC_ITS,
  MADT_TYPE_GIC_MSI_FRAME,
  MADT_TYPE_IO_APIC,
  RESERVED_RANGES,
  giccDefinedFlags,
} from './layout.js';
import { describeType } from './describe.js';
import { ScratchIndex } from '../bytes/scratch-index.js';

/** Which IDs must be unique: type → where the ID sits and what it is called. */
const UNIQUE_IDS: Readonly<Record<number, { at: number; size: 1 | 4; name: string }>> = {
  [MADT_TYPE_IO_APIC]: { at: 2, size: 1, name: 'I/O APIC ID' },
  [MADT_TYPE_GIC_MSI_FRAME]: { at: 4, size: 4, name: 'GIC MSI frame ID' },
  [MADT_TYPE_GIC_ITS]: { at: 4, size: 4, name: 'GIC ITS ID' },
};

// Dense, by type byte: these lookups run once per subtable of every parse.
const UNIQUE_ID_OF_TYPE = Array.from({ length: 256 }, (_, type) => UNIQUE_IDS[type]);
/** A reserved range with every bound present (one object shape, so the per-subtable loop stays monomorphic). */
interface CheckedRange {
  offset: number;
  size: number;
  fromRevision: number;
  toRevision: number;
  label: string | undefined;
}
const RESERVED_OF_TYPE = Array.from({ length: 256 }, (_, type): readonly CheckedRange[] | undefined =>
  RESERVED_RANGES[type]?.map((range) => ({ offset: range.offset, size: range.size, fromRevision: range.fromRevision ?? 0, toRevision: range.toRevision ?? Infinity, label: range.label })),
);

/** Bits of CHECKS_OF_TYPE: `checkSubtable` has work for the type; its ID must be unique. */
export const CHECK_CONTENT = 1;
export const CHECK_UNIQUE_ID = 2;
/** What the walk asks of each type byte, so a subtable with nothing to check (most are Local APICs) costs one load. */
export const CHECKS_OF_TYPE = Uint8Array.from({ length: 256 }, (_, type) =>
  (RESERVED_OF_TYPE[type] !== undefined || type === MADT_TYPE_GICC ? CHECK_CONTENT : 0) | (UNIQUE_ID_OF_TYPE[type] !== undefined ? CHECK_UNIQUE_ID : 0),
);

const GICC_FLAGS_AT = 12;

/** The checks of one framed subtable (`length` is its Length, inside the table). */
export function checkSubtable(reader: TableReader, offset: number, type: number, length: number, revision: number, diagnostics: DiagnosticList): void {
  const ranges = RESERVED_OF_TYPE[type];
  if (ranges !== undefined) {
    // The walk has framed the subtable inside the table: its bytes are indexed directly.
    const bytes = reader.bytes;
    for (let index = 0; index < ranges.length; index++) {
      const range = ranges[index]!;
      if (revision < range.fromRevision || revision > range.toRevision || range.offset + range.size > length) continue;
      // OR of the range's bytes; the value is decoded only for a finding.
      let any = 0;
      for (let at = offset + range.offset, stop = at + range.size; at < stop; at++) any |= bytes[at]!;
      if (any !== 0) reportReserved(reader, offset, type, range, diagnostics);
    }
  }
  if (type === MADT_TYPE_GICC && length >= GICC_FLAGS_AT + 4) checkGiccFlags(reader, offset, revision, diagnostics);
}

/** The checks over the whole table: MADT flags, IDs shared by two of the `idSubtables` subtables that carry one. */
export function checkTable(reader: TableReader, offsets: readonly number[], idSubtables: number, diagnostics: DiagnosticList): void {
  const flags = reader.u32(MADT_FLAGS);
  if (flags !== undefined && (flags & ~MADT_FLAG_PCAT_COMPAT) !== 0) {
    diagnostics.add('madt.reserved.nonzero', MADT_FLAGS, `MADT Flags is ${hex(flags)}: bits 31:1 are reserved and should be 0`, 4);
  }
  if (idSubtables > 1 && idRepeats(reader, offsets, idSubtables)) reportDuplicates(reader, offsets, diagnostics);
}

function idRepeats(reader: TableReader, offsets: readonly number[], idSubtables: number): boolean {
  ids.reset(idSubtables);
  for (const offset of offsets) {
    const type = reader.u8(offset)!;
    const id = uniqueIdAt(reader, offset, type, reader.u8(offset + 1)!);
    if (id < 0) continue;
    if (ids.has(type, id)) return true;
    ids.set(type, id, offset);
  }
  return false;
}

// (type, ID) pairs seen, reused from parse to parse: real tables repeat none, so the groups of
// reportDuplicates are built only when one repeats.
const ids = new ScratchIndex();

/** The ID an entry must not share with another of its type, or -1 when the type has none (or it is cut off). */
function uniqueIdAt(reader: TableReader, offset: number, type: number, length: number): number {
  const unique = UNIQUE_ID_OF_TYPE[type];
  if (unique === undefined || unique.at + unique.size > length) return -1;
  return unique.size === 1 ? reader.u8(offset + unique.at)! : reader.u32(offset + unique.at)!;
}

function reportDuplicates(reader: TableReader, offsets: readonly number[], diagnostics: DiagnosticList): void {
  // type → ID value → offsets of the entries carrying it.
  const seen = new Map<number, Map<number, number[]>>();
  for (const offset of offsets) {
    const type = reader.u8(offset)!;
    const id = uniqueIdAt(reader, offset, type, reader.u8(offset + 1)!);
    if (id < 0) continue;
    const byId = seen.get(type) ?? new Map<number, number[]>();
    seen.set(type, byId);
    const where = byId.get(id);
    if (where === undefined) byId.set(id, [offset]);
    else where.push(offset);
  }
  for (const [type, byId] of seen) {
    const unique = UNIQUE_IDS[type]!;
    for (const [id, where] of byId) {
      if (where.length < 2) continue;
      const list = where.map((offset) => hex(offset)).join(', ');
      diagnostics.add('madt.id.duplicate', where[1]! + unique.at, `${unique.name} ${id} is used by ${where.length} entries, at offsets ${list}`, unique.size);
    }
  }
}

function reportReserved(reader: TableReader, offset: number, type: number, range: CheckedRange, diagnostics: DiagnosticList): void {
  const value = reader.uint(offset + range.offset, range.size)!;
  const last = range.offset + range.size - 1;
  const what = range.label ?? (range.size === 1 ? `reserved byte +${hex(range.offset)}` : `reserved bytes +${hex(range.offset)}–${hex(last)}`);
  diagnostics.add('madt.reserved.nonzero', offset + range.offset, `${describeType(type)} at ${hex(offset)}: ${what} = ${hex(value)}, expected 0`, range.size);
}

function checkGiccFlags(reader: TableReader, offset: number, revision: number, diagnostics: DiagnosticList): void {
  const flags = reader.u32(offset + GICC_FLAGS_AT)!;
  const undefinedBits = (flags & ~giccDefinedFlags(revision)) >>> 0;
  if (undefinedBits === 0) return;
  diagnostics.add(
    'madt.gicc.flags-undefined',
    offset + GICC_FLAGS_AT,
    `GICC at ${hex(offset)}: Flags ${hex(flags)} sets ${hex(undefinedBits)}, bits that MADT revision ${revision} does not define`,
    4,
  );
}
