/**
 * A region provider is what an IOMMU driver's `get_resv_regions` is to the kernel: for each
 * device it answers which reserved regions the device has, and why. Each table folder (src/dmar,
 * src/iort with the MADT, src/ivrs) exports one; the core (analysis.ts, like `iommu.c`) groups
 * the devices and merges their lists, and knows no table.
 */
import type { PciTopology } from '../pci/model.js';
import type { DeviceRegions } from './analysis.js';
import type { RegionFinding } from './codes.js';
import type { KernelBehaviour } from './kernel-versions.js';
import type { RegionDescriptor } from './types.js';

/** In the order `analyzeRegions` prefers them when tables of several are given. */
export const PLATFORMS = ['intel', 'arm', 'amd'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** What a provider says about the devices of one topology. */
export interface ProvidedRegions {
  /** Devices that get an IOMMU, in probe order, each with its own list in driver order. */
  devices: DeviceRegions[];
  findings: RegionFinding[];
  /** Inputs that were not in the tables or the topology and were assumed. */
  assumptions: string[];
  /** False when the kernel would not bring the IOMMU up at all: no group exists then. */
  iommuEnabled: boolean;
  /**
   * Grouping beyond the PCI rules, for topologies without real groups: device → the device
   * whose requester ID it uses (AMD IVHD alias entries put both in one group).
   */
  dmaAliases?: ReadonlyMap<string, string>;
}

/** The IOVA aperture the tables imply, and how (for `iova` without `--aperture`). */
export interface ApertureHint {
  bits: number;
  /** Where the width comes from, or that it is assumed and what would settle it. */
  note: string;
}

export interface RegionProvider {
  readonly platform: Platform;
  /** The table the provider reads: the regions' provenance. */
  readonly table: 'DMAR' | 'IORT' | 'IVRS';
  /** The kernel release whose rules the provider applies (the merge follows it too). */
  readonly kernel: KernelBehaviour;
  readonly aperture: ApertureHint;
  /** `get_resv_regions` for every device of the topology, in probe order. */
  deviceRegions(topology: PciTopology): ProvidedRegions;
  /** Without a topology: every region the tables can produce, with the structure that claims it. */
  unscopedRegions(): RegionDescriptor[];
}

/** For providers whose tables do not state the input address width. */
export function assumedAperture(what: string): ApertureHint {
  return { bits: 48, note: `48-bit assumed: ${what} is not in the tables, give --aperture` };
}
