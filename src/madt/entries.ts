/** The field map of every MADT entry kind, and the factory that makes a view for a subtable. */
import type { TableReader } from '../bytes/reader.js';
import { APIC_FIELDS } from './entries-apic.js';
import { GIC_FIELDS } from './entries-gic.js';
import { OTHER_FIELDS } from './entries-other.js';
import { defineEntry, type EntryClass, type FieldMap } from './entry-view.js';
import { kindOfType, type MadtEntryKind } from './layout.js';
import type { MadtEntry } from './entry-types.js';

/** One field map per kind; `satisfies` fails to compile if a kind of layout.ts lacks one. */
export const MADT_FIELDS = { ...APIC_FIELDS, ...GIC_FIELDS, ...OTHER_FIELDS } satisfies Record<MadtEntryKind, FieldMap>;

const VIEWS = new Map<MadtEntryKind, EntryClass<MadtEntryKind, FieldMap>>(
  Object.entries(MADT_FIELDS).map(([kind, fields]) => [kind as MadtEntryKind, defineEntry(kind as MadtEntryKind, fields)]),
);
/** The view class of each Type byte: one array load per view made. */
const VIEW_OF_TYPE = Array.from({ length: 256 }, (_, type) => VIEWS.get(kindOfType(type))!);

/** The view for the subtable at `offset`; the caller has checked that it fits in the table. */
export function createEntry(reader: TableReader, offset: number, revision: number): MadtEntry {
  return new VIEW_OF_TYPE[reader.u8(offset) ?? 0]!(reader, offset, revision) as unknown as MadtEntry;
}
