/**
 * Findings of the AMD-Vi region derivation: what Linux 6.1 does with an IVRS at boot
 * (drivers/iommu/amd/init.c) and per device (iommu.c). Offsets are in the IVRS.
 */
import type { CodeTable } from '../../bytes/diagnostics.js';
import { findingFrom, type RegionFinding } from '../../regions/codes.js';

export const AMD_REGION_CODES = {
  'regions.amd.iommu-off': { severity: 'error', summary: 'Linux would not bring the AMD IOMMU up with this IVRS (no usable IVHD of the type it selects): no groups, no reserved_regions files', ref: 'get_highest_supported_ivhd_type(); find_last_devid_acpi(); init_iommu_all()' },
  'regions.amd.ivhd-unused': { severity: 'info', summary: 'an IVHD of another type than the one Linux selects (the last type ≤ 0x40 seen for the first IVHD\'s device ID): its device entries are not used', ref: 'get_highest_supported_ivhd_type()' },
  'regions.amd.no-iommu': { severity: 'warning', summary: 'no IVHD entry of the selected type names the device\'s ID (or it is the IOMMU itself, or beyond the last device ID the IVHDs name): it gets no IOMMU and no group', ref: 'check_device(); init_iommu_from_acpi(); init_iommu_one_late()' },
  'regions.amd.ivmd-ignored': { severity: 'warning', summary: 'an IVMD with neither the unity nor the exclusion flag: Linux ignores it silently', ref: 'init_memory_definitions()' },
  'regions.amd.boot-hang': { severity: 'error', summary: 'an IVHD device entry of a type Linux cannot size (0x80 and above, but 0xF0): ivhd_entry_length() returns 0 and the entry walk loops forever, so the boot hangs', ref: 'ivhd_entry_length(); find_last_devid_from_ivhd(); init_iommu_from_acpi()' },
  'regions.amd.entry-past-ivhd': { severity: 'warning', summary: 'an IVHD device entry runs past the end of its IVHD: Linux still applies it, reading its last bytes from what follows, and WARNs (a WARN_ON(p != end) backtrace) unless an "all" entry came first', ref: 'find_last_devid_from_ivhd(); init_iommu_from_acpi(); ivhd_entry_length()' },
  'regions.amd.entry-past-table': { severity: 'warning', summary: 'an IVHD device entry runs past the end of the table with the IDs it names: Linux reads them from memory after the table, which the table does not hold, so the IDs it covers are unknown', ref: 'find_last_devid_from_ivhd(); init_iommu_from_acpi()' },
  'regions.amd.ivmd-rounded': { severity: 'info', summary: 'an IVMD start or length is not 4 KiB aligned: Linux rounds the start UP and the length up (PAGE_ALIGN), which moves the window', ref: 'init_unity_map_range()' },
} as const satisfies CodeTable;

export type AmdRegionCode = keyof typeof AMD_REGION_CODES;

// Adds these codes to the registry every Diagnostic's code is typed from (src/bytes/diagnostics.ts).
declare module '../../bytes/diagnostics.js' {
  interface DiagnosticCodes extends Record<AmdRegionCode, true> {}
}

export function amdFinding(code: AmdRegionCode, message: string, where: { offset?: number; device?: string } = {}): RegionFinding {
  // Named fields, not `{ ...where, table }`: a key added to a spread's copy costs ~1 µs a finding on Node 20.
  return findingFrom(AMD_REGION_CODES, code, message, { offset: where.offset, device: where.device, table: 'IVRS' });
}
