/**
 * Strict lint rules (`acpi-iommu check --strict`): revision-aware checks for tables that VMMs
 * and firmware generators emit, beyond what the parsers report. Platform-free; each finding is a
 * Diagnostic with a `lint.*` code from LINT_CODES, reported in the table it points into.
 *
 * The IORT → MADT direction of the ITS cross-reference is `cross.its.missing` (src/cross),
 * which `check` reports without --strict; the lint adds the MADT → IORT direction.
 */
import { compareDiagnostics, DiagnosticList, type Diagnostic } from '../bytes/diagnostics.js';
import type { DmarTable } from '../dmar/index.js';
import type { IortTable } from '../iort/index.js';
import type { IvrsTable } from '../ivrs/index.js';
import type { MadtTable } from '../madt/index.js';
import { LINT_CODES } from './codes.js';
import { lintDmar } from './dmar.js';
import { lintOutputOverlaps, lintRmr } from './iort-ids.js';
import { lintIortRevisions } from './iort-revision.js';
import { lintIvrs } from './ivrs.js';
import { lintMadtRevision, lintUnreferencedIts } from './madt.js';

export { LINT_CODES, type LintCode } from './codes.js';
export { IORT_REVISION_COLUMNS, revisionColumn, type RevisionColumn } from './revisions.js';

export interface LintTables {
  dmar?: DmarTable | undefined;
  iort?: IortTable | undefined;
  madt?: MadtTable | undefined;
  ivrs?: IvrsTable | undefined;
}

/** Findings grouped by the table whose bytes they point into, each list sorted. */
export interface LintFindings {
  dmar: readonly Diagnostic[];
  iort: readonly Diagnostic[];
  madt: readonly Diagnostic[];
  ivrs: readonly Diagnostic[];
}

function collect(run: (out: DiagnosticList) => void): Diagnostic[] {
  const out = new DiagnosticList(LINT_CODES);
  run(out);
  return out.items.sort(compareDiagnostics);
}

export function lintDmarTable(dmar: DmarTable): readonly Diagnostic[] {
  return collect((out) => lintDmar(dmar, out));
}

export function lintIortTable(iort: IortTable): readonly Diagnostic[] {
  return collect((out) => {
    lintIortRevisions(iort, out);
    lintOutputOverlaps(iort, out);
    lintRmr(iort, out);
  });
}

/** MADT rules; with `iort`, also the GIC ITS entries it does not reference. */
export function lintMadtTable(madt: MadtTable, iort?: IortTable): readonly Diagnostic[] {
  return collect((out) => {
    lintMadtRevision(madt, out);
    if (iort !== undefined) lintUnreferencedIts(madt, iort, out);
  });
}

export function lintIvrsTable(ivrs: IvrsTable): Diagnostic[] {
  return collect((out) => lintIvrs(ivrs, out));
}

/** Every rule over the tables of one machine. */
export function lintTables(tables: LintTables): LintFindings {
  return {
    dmar: tables.dmar === undefined ? [] : lintDmarTable(tables.dmar),
    iort: tables.iort === undefined ? [] : lintIortTable(tables.iort),
    madt: tables.madt === undefined ? [] : lintMadtTable(tables.madt, tables.iort),
    ivrs: tables.ivrs === undefined ? [] : lintIvrsTable(tables.ivrs),
  };
}
