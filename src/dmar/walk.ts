/**
 * The lazy iteration over what the validation pass (validate.ts) framed. That pass records only
 * where framing ended; offsets and view objects are made when a caller iterates.
 */
import { NO_BYTES_READER, type TableReader } from '../bytes/reader.js';
import type { AnddStructure } from './andd.js';
import type { AtsrStructure } from './atsr.js';
import type { DrhdStructure } from './drhd.js';
import { DMAR_HEADER_SIZE, STRUCTURE_HEADER_SIZE, STRUCTURE_LENGTH_OFFSET, structureKind, type DmarStructureKind } from './layout.js';
import type { RhsaStructure } from './rhsa.js';
import type { RmrrStructure } from './rmrr.js';
import type { SatcStructure } from './satc.js';
import type { SidpStructure } from './sidp.js';
import type { UnknownStructure } from './structure.js';
import { StructureCursor, moveStructureCursor, retargetStructureCursor } from './structure-cursor.js';
import { VIEW_CLASSES, viewSlot } from './view-slots.js';
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
