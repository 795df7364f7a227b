/**
 * Report sections: the IOMMU units (DMAR DRHDs, IORT SMMUs and ITS groups, IVRS IVHDs) and the
 * firmware's reserved memory (DMAR RMRRs, IORT RMR nodes, IVRS IVMDs), read from each table's JSON form and listed
 * under the table they come from.
 */
import type { JsonObject } from '../dump/shapes.js';
import type { Paint } from '../shared/style.js';
import { describeScopes, describeUnit, describeReservedMemory, type UnitRecord } from './describe-units.js';
import { itemsOf } from './json-fields.js';
import type { ReportContext, ReportSection } from './sections.js';

type Describe = (item: JsonObject, signature: string, source: string) => UnitRecord[];

function collect(context: ReportContext, describe: Describe): UnitRecord[] {
  return context.parsed.flatMap((input) => itemsOf(context.plain(input)).flatMap((item) => describe(item, input.signature, input.source)));
}

/** `IORT  path` then the table's records, indented. */
function groupedLines(records: readonly UnitRecord[], paint: Paint, complete: boolean): string[] {
  const lines: string[] = [];
  let source: string | undefined;
  for (const record of records) {
    if (record.source !== source) {
      source = record.source;
      lines.push(`${record.signature}  ${paint.dim(record.source)}`);
    }
    const scopes = record.scopes.length > 0 ? `  for ${describeScopes(record.scopes, complete)}` : '';
    lines.push(`  ${paint.bold(record.kind)} ${paint.dim(`@0x${record.offset.toString(16).padStart(4, '0')}`)} ${record.summary}${scopes}`);
  }
  return lines;
}

export const iommuUnitsSection: ReportSection = {
  id: 'iommuUnits',
  title: 'IOMMU units',
  lines(context, paint) {
    const found = collect(context, describeUnit);
    if (found.length === 0 && context.parsed.length > 0) return [paint.dim('none: no DMAR DRHD, no IORT SMMU or ITS group, no IVRS IVHD')];
    return groupedLines(found, paint, context.complete === true);
  },
  json: (context) => collect(context, describeUnit),
};

export const reservedMemorySection: ReportSection = {
  id: 'reservedMemory',
  title: 'Reserved memory (RMRR / RMR / IVMD)',
  lines: (context, paint) => groupedLines(collect(context, describeReservedMemory), paint, context.complete === true),
  json: (context) => collect(context, describeReservedMemory),
};
