/**
 * One table kind on the page. Each signature the page shows plugs in through one module
 * (kinds/dmar.ts, kinds/iort.ts, kinds/madt.ts, kinds/ivrs.ts) exporting a `TableKind`; the page
 * itself knows no table.
 */
import type { Diagnostic } from '../../bytes/diagnostics.js';
import type { SdtHeader } from '../../bytes/sdt.js';
import type { RegionTables } from '../../analyze.js';

/** What the page needs from any parsed table (DmarTable, IortTable, MadtTable, IvrsTable). */
export interface ParsedTableView {
  signature: string;
  header?: SdtHeader | undefined;
  diagnostics: readonly Diagnostic[];
  toJSON(): unknown;
}

/** `[offset, size]` of a field, relative to the item (structure, node, entry) that holds it. */
export type Span = readonly [offset: number, size: number];

/** A plain JSON object of the `toJSON()` tree (bigints already as "0x…" strings). */
export type JsonItem = Readonly<Record<string, unknown>>;

export interface TableKind<T extends ParsedTableView = ParsedTableView> {
  signature: string;
  /** Human name shown in the page's table list. */
  title: string;
  parse(bytes: Uint8Array): T;
  /**
   * Byte spans of an item's fields, from the parser's layout. `item` is the table itself
   * (`arrayName` undefined) or an element of one of its arrays. Fields without a span are
   * derived values (shown, linked to their item's bytes as a whole).
   */
  fieldSpans(item: JsonItem, arrayName: string | undefined): Readonly<Record<string, Span>>;
  /** Where the table goes for the region analysis (src/index.ts `RegionTables`); none: not a region input. */
  regionKey?: keyof RegionTables;
}
