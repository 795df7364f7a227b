/**
 * Arm regions without a PCI topology: the SW MSI window, every RMR descriptor with the
 * StreamIDs its mappings name (and the SMMU), and for HiSilicon SMMUv3s the ITS doorbells of
 * every ITS group they map to.
 */
import type { IortTable } from '../index.js';
import { IORT_NODE_SMMU_V3 } from '../layout.js';
import type { MadtTable } from '../../madt/index.js';
import { SMMU_V3_MODEL_HISILICON_HI161X, SW_MSI_WINDOW, hisiliconMsiRegions, resolveOptions, type ArmOptions } from './arm.js';
import { rmrDescriptorRange, rmrHasMappings, rmrLastStreamId, rmrNodes, rmrProt, rmrsApply } from './arm-rmr.js';
import { hex, PROT, type RegionDescriptor } from '../../regions/types.js';

export function armUnscopedRegions(table: IortTable, madt: MadtTable | undefined, options: ArmOptions = {}): RegionDescriptor[] {
  const { pageSize } = resolveOptions(options);
  const regions: RegionDescriptor[] = [
    {
      start: SW_MSI_WINDOW.start,
      end: SW_MSI_WINDOW.end,
      type: 'sw-msi',
      prot: PROT.write | PROT.noexec | PROT.mmio,
      source: { table: 'kernel', structure: 'SW MSI window', detail: 'every device behind an SMMU' },
      reason: 'software-managed MSI window of the SMMU driver',
    },
  ];
  for (const node of table.nodesOfType(IORT_NODE_SMMU_V3)) {
    if (node.kind !== 'smmu-v3' || node.model !== SMMU_V3_MODEL_HISILICON_HI161X) continue;
    const streamIds = [...node.idMappings()].filter((mapping) => mapping.index !== node.effectiveDeviceIdMappingIndex).map((mapping) => mapping.inputBase);
    const seen = new Set<bigint>();
    for (const region of hisiliconMsiRegions(table, madt, { smmuOffset: node.offset, smmuKind: 'smmu-v3', streamIds, notes: [], assumptions: [] }, undefined, [])) {
      if (seen.has(region.start)) continue;
      seen.add(region.start);
      regions.push({ ...region, source: { ...region.source, detail: `${region.source.detail}; devices behind SMMUv3 @${hex(node.offset)}` } });
    }
  }
  if (!rmrsApply(table, options.kernel)) return regions;
  for (const node of rmrNodes(table)) {
    if (!rmrHasMappings(node)) continue;
    const claims = [...node.idMappings()].map((mapping) => {
      const target = table.nodeAt(mapping.outputReference);
      return `StreamIDs ${hex(mapping.outputBase)}–${hex(rmrLastStreamId(mapping))} on ${target?.kind ?? 'no node'} @${hex(mapping.outputReference)}`;
    });
    for (const range of node.memoryRanges()) {
      const used = rmrDescriptorRange(range, pageSize);
      regions.push({
        start: used.start,
        end: used.end,
        type: node.remappingPermitted ? 'direct-relaxable' : 'direct',
        prot: rmrProt(node),
        source: { table: 'IORT', offset: node.offset, structure: 'RMR', detail: `descriptor @${hex(range.offset)}; ${claims.join(', ')}` },
        reason: `${node.remappingPermitted ? 'remapping permitted: relaxable' : 'remapping not permitted'}; PCI devices only with preserve_config`,
      });
    }
  }
  return regions;
}
