/**
 * Findings of the region derivation: what the kernel would do with these tables on this PCI
 * topology (binding, refusals, rounding). Offsets are in the named table.
 */
import type { CodeInfo, CodeTable, Diagnostic, DiagnosticCode } from '../bytes/diagnostics.js';
import { publicRef } from '../bytes/public-ref.js';

export const REGION_CODES = {
  'regions.intel.iommu-off': { severity: 'error', summary: 'the Intel IOMMU would not come up with this DMAR (no groups, no reserved_regions files)', ref: 'kernel-semantics §3.1, §3.3; intel_iommu_init()' },
  'regions.intel.scope-mismatch': { severity: 'error', summary: 'a device scope type does not match the device it names ("Device scope type does not match"): at boot the Intel IOMMU stays off', ref: 'kernel-semantics §3.3; dmar_insert_dev_scope()' },
  'regions.intel.path-fallback': { severity: 'warning', summary: 'a one-element scope path matched only through the kernel\'s workaround ("RMRR entry for device … is broken - applying workaround")', ref: 'kernel-semantics §3.3; dmar_match_pci_path()' },
  'regions.intel.scope-unmatched': { severity: 'info', summary: 'an RMRR scope entry names no device of the topology', ref: 'dmar_insert_dev_scope()' },
  'regions.intel.namespace-scope': { severity: 'info', summary: 'an ACPI namespace scope in an RMRR is counted but never filled: namespace devices get no RMRR region', ref: 'kernel-semantics §3.3' },
  'regions.intel.no-drhd': { severity: 'warning', summary: 'no DRHD covers the device: it gets no IOMMU and no group', ref: 'device_to_iommu()' },
  'regions.intel.boot-crash': { severity: 'error', summary: 'an RMRR identity-mapped for a device present at boot ends beyond the IOMMU width (but not beyond 2^57): Linux 6.1 fails the domain attach and crashes at boot', ref: 'kernel-semantics §10; prepare_domain_attach_device(), src/dmar/regions/intel-width.ts' },
  'regions.intel.above-width': { severity: 'warning', summary: 'an RMRR reaches beyond the IOMMU width, but no device present at boot receives it, or it ends beyond 2^57 and intel_iommu_map refuses it: not fatal', ref: 'kernel-semantics §10; intel_iommu_map(), src/dmar/regions/intel-width.ts' },
  'regions.arm.rmr-revision': { severity: 'info', summary: 'IORT revision below 5: RMR nodes are ignored entirely', ref: 'kernel-semantics §4.3; iort_find_rmrs()' },
  'regions.arm.rmr-kernel': { severity: 'info', summary: 'the kernel version asked for predates IORT RMR support (v6.0): RMR nodes are ignored', ref: 'kernel-semantics §4.3; src/regions/kernel-versions.ts' },
  'regions.arm.rmr-no-mapping': { severity: 'warning', summary: 'an RMR node has no ID mappings ("Invalid ID mapping, skipping RMR node")', ref: 'iort_node_get_rmr_info()' },
  'regions.arm.rmr-unaligned': { severity: 'warning', summary: 'an RMR descriptor is not 64 KiB aligned: rounded to the kernel page size', ref: 'kernel-semantics §4.3; iort_get_rmrs()' },
  'regions.arm.rmr-zero-length': { severity: 'warning', summary: 'an RMR descriptor has length 0: kept, prints start start−1', ref: 'kernel-semantics §4.3' },
  'regions.arm.rmr-overlap': { severity: 'warning', summary: 'RMR descriptors of one node overlap ("overlaps, continue anyway")', ref: 'iort_rmr_desc_check_overlap()' },
  'regions.arm.node-overflow': { severity: 'warning', summary: 'the RMR scan ran past the table end ("IORT node pointer overflows, bad table!")', ref: 'iort_find_rmrs()' },
  'regions.arm.no-root-complex': { severity: 'warning', summary: 'no IORT root complex node has the device\'s PCI segment: no IOMMU for it', ref: 'iort_match_node_callback()' },
  'regions.arm.unmapped': { severity: 'warning', summary: 'a requester ID (or alias) maps to no SMMU: the device gets no IOMMU', ref: 'iort_pci_iommu_init(); iort_iommu_xlate()' },
  'regions.arm.duplicate-stream': { severity: 'warning', summary: 'a StreamID is already used by another device on the same SMMUv3 ("stream N already in tree"): the later device gets no group', ref: 'kernel-semantics §4.2; arm_smmu_insert_master()' },
  'regions.arm.its-missing': { severity: 'info', summary: 'an ITS identifier of the HiSilicon MSI walk has no MADT GIC ITS entry: no MSI region for it', ref: 'iort_iommu_msi_get_resv_regions()' },
  'regions.group.no-iommu': { severity: 'warning', summary: 'the topology puts a device in a group although the tables give it no IOMMU', ref: 'kernel-semantics §1' },
  'regions.group.no-group': { severity: 'info', summary: 'the tables give a device an IOMMU but the topology has no group for it', ref: 'kernel-semantics §10' },
} as const satisfies CodeTable;

export type RegionCode = keyof typeof REGION_CODES;

// Adds these codes to the registry every Diagnostic's code is typed from (src/bytes/diagnostics.ts).
declare module '../bytes/diagnostics.js' {
  interface DiagnosticCodes extends Record<RegionCode, true> {}
}

/** A finding, placed in the table it concerns; `device` names the PCI function involved. */
export interface RegionFinding extends Diagnostic {
  table?: 'DMAR' | 'IORT' | 'MADT' | 'IVRS';
  device?: string;
}

/** A finding from any region code table (each platform's provider has its own), with its severity and public ref. */
export function findingFrom<C extends DiagnosticCode>(codes: Readonly<Record<C, CodeInfo>>, code: C, message: string, where: { table?: RegionFinding['table']; offset?: number; device?: string } = {}): RegionFinding {
  const info = codes[code];
  // Properties added one by one, in the JSON order code, severity, offset, message, ref, table, device:
  // a spread of a conditional object was a tenth of an IVRS's parse + regions.
  const result: RegionFinding = { code, severity: info.severity, offset: where.offset ?? 0, message };
  const ref = publicRef(info.ref);
  if (ref !== undefined) result.ref = ref;
  if (where.table !== undefined) result.table = where.table;
  if (where.device !== undefined) result.device = where.device;
  return result;
}

export function finding(code: RegionCode, message: string, where: { table?: RegionFinding['table']; offset?: number; device?: string } = {}): RegionFinding {
  return findingFrom(REGION_CODES, code, message, where);
}
