/**
 * From a firmware range structure to the devices it reaches: an RMRR (DMAR), an RMR node (IORT) or an IVMD (IVRS)
 * reaches exactly the devices whose reserved-region list the kernel fills from it, so the answer
 * is read from an analysis (which binds scopes and StreamIDs as the kernel does, aliases and
 * bridges included) rather than recomputed from the scope paths alone.
 */
import type { RmrrStructure } from './dmar/index.js';
import type { RmrNode } from './iort/index.js';
import type { IvmdBlock } from './ivrs/index.js';
import type { RegionAnalysis } from './regions/analysis.js';
import type { RegionSource } from './regions/types.js';

/** BDFs (or named-component paths) whose list holds a region from the structure at `offset` of `table`, in probe order. */
export function devicesReachedBy(analysis: RegionAnalysis, table: RegionSource['table'], offset: number): string[] {
  return analysis.devices
    .filter((entry) => entry.regions.some((region) => region.source.table === table && region.source.offset === offset))
    .map((entry) => entry.device);
}

/** The devices an RMRR reaches, given `analyzeRegions` of the same DMAR on a topology. */
export function rmrrDevices(analysis: RegionAnalysis, rmrr: RmrrStructure): string[] {
  return devicesReachedBy(analysis, 'DMAR', rmrr.offset);
}

/** The devices an IORT RMR node reaches, given `analyzeRegions` of the same IORT on a topology. */
export function rmrDevices(analysis: RegionAnalysis, rmr: RmrNode): string[] {
  return devicesReachedBy(analysis, 'IORT', rmr.offset);
}

/** The devices an IVRS IVMD block reaches, given `analyzeRegions` of the same IVRS on a topology. */
export function ivmdDevices(analysis: RegionAnalysis, ivmd: IvmdBlock): string[] {
  return devicesReachedBy(analysis, 'IVRS', ivmd.offset);
}
