/**
 * Checks that need two tables: references from IORT and DMAR into the MADT. Each finding is
 * reported at the byte offset of the reference in the referring table.
 */
import { hex } from '../bytes/hex.js';
import { compareDiagnostics, DiagnosticList, type Diagnostic } from '../bytes/diagnostics.js';
import type { DmarTable } from '../dmar/index.js';
import { SCOPE } from '../dmar/layout.js';
import type { IortTable } from '../iort/index.js';
import { IORT_NODE_ITS_GROUP, ITS_IDENTIFIERS } from '../iort/layout.js';
import type { MadtTable } from '../madt/index.js';
import { CROSS_CODES } from './codes.js';

export interface CrossTables {
  dmar?: DmarTable | undefined;
  iort?: IortTable | undefined;
  madt?: MadtTable | undefined;
}

export interface CrossFindings {
  dmar: readonly Diagnostic[];
  iort: readonly Diagnostic[];
}

/** Cross-table findings, grouped by the table they are reported in. Empty without a MADT. */
export function crossCheck(tables: CrossTables): CrossFindings {
  const findings: CrossFindings = { dmar: [], iort: [] };
  if (tables.madt === undefined) return findings;
  if (tables.iort !== undefined) findings.iort = missingItsDoorbells(tables.iort, tables.madt);
  if (tables.dmar !== undefined) findings.dmar = missingIoApics(tables.dmar, tables.madt);
  return findings;
}

/** docs/spec.md §5 #33: an ITS identifier with no MADT GIC ITS has no doorbell address. */
function missingItsDoorbells(iort: IortTable, madt: MadtTable): Diagnostic[] {
  const known = new Set<number>();
  for (const its of madt.gicIts()) known.add(its.translationId);
  const list = new DiagnosticList(CROSS_CODES);
  for (const node of iort.nodesOfType(IORT_NODE_ITS_GROUP)) {
    if (node.kind !== 'its-group') continue;
    node.itsIdentifiers.forEach((identifier, index) => {
      if (known.has(identifier)) return;
      list.add('cross.its.missing', node.offset + ITS_IDENTIFIERS + 4 * index,
        `ITS group at 0x${node.offset.toString(16)} names GIC ITS ${identifier}, which the MADT does not describe`, 4);
    });
  }
  return list.items.sort(compareDiagnostics);
}

/** docs/spec.md §5 #8: a DMAR IOAPIC scope should name an I/O APIC the MADT describes. */
function missingIoApics(dmar: DmarTable, madt: MadtTable): Diagnostic[] {
  const known = new Set<number>();
  for (const ioApic of madt.ioApics()) known.add(ioApic.ioApicId);
  const list = new DiagnosticList(CROSS_CODES);
  for (const structure of dmar.structuresOfKind('drhd')) {
    for (const scope of structure.deviceScopes()) {
      if (scope.kind !== 'ioapic' || known.has(scope.enumerationId)) continue;
      list.add('cross.ioapic.missing', scope.offset + SCOPE.enumerationId,
        `IOAPIC scope names I/O APIC ID ${hex(scope.enumerationId)}, which the MADT does not describe`, 1);
    }
  }
  return list.items.sort(compareDiagnostics);
}
