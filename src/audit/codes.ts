/**
 * Findings of `audit`: RMRR and IORT RMR ranges against their own rules and the platform
 * memory map. Offsets are in the named table. The severity policy (what makes `audit` exit 1):
 * - error: Linux's `rmrr_sanity_check` fails for an RMRR ("Your BIOS is broken; bad RMRR",
 *   taint; the whole DMAR is rejected on ~v5.5), or a reserved range overlaps memory the OS
 *   hands out (System RAM, persistent, soft-reserved), or an RMR range wraps past 2^64;
 * - warning: the firmware breaks a rule the kernel copes with (several reserved entries
 *   instead of one, ACPI NVS on a kernel that only accepts "reserved", RMR not 64 KiB aligned
 *   or empty, RMR outside reserved memory — Arm has no such kernel check);
 * - info: what was not checked, and why.
 * IVMDs (AMD) follow the RMR policy: Linux checks nothing, so only System RAM is an error.
 */
import type { CodeTable, Diagnostic } from '../bytes/diagnostics.js';
import { publicRef } from '../bytes/public-ref.js';

export const AUDIT_CODES = {
  'audit.memmap.absent': { severity: 'info', summary: 'no memory map was given (--memmap): only alignment and order were checked', ref: 'kernel-semantics §3.2' },
  'audit.rmrr.misaligned': { severity: 'error', summary: 'RMRR base or limit + 1 is not 4 KiB aligned: Linux reports a bad RMRR and taints', ref: 'spec.md §2.5; rmrr_sanity_check()' },
  'audit.rmrr.end-not-after-base': { severity: 'error', summary: 'RMRR limit ≤ base: Linux reports a bad RMRR; the region prints with a wrapped or zero length', ref: 'kernel-semantics §3.5; rmrr_sanity_check()' },
  'audit.rmrr.in-ram': { severity: 'error', summary: 'an RMRR overlaps memory the OS hands out (System RAM, persistent, soft-reserved): device DMA and OS allocations collide', ref: 'spec.md §2.5 (VT-d §8.4: RMRR memory must be reserved)' },
  'audit.rmrr.outside-reserved': { severity: 'error', summary: 'no firmware-reserved memory covers the RMRR ("No firmware reserved region can cover this RMRR"): bad RMRR, taint', ref: 'kernel-semantics §3.2; arch_rmrr_sanity_check()' },
  'audit.rmrr.partly-reserved': { severity: 'error', summary: 'firmware-reserved memory covers only part of the RMRR: bad RMRR, taint', ref: 'kernel-semantics §3.2; arch_rmrr_sanity_check()' },
  'audit.rmrr.reserved-union-only': { severity: 'warning', summary: 'several adjacent reserved entries cover the RMRR but no single one does, as arch_rmrr_sanity_check asks', ref: 'kernel-semantics §3.2' },
  'audit.rmrr.nvs-not-accepted': { severity: 'warning', summary: 'the RMRR lies in ACPI NVS, which the kernel version asked for does not accept (NVS accepted from ~v6.1): bad RMRR, taint', ref: 'kernel-semantics §3.2; src/regions/kernel-versions.ts' },
  'audit.rmr.ignored': { severity: 'info', summary: 'Linux ignores these RMR nodes (IORT revision < 5, or a kernel before v6.0); their ranges are still audited', ref: 'kernel-semantics §4.3' },
  'audit.rmr.misaligned': { severity: 'warning', summary: 'an RMR descriptor is not 64 KiB aligned: Linux rounds it to its page size ("not aligned to 64K")', ref: 'spec.md §3.12; kernel-semantics §4.3' },
  'audit.rmr.zero-length': { severity: 'warning', summary: 'an RMR descriptor has length 0 (kept by Linux, prints start start−1)', ref: 'kernel-semantics §4.3' },
  'audit.rmr.wraps': { severity: 'error', summary: 'an RMR descriptor runs past 2^64 − 1', ref: 'spec.md §3.12 (End = Base + Length − 1)' },
  'audit.rmr.in-ram': { severity: 'error', summary: 'an RMR range overlaps memory the OS hands out (System RAM, persistent, soft-reserved)', ref: 'kernel-semantics §4.3 (the range is identity-mapped for the device)' },
  'audit.rmr.outside-reserved': { severity: 'warning', summary: 'an RMR range is not (wholly) inside firmware-reserved memory; Linux does not check this on Arm', ref: 'kernel-semantics §4.3' },
  'audit.ivhd.entry-past-end': { severity: 'warning', summary: 'an IVHD device entry runs past the IVHD end: Linux applies it anyway and prints a WARN_ON backtrace (find_last_devid_from_ivhd); its first lines are in kernelLog', ref: 'find_last_devid_from_ivhd()' },
  'audit.ivmd.ignored': { severity: 'warning', summary: 'an IVMD has neither the unity nor the exclusion flag: Linux ignores it (no mapping); its range is still audited', ref: 'init_memory_definitions()' },
  'audit.ivmd.misaligned': { severity: 'warning', summary: 'an IVMD start or length is not 4 KiB aligned: Linux rounds both up (PAGE_ALIGN) without a message, so the window it maps moves', ref: 'init_unity_map_range()' },
  'audit.ivmd.zero-length': { severity: 'warning', summary: 'an IVMD has length 0: Linux keeps an empty unity map', ref: 'init_unity_map_range()' },
  'audit.ivmd.in-ram': { severity: 'error', summary: 'the window Linux maps 1:1 for an IVMD overlaps memory the OS hands out (System RAM, persistent, soft-reserved)', ref: 'init_unity_map_range() (the window is identity-mapped for the devices)' },
  'audit.ivmd.outside-reserved': { severity: 'warning', summary: 'the window Linux maps for an IVMD is not (wholly) inside firmware-reserved memory; Linux does not check IVMDs against the memory map', ref: 'init_unity_map_range()' },
} as const satisfies CodeTable;

export type AuditCode = keyof typeof AUDIT_CODES;

// Adds these codes to the registry every Diagnostic's code is typed from (src/bytes/diagnostics.ts).
declare module '../bytes/diagnostics.js' {
  interface DiagnosticCodes extends Record<AuditCode, true> {}
}

export interface AuditFinding extends Diagnostic {
  table: 'DMAR' | 'IORT' | 'IVRS' | 'memmap';
}

export function auditFinding(code: AuditCode, table: AuditFinding['table'], offset: number, message: string): AuditFinding {
  const info = AUDIT_CODES[code];
  const ref = publicRef(info.ref);
  return { code, severity: info.severity, offset, message, ...(ref === undefined ? {} : { ref }), table };
}
