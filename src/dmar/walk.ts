/**
 * The lazy iteration over what the validation pass (validate.ts) framed. That pass records only
 * where framing ended; offsets and view objects are made when a caller iterates.
 */
import { NO_BYTES_READER, type TableReader } from '../bytes/reader.js';
import { AnddStructure } from './andd.js';
import { AtsrStructure } from './atsr.js';
import type { RetargetableByteView } from './byte-view.js';
import { DrhdStructure } from './drhd.js';
import { DMAR_HEADER_SIZE, STRUCTURE_HEADER_SIZE, STRUCTURE_LAYOUTS, STRUCTURE_LENGTH_OFFSET, structureKind, type DmarStructureKind } from './layout.js';
import { RhsaStructure } from './rhsa.js';
import { RmrrStructure } from './rmrr.js';
import { SatcStructure } from './satc.js';
import { SidpStructure } from './sidp.js';
import { UnknownStructure } from './structure.js';
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

/** View classes by slot: the structure type for types 0–6 with their fixed part, UNKNOWN_SLOT for the rest. */
const VIEW_CLASSES = [DrhdStructure, RmrrStructure, AtsrStructure, RhsaStructure, AnddStructure, SatcStructure, SidpStructure, UnknownStructure] as const;
const UNKNOWN_SLOT = VIEW_CLASSES.length - 1;
/** Fixed-part size by type 0–6, read from a dense array on every structure of a walk. */
const FIXED_SIZES = Uint8Array.from(STRUCTURE_LAYOUTS, (layout) => layout.fixedSize);

/** The VIEW_CLASSES slot of a framed structure (the rule of `structureKind`). */
function viewSlot(type: number, length: number): number {
  return type < FIXED_SIZES.length && length >= FIXED_SIZES[type]! ? type : UNKNOWN_SLOT;
}

/** Builds the view for the framed structure at `offset`. */
export function structureAt(reader: TableReader, offset: number): DmarStructure {
  const length = reader.u16(offset + STRUCTURE_LENGTH_OFFSET) ?? 0;
  return new VIEW_CLASSES[viewSlot(reader.u16(offset) ?? 0, length)]!(reader, offset, length);
}

/**
 * One flyweight cursor per VIEW_CLASSES slot, shared by the walks of every table (a table is
 * ~170 bytes, so making cursors per table cost more than moving them); taken while a walk runs,
 * so a nested walk makes its own set.
 */
let sharedCursors: (DmarStructure | undefined)[] | undefined = [];

/**
 * Calls `visit` for every structure of `[48, framedEnd)` with a flyweight cursor: one view per
 * kind, moved from structure to structure (and from table to table), so walks allocate at most
 * one object per kind. A cursor is valid only during the call that receives it (keep `toJSON()`
 * or the fields, not the cursor).
 */
export function forEachFramedStructure(reader: TableReader, framedEnd: number, visit: (structure: DmarStructure, index: number) => void): void {
  const cursors = sharedCursors ?? [];
  sharedCursors = undefined;
  const bytes = reader.bytes;
  let index = 0;
  for (let at = DMAR_HEADER_SIZE; at < framedEnd; ) {
    // Framed by the validation walk; a buffer changed or shrunk since must not stall the loop.
    const length = le16(bytes, at + STRUCTURE_LENGTH_OFFSET);
    if (!(length >= STRUCTURE_HEADER_SIZE)) break;
    const slot = viewSlot(le16(bytes, at), length);
    let cursor = cursors[slot];
    if (cursor === undefined) cursors[slot] = cursor = new VIEW_CLASSES[slot]!(reader, at, length);
    else {
      // Its own store site, not a helper shared with the scope walk (src/bytes/item-view.ts `MovableView`).
      const moved = cursor as unknown as RetargetableByteView;
      moved.reader = reader;
      moved.offset = at;
      moved.length = length;
    }
    visit(cursor, index++);
    at += length;
  }
  // Shared across tables, the cursors must not keep the last walked table's bytes alive.
  for (const cursor of cursors) if (cursor !== undefined) (cursor as unknown as RetargetableByteView).reader = NO_BYTES_READER;
  sharedCursors = cursors;
}

/** The kind of the framed structure at `offset`, read without building a view. */
export function structureKindAt(reader: TableReader, offset: number): DmarStructureKind {
  return structureKind(reader.u16(offset) ?? 0, reader.u16(offset + STRUCTURE_LENGTH_OFFSET) ?? 0);
}
