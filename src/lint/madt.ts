/**
 * MADT lints: GICR / GIC ITS flag bytes in an MADT revision that does not define them, and GIC
 * ITS entries no IORT ITS group references (the reverse of `cross.its.missing`, src/cross).
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import type { IortTable } from '../iort/index.js';
import type { MadtTable } from '../madt/index.js';

/** GICR / GIC ITS Flags byte at +2 is defined from MADT revision 7 (docs/spec.md §4.3). */
const GIC_FLAGS_AT = 2;
const GIC_FLAGS_REVISION = 7;
/** GIC ITS ID at +4. */
const ITS_ID_AT = 4;

export function lintMadtRevision(madt: MadtTable, out: DiagnosticList): void {
  if (madt.revision >= GIC_FLAGS_REVISION) return;
  for (const entry of madt.entries()) {
    if (entry.kind !== 'gicr' && entry.kind !== 'gic-its') continue;
    const flags = entry.raw[GIC_FLAGS_AT] ?? 0;
    if (flags === 0) continue;
    const name = entry.kind === 'gicr' ? 'GICR' : 'GIC ITS';
    out.add('lint.madt.gic-flags-revision', entry.offset + GIC_FLAGS_AT, `${name} at ${hex(entry.offset)}: Flags byte ${hex(flags)} in an MADT of revision ${madt.revision}; the non-coherent bit needs revision ${GIC_FLAGS_REVISION}, so the OS treats the unit as coherent`, 1);
  }
}

export function lintUnreferencedIts(madt: MadtTable, iort: IortTable, out: DiagnosticList): void {
  const referenced = new Set<number>();
  for (const node of iort.nodes()) if (node.kind === 'its-group') for (const id of node.itsIdentifiers) referenced.add(id);
  for (const its of madt.gicIts()) {
    if (referenced.has(its.translationId)) continue;
    out.add('lint.its.unreferenced', its.offset + ITS_ID_AT, `GIC ITS ${its.translationId} at ${hex(its.offset)} (base ${hex(its.baseAddress)}) is listed by no IORT ITS group`, 4);
  }
}
