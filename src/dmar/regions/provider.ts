/**
 * The DMAR's region provider (Intel VT-d): `intel_iommu_get_resv_regions` for every device a
 * DRHD covers, every region without a topology, and the IOVA aperture from the host address width.
 */
import { analyzeWith, type RegionAnalysis } from '../../regions/analysis.js';
import { CURRENT_KERNEL, type KernelBehaviour } from '../../regions/kernel-versions.js';
import { assumedAperture, type ApertureHint, type RegionProvider } from '../../regions/provider.js';
import type { PciTopology } from '../../pci/model.js';
import type { DmarTable } from '../index.js';
import { intelDeviceLists } from './intel.js';
import { intelUnscopedRegions } from './unscoped.js';

export interface DmarRegionOptions {
  /** The kernel release's rules (kernel-versions.ts); default current mainline. */
  kernel?: KernelBehaviour | undefined;
}

/** Aperture notes by host address width, built on first use: a provider is made per derivation. */
const APERTURE_NOTES: (string | undefined)[] = [];

function dmarAperture(table: DmarTable): ApertureHint {
  const width = table.usableHostAddressWidth;
  if (width === undefined) return assumedAperture('a usable DMAR host address width');
  // The byte allows 256 bits; an address has 64 (check reports dmar.haw.large).
  const bits = Math.min(width, 64);
  return { bits, note: (APERTURE_NOTES[width] ??= apertureNote(width, bits)) };
}

function apertureNote(width: number, bits: number): string {
  const clamped = width > 64 ? ` (the table says ${width} bits, more than a 64-bit address holds)` : '';
  return `${bits}-bit from the DMAR host address width${clamped}; the kernel uses the IOMMU's AGAW from its capability register, give --aperture if they differ`;
}

export function dmarRegionProvider(table: DmarTable, options: DmarRegionOptions = {}): RegionProvider {
  const kernel = options.kernel ?? CURRENT_KERNEL;
  return {
    platform: 'intel',
    table: 'DMAR',
    kernel,
    aperture: dmarAperture(table),
    deviceRegions: (topology) => intelDeviceLists(table, topology, kernel),
    unscopedRegions: () => intelUnscopedRegions(table, kernel),
  };
}

/** Every device's and every group's list from a DMAR and a PCI topology. */
export function analyzeIntel(table: DmarTable, topology: PciTopology, kernel?: KernelBehaviour): RegionAnalysis {
  return analyzeWith(dmarRegionProvider(table, { kernel }), topology);
}
