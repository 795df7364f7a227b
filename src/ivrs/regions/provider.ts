/**
 * The IVRS's region provider (AMD-Vi): `amd_iommu_get_resv_regions` for every PCI function an
 * IVHD hands to an IOMMU, every region without a topology, and the IVHD alias entries as
 * grouping hints (`setup_aliases` adds them as PCI DMA aliases when on the same bus).
 */
import { analyzeWith, type RegionAnalysis } from '../../regions/analysis.js';
import { CURRENT_KERNEL, type KernelBehaviour } from '../../regions/kernel-versions.js';
import type { ApertureHint, ProvidedRegions, RegionProvider } from '../../regions/provider.js';
import { addressOfRequesterId, formatBdf } from '../../pci/bdf.js';
import type { PciTopology } from '../../pci/model.js';
import type { IvrsTable } from '../table.js';
import { amdDmaAlias } from './aliases.js';
import { amdBootModel } from './boot.js';
import { amdDeviceList } from './device.js';
import { amdUnscopedRegions } from './unscoped.js';

export interface IvrsRegionOptions {
  /** The kernel release's rules (kernel-versions.ts); default current mainline. */
  kernel?: KernelBehaviour | undefined;
}

/** Linux 6.1's AMD v1 page table: `amd_iommu_domain_alloc` sets `aperture_end = ~0ULL`. */
const AMD_APERTURE: ApertureHint = {
  bits: 64,
  note: "64-bit: Linux 6.1's AMD driver (v1 page table) sets aperture_end = ~0ULL; later releases may narrow it to the IOMMU's virtual address size, give --aperture for those",
};

/** Device → the device whose requester ID the IVHD names as its alias (same bus only, as Linux). */
function ivhdAliases(table: IvrsTable, topology: PciTopology, assumptions: string[], kernel: KernelBehaviour): Map<string, string> {
  const model = amdBootModel(table, kernel);
  const aliases = new Map<string, string>();
  for (const device of topology.devices) {
    const alias = amdDmaAlias(model, device);
    if (alias === undefined || !alias.sameBus) continue;
    const target = formatBdf({ segment: device.segment, ...addressOfRequesterId(alias.aliasId) });
    aliases.set(alias.device, target);
    assumptions.push(`groups guessed: ${alias.device} shares the group of ${target}, its IVHD alias (entry @0x${alias.entry.toString(16)})`);
  }
  return aliases;
}

function amdDevices(table: IvrsTable, topology: PciTopology, kernel: KernelBehaviour): ProvidedRegions {
  const { devices, findings, iommuEnabled } = amdDeviceList(table, topology, kernel);
  // The AMD rules were read from Linux 6.1 only: an older release gets the shared rows of kernel-versions.ts, nothing more.
  const assumptions = kernel.version === undefined ? [] : [`AMD-Vi rules are Linux 6.1's; for ${kernel.label} only the changes common to every IOMMU (merge, region types, reserved_regions file, require_direct) and the IVHD alias-range rule are applied`];
  const provided: ProvidedRegions = { devices, findings, assumptions, iommuEnabled };
  // Aliases only shape guessed groups; real groups come from the topology.
  if (topology.groupsGuessed) provided.dmaAliases = ivhdAliases(table, topology, assumptions, kernel);
  return provided;
}

export function ivrsRegionProvider(table: IvrsTable, options: IvrsRegionOptions = {}): RegionProvider {
  const kernel = options.kernel ?? CURRENT_KERNEL;
  return {
    platform: 'amd',
    table: 'IVRS',
    kernel,
    aperture: AMD_APERTURE,
    deviceRegions: (topology) => amdDevices(table, topology, kernel),
    unscopedRegions: () => amdUnscopedRegions(table),
  };
}

/** Every PCI function's and every group's list from an IVRS and a PCI topology. */
export function analyzeAmd(table: IvrsTable, topology: PciTopology, kernel?: KernelBehaviour): RegionAnalysis {
  return analyzeWith(ivrsRegionProvider(table, { kernel }), topology);
}
