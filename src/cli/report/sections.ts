/**
 * The `report` is a list of sections, printed in order. A section that has nothing to say
 * returns no lines and is left out. To add one (e.g. the per-device reserved-region summary),
 * write a `ReportSection` in its own file and append it to `REPORT_SECTIONS`.
 */
import type { LoadedTable } from '../../node/index.js';
import type { JsonObject } from '../dump/shapes.js';
import type { Paint } from '../shared/style.js';
import type { ParsedInput } from '../shared/tables.js';
import { diagnosticsSection } from './section-diagnostics.js';
import { iommuUnitsSection, reservedMemorySection } from './section-iommu.js';
import { regionsSection } from './section-regions.js';
import { tablesSection } from './section-tables.js';

export interface ReportContext {
  /** Where the tables came from, in words (a path, or the bundled sample platform). */
  origin: string;
  /** The DMAR, IORT, APIC and IVRS tables, parsed. */
  parsed: readonly ParsedInput[];
  /** Other tables present (DSDT, FACP, SSDT…), listed but not read. */
  ignored: readonly LoadedTable[];
  /** PCI topology for the region section: a sysfs root or a JSON file; none → regions by scope. */
  topologyPath?: string | undefined;
  /** -v: long lists in full. */
  complete?: boolean;
  /** `toJSON()` of a parsed table as plain JSON (bigint as `0x…`), computed once. */
  plain(input: ParsedInput): JsonObject;
}

export interface ReportSection {
  /** Key of this section in `report --json`. */
  id: string;
  title: string;
  lines(context: ReportContext, paint: Paint): string[] | Promise<string[]>;
  json(context: ReportContext): unknown;
}

export const REPORT_SECTIONS: ReportSection[] = [
  tablesSection,
  iommuUnitsSection,
  reservedMemorySection,
  regionsSection,
  diagnosticsSection,
];
