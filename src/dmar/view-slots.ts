/**
 * Which view class shows a framed structure: the one of its type (0–6) when its Length holds
 * that type's fixed part, `UnknownStructure` otherwise (the rule of layout.ts `structureKind`).
 * Indexed by slot, so the iterator views and the flyweight cursor pick a class with one load.
 */
import { AnddStructure } from './andd.js';
import { AtsrStructure } from './atsr.js';
import { DrhdStructure } from './drhd.js';
import { STRUCTURE_LAYOUTS } from './layout.js';
import { RhsaStructure } from './rhsa.js';
import { RmrrStructure } from './rmrr.js';
import { SatcStructure } from './satc.js';
import { SidpStructure } from './sidp.js';
import { UnknownStructure } from './structure.js';

/** View classes by slot: the structure type for types 0–6 with their fixed part, UNKNOWN_SLOT for the rest. */
export const VIEW_CLASSES = [DrhdStructure, RmrrStructure, AtsrStructure, RhsaStructure, AnddStructure, SatcStructure, SidpStructure, UnknownStructure] as const;
export const UNKNOWN_SLOT = VIEW_CLASSES.length - 1;
/** Fixed-part size by type 0–6, read from a dense array on every structure of a walk. */
const FIXED_SIZES = Uint8Array.from(STRUCTURE_LAYOUTS, (layout) => layout.fixedSize);

/** The VIEW_CLASSES slot of a framed structure. */
export function viewSlot(type: number, length: number): number {
  return type < FIXED_SIZES.length && length >= FIXED_SIZES[type]! ? type : UNKNOWN_SLOT;
}
