/**
 * The structure walk (dmar_walk_remapping_entries(), with spec §5's loop discipline) and the
 * lazy iteration over what it framed. The validation walk records only where framing ended;
 * offsets and view objects are made when a caller iterates.
 */
import { NO_BYTES_READER, type TableReader } from '../bytes/reader.js';
import type { AnddStructure } from './andd.js';
import type { AtsrStructure } from './atsr.js';
import type { CheckContext } from './check-context.js';
import { checkStructure } from './checks.js';
import type { DrhdStructure } from './drhd.js';
import { DMAR_HEADER_SIZE, DMAR_TYPE_SIDP, STRUCTURE_HEADER_SIZE, STRUCTURE_LENGTH_OFFSET, structureKind, structureName, type DmarStructureKind } from './layout.js';
import type { RhsaStructure } from './rhsa.js';
import type { RmrrStructure } from './rmrr.js';
import type { SatcStructure } from './satc.js';
import type { SidpStructure } from './sidp.js';
import type { UnknownStructure } from './structure.js';
import { StructureCursor, moveStructureCursor, retargetStructureCursor } from './structure-cursor.js';
import { acrossStructures } from './table-checks.js';
import { VIEW_CLASSES, viewSlot } from './view-slots.js';
import { hex } from '../bytes/hex.js';
import { le16 } from '../bytes/le.js';

/** Every structure view, discriminated by `kind`. */
export type DmarStructure =
  | DrhdStructure
  | RmrrStructure
  | AtsrStructure
  | RhsaStructure
  | AnddStructure
  | SatcStructure
  | SidpStructure
  | UnknownStructure;

/** The view type for one `kind`, e.g. `StructureOfKind<'rmrr'>` is `RmrrStructure`. */
export type StructureOfKind<K extends DmarStructureKind> = Extract<DmarStructure, { kind: K }>;

/**
 * Frames every structure from offset 48 to the end of the readable table and checks each one in
 * the same visit (checks.ts, which feeds the cross-structure rules of table-checks.ts); returns
 * where framing ended: the end of the last framed structure. Stops at a Length of 0 or below 4,
 * or at a structure that crosses the end: after a bad Length nothing can be framed.
 */
export function walkStructures(context: CheckContext): number {
  const { reader, diagnostics } = context;
  const bytes = reader.bytes;
  const end = reader.end;
  acrossStructures.start(DMAR_HEADER_SIZE, end);
  let highestType = -1;
  let at = DMAR_HEADER_SIZE;
  while (at < end) {
    if (end - at < STRUCTURE_HEADER_SIZE) {
      diagnostics.add('dmar.length.overrun', at, `${end - at} byte(s) left at the table end cannot hold a 4-byte structure header`, end - at);
      break;
    }
    // Four bytes are left (checked above): the structure header is read in place.
    const type = le16(bytes, at);
    const length = le16(bytes, at + STRUCTURE_LENGTH_OFFSET);
    if (length < STRUCTURE_HEADER_SIZE || at + length > end) {
      reportUnframed(context, at, type, length);
      break;
    }
    if (type <= DMAR_TYPE_SIDP) {
      if (type < highestType) {
        diagnostics.add('dmar.order', at, `${structureName(type)} follows a ${structureName(highestType)}; the spec lists structures in ascending type order`);
      }
      highestType = Math.max(highestType, type);
    }
    checkStructure(context, at, type, length);
    at += length;
  }
  acrossStructures.finish(context);
  return at;
}

/** The finding for a structure whose Length cannot be framed (0, below 4, or past the end). */
function reportUnframed(context: CheckContext, at: number, type: number, length: number): void {
  const end = context.reader.end;
  const name = structureName(type);
  if (length === 0) {
    context.diagnostics.add('dmar.length.zero', at, `${name} has Length 0; the walk stops here and the ${end - at} remaining bytes are not parsed (Linux stops silently)`, end - at);
  } else if (length < STRUCTURE_HEADER_SIZE) {
    context.diagnostics.add('dmar.length.short', at, `${name} Length ${length} is shorter than the 4-byte structure header; the walk cannot advance and stops`, end - at);
  } else {
    context.diagnostics.add('dmar.length.overrun', at, `${name} Length ${length} runs ${at + length - end} bytes past the table end at ${hex(end)}; the walk stops (Linux: "Record passes table end", DMAR rejected)`, end - at);
  }
}

/**
 * The offsets of the structures the validation walk framed in `[48, framedEnd)`: the same
 * Lengths, read again (each is ≥ 4 and fits, as the walk checked).
 */
export function framedOffsets(bytes: Uint8Array, framedEnd: number): number[] {
  const offsets: number[] = [];
  for (let at = DMAR_HEADER_SIZE; at < framedEnd; ) {
    const length = le16(bytes, at + STRUCTURE_LENGTH_OFFSET);
    // A buffer changed or shrunk after parsing must not stall the loop.
    if (!(length >= STRUCTURE_HEADER_SIZE)) break;
    offsets.push(at);
    at += length;
  }
  return offsets;
}

/** Builds the view for the framed structure at `offset`. */
export function structureAt(reader: TableReader, offset: number): DmarStructure {
  const length = reader.u16(offset + STRUCTURE_LENGTH_OFFSET) ?? 0;
  return new VIEW_CLASSES[viewSlot(reader.u16(offset) ?? 0, length)]!(reader, offset, length);
}

/**
 * The flyweight cursor, shared by the walks of every table (a table is ~170 bytes, so making one
 * per table cost more than moving it); taken while a walk runs, so a nested walk makes its own.
 */
let sharedCursor: StructureCursor | undefined = new StructureCursor(NO_BYTES_READER, 0, 0);

/**
 * Calls `visit` for every structure of `[48, framedEnd)` with the flyweight cursor: one object
 * for every kind, moved from structure to structure (and from table to table), so a walk
 * allocates nothing. It is valid only during the call that receives it (keep `toJSON()` or the
 * fields, not the cursor).
 */
export function forEachFramedStructure(reader: TableReader, framedEnd: number, visit: (structure: DmarStructure, index: number) => void): void {
  const cursor = sharedCursor ?? new StructureCursor(NO_BYTES_READER, 0, 0);
  sharedCursor = undefined;
  retargetStructureCursor(cursor, reader);
  const bytes = reader.bytes;
  let index = 0;
  for (let at = DMAR_HEADER_SIZE; at < framedEnd; ) {
    // Framed by the validation walk; a buffer changed or shrunk since must not stall the loop.
    const length = le16(bytes, at + STRUCTURE_LENGTH_OFFSET);
    if (!(length >= STRUCTURE_HEADER_SIZE)) break;
    moveStructureCursor(cursor, at, le16(bytes, at), length);
    visit(cursor as unknown as DmarStructure, index++);
    at += length;
  }
  // Shared across tables, the cursor must not keep the walked table's bytes alive.
  retargetStructureCursor(cursor, NO_BYTES_READER);
  sharedCursor = cursor;
}

/** The kind of the framed structure at `offset`, read without building a view. */
export function structureKindAt(reader: TableReader, offset: number): DmarStructureKind {
  return structureKind(reader.u16(offset) ?? 0, reader.u16(offset + STRUCTURE_LENGTH_OFFSET) ?? 0);
}
