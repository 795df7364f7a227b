/**
 * Codes of the strict lint rules (`check --strict`): what a generator (a VMM, EDK2's
 * DynamicTablesPkg) got wrong although the table still parses. Each summary says why it matters.
 */
import type { CodeTable } from '../bytes/diagnostics.js';

export const LINT_CODES = {
  // IORT revisions (docs/spec.md §3.1 cross-walk).
  'lint.iort.node-type-revision': { severity: 'warning', summary: 'a node type the table revision does not define (RMR before E.b = 3, IWB before E.d = 5): readers that trust the table revision (ACPICA, acpiview) do not expect it, and Linux ignores RMR below revision 5', ref: 'docs/spec.md §3.1, §3.12, §3.13' },
  'lint.iort.node-revision-newer': { severity: 'warning', summary: 'node revision newer than its table revision allows (e.g. SMMUv3 rev 5 needs table rev 6 = E.e): the OS decodes node fields by node revision, tools by table revision, so they disagree on the layout', ref: 'docs/spec.md §3.1 (EDK2 IortGenerator cross-walk)' },
  'lint.iort.node-revision-older': { severity: 'info', summary: 'node revision older than the one its table revision implies: Linux ignores the fields that revision lacks (SMMUv3 DeviceID index and proximity domain in rev 0, RC address limit in rev 0, RC PASID in rev < 4) even when the bytes are there', ref: 'docs/spec.md §3.1, §3.8, §3.10' },
  // Flag bits the revision does not define.
  'lint.iort.smmuv3-flags': { severity: 'warning', summary: 'SMMUv3 flag bits the node revision does not define (DeviceID-index-valid bit 4 before node rev 5, bits 31:5): Linux decides the DeviceID index from the GSIVs instead, so the intent is lost', ref: 'docs/spec.md §3.10; iort_get_id_mapping_index()' },
  'lint.iort.rc-flags': { severity: 'warning', summary: 'root-complex bits the revision does not define (ATS PRI / PASID-forwarding before table rev 3, ATS bits 31:3, PASID capabilities or Flags before node rev 4): the OS never sees the PASID/PRI support the firmware meant to declare', ref: 'docs/spec.md §3.8' },
  'lint.iort.rmr-flags': { severity: 'warning', summary: 'RMR flag bits the node revision does not define (access privilege and attributes before node rev 3, bits 31:10): Linux applies them anyway, so the mapping gets attributes the firmware may not intend', ref: 'docs/spec.md §3.12; iort_node_get_rmr_info()' },
  'lint.iort.memory-access-flags': { severity: 'warning', summary: 'memory access flags the table revision does not define (CANWBS bit 2 before E.f in a table of revision ≤ 5, bits 7:3): Linux trusts CANWBS when it allows nested translation', ref: 'docs/spec.md §3.5' },
  // IORT ID spaces and RMR.
  'lint.iort.output-overlap': { severity: 'warning', summary: 'two nodes map overlapping output IDs into the same SMMUv3 or ITS group: two devices share stream IDs (the SMMUv3 driver refuses the second) or MSI device IDs; SMMUv1/v2 targets are left out (arm-smmu shares the stream match entry and groups the devices)', ref: 'docs/spec.md §3.4; arm_smmu_insert_master()' },
  'lint.iort.rmr-zero-range': { severity: 'warning', summary: 'RMR memory range descriptor with base 0 or length 0: almost certainly an unfilled template; Linux still creates a (possibly empty) 1:1 region', ref: 'docs/spec.md §3.12; iort_rmr_desc_check_overlap()' },
  'lint.iort.rmr-ignored': { severity: 'warning', summary: 'the table revision is below 5 (E.d), so Linux ignores every RMR node: the ranges are not identity-mapped and DMA to them faults once the SMMU is on', ref: 'docs/spec.md §3.12; kernel-semantics §4.3; iort_find_rmrs()' },
  // IORT ↔ MADT (the other direction is cross.its.missing).
  'lint.its.unreferenced': { severity: 'info', summary: 'a MADT GIC ITS that no IORT ITS group lists: no device can reach it, so its doorbell is unused (often a stale or miscounted ITS entry)', ref: 'docs/spec.md §3.6, §4.3' },
  'lint.madt.gic-flags-revision': { severity: 'warning', summary: 'GICR or GIC ITS Flags byte set in an MADT of revision < 7: the non-coherent bit is defined from revision 7 only, so the OS treats the unit as coherent', ref: 'docs/spec.md §4.3, §6 (GICR / GIC ITS offset 2)' },
  // DMAR.
  'lint.dmar.scope-flags': { severity: 'warning', summary: 'a device scope outside SIDP has Flags set: those bits are SIDP device properties and reserved elsewhere (usually a generator reusing its SIDP scope builder)', ref: 'docs/spec.md §2.4, §2.10' },
  'lint.dmar.rmrr-uncovered': { severity: 'warning', summary: 'an RMRR device that no DRHD covers (no DRHD for its segment, or no INCLUDE_PCI_ALL unit and no scope reaching it): no IOMMU translates the device, so the RMRR identity map is never set up', ref: 'VT-d §8.3, §8.4; dmar_find_matched_drhd_unit()' },
  'lint.dmar.scope-shared': { severity: 'warning', summary: 'two DRHDs claim the same device (same PCI path, or the same IOAPIC / HPET / ACPI device number): Linux binds it to whichever unit it meets first, the other unit silently loses it', ref: 'VT-d §8.3; dmar_find_matched_drhd_unit()' },
  'lint.dmar.atsr-uncovered': { severity: 'warning', summary: 'an ATSR for a segment no DRHD covers, or naming a root port no DRHD reaches: ATS is never enabled through an IOMMU there', ref: 'VT-d §8.5; dmar_find_matched_atsr_unit()' },
  // IVRS (AMD-Vi).
  'lint.ivrs.no-iommu': { severity: 'error', summary: 'Linux 6.1 would not bring the AMD IOMMU up with this table (e.g. an IVMD carrying the first IVHD\'s device ID makes Linux pick its type as the IVHD type: "Unsupported IVHD type"; or an IVHD naming no device ID)', ref: 'get_highest_supported_ivhd_type(); find_last_devid_acpi()' },
  'lint.ivrs.ivmd-overlap': { severity: 'warning', summary: 'two IVMDs reach a common device with overlapping memory ranges: Linux maps both and merges them per group, so the permissions of one silently extend to the other; usually a duplicated or miscomputed range', ref: 'AMD IOMMU specification §5.2.2.2; init_unity_map_range()' },
  'lint.ivrs.ivmd-uncovered': { severity: 'warning', summary: 'an IVMD (type 0x21 or 0x22) names device IDs no IVHD entry of the type Linux uses gives an IOMMU: no device gets the range, so it is never identity-mapped', ref: 'init_iommu_from_acpi(); amd_iommu_get_resv_regions()' },
  'lint.ivrs.ivmd-dropped': { severity: 'warning', summary: 'an IVMD Linux silently keeps nothing of: neither the unity nor the exclusion flag, a device range that ends before it starts, or a PCI segment no IVHD describes', ref: 'init_memory_definitions(); init_unity_map_range()' },
  'lint.ivrs.ivmd-unaligned': { severity: 'warning', summary: 'an IVMD start or length not on a 4 KiB boundary: Linux rounds the start UP and the length up (PAGE_ALIGN) and maps that window instead: an unaligned start loses its first partial page, an unaligned length grows to whole pages', ref: 'init_unity_map_range()' },
} as const satisfies CodeTable;

export type LintCode = keyof typeof LINT_CODES;

// Adds these codes to the registry every Diagnostic's code is typed from (src/bytes/diagnostics.ts).
declare module '../bytes/diagnostics.js' {
  interface DiagnosticCodes extends Record<LintCode, true> {}
}
