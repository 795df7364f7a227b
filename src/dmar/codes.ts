/** Diagnostic codes raised by the DMAR parser (docs/spec.md §5; docs/kernel-semantics.md §3, §10). */
import type { CodeTable } from '../bytes/diagnostics.js';

export const DMAR_CODES = {
  // Framing of remapping structures (spec §5 #1–#3, #9; dmar_walk_remapping_entries()).
  'dmar.length.zero': { severity: 'error', summary: 'a remapping structure has Length 0; the walk stops there (Linux stops silently and keeps what came before)', ref: 'docs/spec.md §5 #1; dmar_walk_remapping_entries()' },
  'dmar.length.short': { severity: 'error', summary: "a structure's Length is below its 4-byte header (walk stops) or its type's fixed part (kept as unknown, walk continues)", ref: 'docs/spec.md §5 #2' },
  'dmar.length.overrun': { severity: 'error', summary: 'a structure runs past the table end; the walk stops (Linux: "Record passes table end", whole DMAR rejected)', ref: 'docs/spec.md §5 #3; dmar_walk_remapping_entries()' },
  'dmar.length.long': { severity: 'warning', summary: 'an RHSA is longer than its fixed 20 bytes; the extra bytes are ignored', ref: 'VT-d §8.6; docs/spec.md §2.7' },
  'dmar.type.unknown': { severity: 'info', summary: 'structure type 7 or above (newer spec); skipped by its Length as Linux does', ref: 'docs/spec.md §5 #9' },
  'dmar.order': { severity: 'warning', summary: 'structures are not grouped in ascending type order (Linux does not care)', ref: 'VT-d §8.2; docs/spec.md §2.11' },
  'dmar.reserved.nonzero': { severity: 'info', summary: 'a reserved field or reserved flag bits are non-zero', ref: 'docs/spec.md §5 #12' },
  'dmar.segment.no-drhd': { severity: 'warning', summary: 'a structure names a PCI segment that no DRHD covers', ref: 'VT-d §8.3; docs/spec.md §2.11 rule 3' },
  // Header (spec §2.1, §5 #11).
  'dmar.haw.invalid': { severity: 'error', summary: 'Host Address Width byte below 11 (fewer than 12 bits): Linux rejects the whole DMAR ("Invalid DMAR haw")', ref: 'docs/spec.md §5 #11; parse_dmar_table()' },
  'dmar.haw.large': { severity: 'warning', summary: 'Host Address Width above 63 bits is implausible', ref: 'docs/spec.md §5 #11' },
  // Device scopes (spec §2.4, §5 #4–#7).
  'dmar.scope.length': { severity: 'error', summary: 'a device scope Length is below 6; the scopes of that structure are not scanned further', ref: 'docs/spec.md §5 #4' },
  'dmar.scope.no-path': { severity: 'error', summary: 'a device scope of Length 6–7 has no complete path entry and names no device', ref: 'docs/spec.md §5 #4' },
  'dmar.scope.overrun': { severity: 'error', summary: 'a device scope runs past the end of its structure; scanning of that structure stops', ref: 'docs/spec.md §5 #5' },
  'dmar.scope.path-odd': { severity: 'warning', summary: 'a device scope Length leaves half a path entry; Linux drops the stray byte', ref: 'docs/spec.md §5 #6' },
  'dmar.scope.type': { severity: 'warning', summary: 'a device scope type is reserved (0 or ≥ 6) or not allowed in its structure (Linux: "Unsupported device scope")', ref: 'docs/spec.md §5 #7; dmar_alloc_dev_scope()' },
  'dmar.scope.path-range': { severity: 'warning', summary: 'a path entry has device > 31 or function > 7, so it can match no PCI function', ref: 'VT-d §8.3.1; dmar_match_pci_path()' },
  'dmar.scope.namespace-orphan': { severity: 'warning', summary: 'an ACPI namespace device scope names an ACPI device number that no ANDD declares', ref: 'docs/spec.md §2.11 rule 4; dmar_acpi_insert_dev_scope()' },
  // DRHD (spec §2.3, §5 #10, #13).
  'dmar.drhd.none': { severity: 'error', summary: 'the table has no DRHD: Linux finds no DMAR units and leaves the IOMMU off', ref: 'parse_dmar_table(); dmar_table_init()' },
  'dmar.drhd.base-zero': { severity: 'error', summary: 'DRHD Register Base Address is 0: Linux rejects the unit ("DMAR reported at address 0")', ref: 'docs/spec.md §5 #13; dmar_parse_one_drhd()' },
  'dmar.drhd.misaligned': { severity: 'warning', summary: 'DRHD Register Base Address is not 4 KiB aligned', ref: 'VT-d §8.3; docs/spec.md §5 #13' },
  'dmar.drhd.duplicate': { severity: 'warning', summary: 'two DRHDs share segment and register base; Linux ignores the later one', ref: 'docs/spec.md §5 #13; dmar_parse_one_drhd()' },
  'dmar.drhd.include-all-dup': { severity: 'warning', summary: 'more than one INCLUDE_PCI_ALL DRHD for one segment', ref: 'VT-d §8.3; docs/spec.md §5 #10' },
  'dmar.drhd.include-all-not-last': { severity: 'warning', summary: 'an INCLUDE_PCI_ALL DRHD is followed by another DRHD of its segment (Linux tolerates it)', ref: 'VT-d §8.3; docs/spec.md §5 #10' },
  // RMRR (spec §2.5, §5 #14–#15; docs/kernel-semantics.md §3.2, §10).
  'dmar.rmrr.base-after-limit': { severity: 'error', summary: 'RMRR Base ≥ Limit; Linux calls it a bad RMRR, taints, and still uses it verbatim', ref: 'docs/spec.md §5 #14; rmrr_sanity_check()' },
  'dmar.rmrr.misaligned': { severity: 'warning', summary: 'RMRR Base or Limit + 1 is not 4 KiB aligned; Linux taints and still uses it', ref: 'docs/spec.md §5 #14; rmrr_sanity_check()' },
  'dmar.rmrr.no-scope': { severity: 'warning', summary: 'an RMRR lists no device scope, so it applies to no device', ref: 'VT-d §8.4' },
  'dmar.rmrr.above-haw': { severity: 'error', summary: 'an RMRR reaches beyond the host address width: Linux 6.1 crashes at boot if it identity-maps it for a device present at boot and it ends at or below 2^57 (regions decide)', ref: 'docs/spec.md §5 #15; kernel-semantics.md §10' },
  // RHSA and ANDD (spec §2.7, §2.8, §5 #16–#17).
  'dmar.rhsa.orphan': { severity: 'warning', summary: 'an RHSA names a register base that no DRHD has ("RHSA refers to non-existent DMAR unit")', ref: 'docs/spec.md §5 #16; dmar_parse_one_rhsa()' },
  'dmar.andd.unterminated': { severity: 'error', summary: 'ANDD object name has no NUL inside the structure: Linux fails the whole DMAR parse', ref: 'docs/spec.md §5 #17; dmar_parse_one_andd()' },
  'dmar.andd.duplicate': { severity: 'warning', summary: 'two ANDDs declare the same ACPI device number', ref: 'VT-d §8.7; docs/spec.md §5 #17' },
} as const satisfies CodeTable;

export type DmarCode = keyof typeof DMAR_CODES;

// Adds these codes to the registry every Diagnostic's code is typed from (src/bytes/diagnostics.ts).
declare module '../bytes/diagnostics.js' {
  interface DiagnosticCodes extends Record<DmarCode, true> {}
}
