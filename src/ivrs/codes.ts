/** Diagnostic codes raised by the IVRS parser (AMD IOMMU specification §5.2; Linux 6.1 amd/init.c). */
import type { CodeTable } from '../bytes/diagnostics.js';

export const IVRS_CODES = {
  'ivrs.block.truncated': {
    severity: 'error',
    summary: 'fewer than 4 bytes are left for a block header before the table end; the walk stops',
    ref: 'AMD IOMMU specification §5.2.2',
  },
  'ivrs.block.zero-length': {
    severity: 'error',
    summary: 'a block (IVHD/IVMD) has Length 0: the walk stops here (Linux 6.1 would loop on it forever; iasl: "Invalid zero length subtable")',
    ref: 'init_memory_definitions(); find_last_devid_acpi()',
  },
  'ivrs.block.overrun': {
    severity: 'error',
    summary: 'a block has a Length below its 4-byte header or running past the table end; the walk stops',
    ref: 'AMD IOMMU specification §5.2.2',
  },
  'ivrs.block.short': {
    severity: 'error',
    summary: 'an IVHD or IVMD block is shorter than the fixed part of its type (IVHD 0x10: 24, 0x11/0x40: 40, IVMD: 32); kept as kind "unknown" (truncated) and no device entry is read',
    ref: 'get_ivhd_header_size(); ACPICA actbl2.h',
  },
  'ivrs.block.unknown': {
    severity: 'info',
    summary: 'a block type other than IVHD 0x10/0x11/0x40 or IVMD 0x20–0x22 (e.g. 0x51 on some Lenovo laptops); kept as kind "unknown" and skipped by its Length',
    ref: 'AMD IOMMU specification §5.2.2; iasl "Unknown IVRS subtable type"',
  },
  'ivrs.entry.truncated': {
    severity: 'error',
    summary: 'an IVHD device entry runs past the end of its IVHD block; the rest of that block is not read',
    ref: 'ivhd_entry_length(); init_iommu_from_acpi()',
  },
  'ivrs.entry.reserved': {
    severity: 'warning',
    summary: 'an IVHD device entry of a reserved type; skipped by the length its type bits 7:6 give (Linux 6.1 skips types below 0x80 the same way, but its walk does not advance over types 0x80 and above)',
    ref: 'AMD IOMMU spec "IVHD device entry type"; ivhd_entry_length()',
  },
} as const satisfies CodeTable;

export type IvrsCode = keyof typeof IVRS_CODES;

// Adds these codes to the registry every Diagnostic's code is typed from (src/bytes/diagnostics.ts).
declare module '../bytes/diagnostics.js' {
  interface DiagnosticCodes extends Record<IvrsCode, true> {}
}
