/**
 * Without a topology: every unity map Linux keeps (with the device-ID range it reaches in its
 * source detail), then the MSI window and the HyperTransport range every device gets.
 */
import type { RegionDescriptor } from '../../regions/types.js';
import type { IvrsTable } from '../table.js';
import { amdBootModel } from './boot.js';
import { amdFixedRegions, unityRegion } from './device.js';

export function amdUnscopedRegions(table: IvrsTable): RegionDescriptor[] {
  const model = amdBootModel(table);
  if (!model.enabled) return [];
  const regions: RegionDescriptor[] = [];
  for (const segment of model.segments.values()) for (const map of segment.unityMaps) regions.push(unityRegion(map));
  for (const region of amdFixedRegions()) regions.push(region);
  return regions;
}
