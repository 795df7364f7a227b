/** MADT (signature `APIC`): public surface. */
export { parseMadt, MadtTable, type MadtJson, type WithFields, type CompleteGicItsEntry, type CompleteGicMsiFrameEntry, type CompleteIoApicEntry } from './table.js';
export { MADT_CODES, type MadtCode } from './codes.js';
export type * from './entry-types.js';
export { EntryBase } from './entry-view.js';
export {
  MADT_SIGNATURE,
  MADT_HEADER_SIZE,
  MADT_NEWEST_REVISION,
  SUBTABLE_KINDS,
  GITS_TRANSLATER_OFFSET,
  MSI_SETSPI_NS_OFFSET,
  kindOfType,
  type MadtEntryKind,
} from './layout.js';
