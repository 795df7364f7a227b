/** Diagnostic codes raised by the MADT parser (docs/spec.md §4, §5). */
import type { CodeTable } from '../bytes/diagnostics.js';

export const MADT_CODES = {
  'madt.length.zero': {
    severity: 'error',
    summary: 'a subtable has Length 0; the walk stops there (Linux: "Invalid zero length")',
    ref: 'docs/spec.md §5 #1; acpi_parse_entries_array()',
  },
  'madt.length.overrun': {
    severity: 'error',
    summary: 'a subtable header is cut off, its Length is below the 2-byte header, or it runs past the table end; the walk stops there',
    ref: 'docs/spec.md §5 #3; acpi_parse_entries_array()',
  },
  'madt.length.short': {
    severity: 'error',
    summary: 'a subtable is shorter than its type requires (GICC < 76); Linux rejects it; the fields that fit are still decoded',
    ref: 'docs/spec.md §5 #36; BAD_MADT_ENTRY(), BAD_MADT_GICC_ENTRY()',
  },
  'madt.length.long': {
    severity: 'info',
    summary: 'a subtable is longer than the longest known form of its type (e.g. 25-byte GICD); the extra bytes are ignored',
    ref: 'docs/spec.md §4.2',
  },
  'madt.type.reserved': {
    severity: 'info',
    summary: 'a subtable type in the reserved range 0x1F–0x7F; kept as kind "unknown" and skipped by its Length',
    ref: 'ACPI §5.2.12; docs/spec.md §4.2',
  },
  'madt.id.duplicate': {
    severity: 'warning',
    summary: 'two or more I/O APIC, GIC MSI frame or GIC ITS entries share an ID; references to it are ambiguous',
    ref: 'docs/spec.md §5 #32',
  },
  'madt.reserved.nonzero': {
    severity: 'info',
    summary: 'a reserved field (or the GICD System Vector Base, or MADT flags bits 31:1) is not zero',
    ref: 'docs/spec.md §5 #12, §4.3',
  },
  'madt.gicc.flags-undefined': {
    severity: 'info',
    summary: "GICC Flags has bits set that the table's revision does not define (bit 3 before revision 6, bit 4 before 7, bits 31:5)",
    ref: 'ACPI §5.2.12.14; docs/spec.md §4.2, §6.1 Q5',
  },
} as const satisfies CodeTable;

export type MadtCode = keyof typeof MADT_CODES;

// Adds these codes to the registry every Diagnostic's code is typed from (src/bytes/diagnostics.ts).
declare module '../bytes/diagnostics.js' {
  interface DiagnosticCodes extends Record<MadtCode, true> {}
}
