/**
 * Content checks over the walked offsets, reading bytes directly (no view objects): reserved
 * fields (§5 #12), GICC flag bits the revision does not define, duplicate IDs (§5 #32).
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
  type ReservedRange,
} from './layout.js';
import { describeType } from './walk.js';
import { ScratchIndex } from '../bytes/scratch-index.js';

/** Which IDs must be unique: type → where the ID sits and what it is called. */
const UNIQUE_IDS: Readonly<Record<number, { at: number; size: 1 | 4; name: string }>> = {
  [MADT_TYPE_IO_APIC]: { at: 2, size: 1, name: 'I/O APIC ID' },
  [MADT_TYPE_GIC_MSI_FRAME]: { at: 4, size: 4, name: 'GIC MSI frame ID' },
  [MADT_TYPE_GIC_ITS]: { at: 4, size: 4, name: 'GIC ITS ID' },
};

const GICC_FLAGS_AT = 12;

export function checkEntries(reader: TableReader, offsets: readonly number[], revision: number, diagnostics: DiagnosticList): void {
  const flags = reader.u32(MADT_FLAGS);
  if (flags !== undefined && (flags & ~MADT_FLAG_PCAT_COMPAT) !== 0) {
    diagnostics.add('madt.reserved.nonzero', MADT_FLAGS, `MADT Flags is ${hex(flags)}: bits 31:1 are reserved and should be 0`, 4);
  }
  let repeated = false;
  ids.reset(offsets.length);
  for (const offset of offsets) {
    const type = reader.u8(offset)!;
    const length = reader.u8(offset + 1)!;
    const ranges = RESERVED_RANGES[type];
    if (ranges !== undefined) for (const range of ranges) checkReserved(reader, offset, type, length, revision, range, diagnostics);
    if (type === MADT_TYPE_GICC && length >= GICC_FLAGS_AT + 4) checkGiccFlags(reader, offset, revision, diagnostics);
    const id = uniqueIdAt(reader, offset, type, length);
    if (id >= 0 && !repeated) {
      repeated = ids.has(type, id);
      ids.set(type, id, offset);
    }
  }
  if (repeated) reportDuplicates(reader, offsets, diagnostics);
}

// (type, ID) pairs seen, reused from parse to parse: real tables repeat none, so the groups of
// reportDuplicates are built only when one repeats.
const ids = new ScratchIndex();

/** The ID an entry must not share with another of its type, or -1 when the type has none (or it is cut off). */
function uniqueIdAt(reader: TableReader, offset: number, type: number, length: number): number {
  const unique = UNIQUE_IDS[type];
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

function checkReserved(
  reader: TableReader,
  offset: number,
  type: number,
  length: number,
  revision: number,
  range: ReservedRange,
  diagnostics: DiagnosticList,
): void {
  if (range.fromRevision !== undefined && revision < range.fromRevision) return;
  if (range.toRevision !== undefined && revision > range.toRevision) return;
  if (range.offset + range.size > length) return;
  const value = reader.uint(offset + range.offset, range.size)!;
  if (value === 0) return;
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
