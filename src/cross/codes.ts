/** Codes for findings that need two tables; each is reported at the offset in the referring table. */
import type { CodeTable } from '../bytes/diagnostics.js';

export const CROSS_CODES = {
  'cross.its.missing': { severity: 'warning', summary: 'an IORT ITS group names a GIC ITS identifier that no MADT GIC ITS entry has: MSIs through it have no doorbell', ref: 'docs/spec.md §5 #33; iort_iommu_msi_get_resv_regions()' },
  'cross.ioapic.missing': { severity: 'warning', summary: 'a DMAR IOAPIC device scope names an I/O APIC ID that no MADT I/O APIC entry has', ref: 'docs/spec.md §5 #8; ir_parse_one_ioapic_scope()' },
} as const satisfies CodeTable;
export type CrossCode = keyof typeof CROSS_CODES;

// Adds these codes to the registry every Diagnostic's code is typed from (src/bytes/diagnostics.ts).
declare module '../bytes/diagnostics.js' {
  interface DiagnosticCodes extends Record<CrossCode, true> {}
}
