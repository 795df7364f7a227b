/** What a fuzz target reports for one input, and helpers the targets share. */
import type { RegionDescriptor } from '../../src/regions/index.js';
import type { Violation } from '../invariants.js';

export interface TargetResult {
  /** Diagnostic codes raised. */
  codes: string[];
  /** Structure / node / entry kinds (and types) the parser returned. */
  kinds: string[];
  violations: Violation[];
}

/** Input IDs tried when translating through a node's mappings: ends of its first ranges. */
export function probeIds(mappings: Iterable<{ inputBase: number; idCount: number }>, limit = 2): number[] {
  const ids: number[] = [];
  for (const mapping of mappings) {
    ids.push(mapping.inputBase, (mapping.inputBase + mapping.idCount) >>> 0);
    if (ids.length >= 2 * limit) break;
  }
  return ids;
}

/** Every region of an analysis: per device, per group, and the parts merged into each group region. */
export function analysisRegions(analysis: { devices: readonly { regions: readonly RegionDescriptor[] }[]; groups: readonly { regions: readonly (RegionDescriptor & { parts?: readonly RegionDescriptor[] })[] }[] } | undefined): RegionDescriptor[] {
  if (analysis === undefined) return [];
  const regions: RegionDescriptor[] = analysis.devices.flatMap((device) => device.regions);
  for (const group of analysis.groups) for (const region of group.regions) regions.push(region, ...(region.parts ?? []));
  return regions;
}
