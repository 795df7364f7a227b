/**
 * Which RMRRs beyond the IOMMU's address width stop Linux 6.1 at boot (kernel-semantics §10),
 * derived from the source, not from one observation:
 *
 * 1. `bus_iommu_probe` creates each group's direct mappings *before* attaching the default DMA
 *    domain (`iommu_group_create_direct_mappings`, then `__iommu_group_dma_attach`). The new
 *    domain is DEFAULT_DOMAIN_ADDRESS_WIDTH (57) bits wide, so `intel_iommu_map` accepts every
 *    RMRR chunk whose end `iova + size` ≤ 2^57 and raises `max_addr` to it; a larger end is
 *    refused there ("iommu width (57) is not sufficient"), the RMRR stays unmapped, boot goes on.
 * 2. `prepare_domain_attach_device` then compares `max_addr > 1 << width` (width: the IOMMU's
 *    AGAW capped by MGAW) and fails the attach: the group has no domain and 6.1 dereferences it
 *    (the NULL pointer crash seen under QEMU).
 * The chunk end is the RMRR's end rounded up to a page: `ALIGN(start + length, 4096)`. So the
 * boot fails when that end E satisfies 2^width < E ≤ 2^57, for an RMRR mapped into a DMA
 * domain — one that reaches a device present at boot that an IOMMU covers. An RMRR ending at
 * 2^width − 1, one above 2^57, or one on no present device is not fatal. The IOMMU's width
 * comes from its capability register; the DMAR host address width stands in for it (QEMU sets
 * both alike), and `iommu=pt` (identity default domains, no mapping) would avoid the crash.
 */
import type { PciDevice } from '../../pci/model.js';
import { bdfOf } from '../../pci/model.js';
import { finding, type RegionFinding } from '../../regions/codes.js';
import type { ScopeUnit } from './intel-binding.js';
import { hex } from '../../regions/types.js';

const PAGE = 0x1000n;
/** DEFAULT_DOMAIN_ADDRESS_WIDTH in drivers/iommu/intel/iommu.c (6.1). */
export const DEFAULT_DOMAIN_WIDTH = 57;

/**
 * The exclusive end `intel_iommu_map` sees for an RMRR, or undefined when nothing is mapped.
 * u64 arithmetic as in `iommu_create_device_direct_mappings`: `start + length` is `limit + 1`
 * even when limit < base, and a base in the last page rounds up to 0, so such an RMRR maps [0, end).
 */
export function mappedEnd(base: bigint, limit: bigint): bigint | undefined {
  const start = BigInt.asUintN(64, (base + PAGE - 1n) & ~(PAGE - 1n));
  const end = BigInt.asUintN(64, (limit + 1n + PAGE - 1n) & ~(PAGE - 1n));
  return start < end ? end : undefined;
}

export type WidthVerdict = 'fits' | 'fatal' | 'refused-at-map';

export function widthVerdict(base: bigint, limit: bigint, width: number): WidthVerdict {
  const end = mappedEnd(base, limit);
  if (end === undefined || end <= 1n << BigInt(width)) return 'fits';
  return end <= 1n << BigInt(DEFAULT_DOMAIN_WIDTH) ? 'fatal' : 'refused-at-map';
}

/**
 * Findings for RMRRs beyond `width`: `boot-crash` when 6.1 fails the attach, `above-width`
 * (with the reason it is not fatal) otherwise. `covered` says whether an IOMMU covers a device.
 */
export function rmrrWidthFindings(rmrrs: readonly ScopeUnit[], width: number | undefined, covered: (device: PciDevice) => boolean): RegionFinding[] {
  if (width === undefined) return [];
  const findings: RegionFinding[] = [];
  for (const unit of rmrrs) {
    const verdict = widthVerdict(unit.base!, unit.end!, width);
    if (verdict === 'fits') continue;
    const where = `RMRR @${hex(unit.offset)} [${hex(unit.base!)}–${hex(unit.end!)}]`;
    const reached = unit.recorded.map((recorded) => recorded.device).filter(covered);
    const mapped = mappedEnd(unit.base!, unit.end!)!;
    const end = hex(mapped);
    if (verdict === 'refused-at-map') {
      // The kernel's own line, as the oracle printed it for an RMRR at 2^57.
      findings.push(finding('regions.intel.above-width', `${where} ends beyond 2^${DEFAULT_DOMAIN_WIDTH}: Linux 6.1 logs "DMAR: intel_iommu_map: iommu width (${DEFAULT_DOMAIN_WIDTH}) is not sufficient for the mapped address (${mapped.toString(16)})", leaves it unmapped and boots; the region is still listed`, { table: 'DMAR', offset: unit.offset }));
    } else if (reached.length === 0) {
      findings.push(finding('regions.intel.above-width', `${where} reaches beyond the ${width}-bit width but no device present at boot receives it: nothing maps it, boot goes on`, { table: 'DMAR', offset: unit.offset }));
    } else {
      findings.push(finding('regions.intel.boot-crash', `${where} is identity-mapped for ${reached.map(bdfOf).join(', ')} up to ${end} > 2^${width}: Linux 6.1's prepare_domain_attach_device logs "iommu width (${width}) is not sufficient for the mapped address (${mapped.toString(16)})", the attach fails and boot crashes (unless iommu=pt)`, { table: 'DMAR', offset: unit.offset, device: bdfOf(reached[0]!) }));
    }
  }
  return findings;
}
