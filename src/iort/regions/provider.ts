/**
 * The IORT's region provider (Arm SMMU, with the MADT for GIC ITS doorbells): the SMMU drivers'
 * `get_resv_regions` for every PCI function the IORT maps to an SMMU, and every region without
 * a topology. The SMMU input address size is not in the tables: the aperture is assumed.
 */
import { analyzeWith, type RegionAnalysis } from '../../regions/analysis.js';
import { CURRENT_KERNEL } from '../../regions/kernel-versions.js';
import { assumedAperture, type RegionProvider } from '../../regions/provider.js';
import type { MadtTable } from '../../madt/index.js';
import type { PciTopology } from '../../pci/model.js';
import type { IortTable } from '../index.js';
import { armDeviceLists, type ArmOptions } from './arm.js';
import { armUnscopedRegions } from './arm-unscoped.js';

export function iortRegionProvider(table: IortTable, madt: MadtTable | undefined, options: ArmOptions = {}): RegionProvider {
  return {
    platform: 'arm',
    table: 'IORT',
    kernel: options.kernel ?? CURRENT_KERNEL,
    aperture: assumedAperture('the SMMU input address size'),
    deviceRegions: (topology) => armDeviceLists(table, madt, topology, options),
    unscopedRegions: () => armUnscopedRegions(table, madt, options),
  };
}

/** Every PCI function's and every group's list from an IORT (+ MADT) and a PCI topology. */
export function analyzeArm(table: IortTable, madt: MadtTable | undefined, topology: PciTopology, options: ArmOptions = {}): RegionAnalysis {
  return analyzeWith(iortRegionProvider(table, madt, options), topology);
}
