/**
 * `explain` on Arm: the IORT nodes that name a device and every ID walk hop by hop
 * (docs/kernel-semantics.md §4.2: `iort_pci_iommu_init` for PCI functions, `iort_nc_iommu_map` for
 * named components), the MSI walk on to the ITS, and the RMR nodes whose mappings reach its
 * StreamIDs (§4.3).
 */
import {
  IORT_MSI_TYPES, IORT_RMR_TABLE_REVISION, findNamedComponent, mapId, translate, type IortHop, type IortTable,
  type IortWalk, type NamedComponentNode,
} from '../iort/index.js';
import type { StreamInfo } from '../iort/regions/arm.js';
import type { KernelBehaviour } from '../regions/kernel-versions.js';
import { canonicalAcpiPath, type IdChain, type NamingStructure } from './explain-model.js';
import { hex } from '../bytes/hex.js';
import { STOP_TEXT } from '../iort/stop-text.js';



function hopText(table: IortTable, hop: IortHop): string {
  const target = table.nodeAt(hop.targetOffset);
  const range = hop.singleMapping ? 'single mapping' : `input ${hex(hop.inputRange[0])}–${hex(hop.inputRange[1])}`;
  const ids = hop.inputId === undefined ? `ID ${hex(hop.outputId)}` : `${hex(hop.inputId)} → ${hex(hop.outputId)}`;
  const offByOne = hop.offByOne === 'superseded' ? ' (an end-of-range match gave way to this one: FW_BUG "applying workaround")' : hop.offByOne === 'kept' ? ' (matched on the last ID of the range: the kernel\'s off-by-one tolerance)' : '';
  return `${hop.nodeKind} @${hex(hop.nodeOffset)} mapping ${hop.mappingIndex} @${hex(hop.mappingOffset)} [${range}]: ${ids} → ${target?.kind ?? 'no node'} @${hex(hop.targetOffset)}${offByOne}`;
}

/** A walk as text: every hop, then where it ended. */
export function chainOf(table: IortTable, walk: IortWalk, start: string, idName: string): IdChain {
  const final = walk.final;
  const result = final !== undefined ? `${idName} ${hex(final.id)} on ${final.nodeKind} @${hex(final.nodeOffset)}` : `stopped: ${STOP_TEXT[walk.stop]}`;
  return { start, steps: walk.hops.map((hop) => hopText(table, hop)), result };
}

/** `iort_iommu_msi_get_resv_regions`-style walk on from the SMMU: where the device's MSIs go. */
export function msiChain(table: IortTable, streams: StreamInfo): IdChain | undefined {
  const sid = streams.streamIds[0];
  if (sid === undefined) return undefined;
  const walk = mapId(table, streams.smmuOffset, sid, IORT_MSI_TYPES);
  const chain = chainOf(table, walk, `MSIs: StreamID ${hex(sid)} from ${streams.smmuKind} @${hex(streams.smmuOffset)}`, 'DeviceID');
  const group = walk.final === undefined ? undefined : table.nodeAt(walk.final.nodeOffset);
  if (group?.kind === 'its-group') chain.result += ` (GIC ITS ${group.itsIdentifiers.join(', ')})`;
  return chain;
}

/** The named component whose path is `path`, padding ACPI name segments (`\_SB.X` = `\_SB_.X`). */
export function findNamedComponentLoose(table: IortTable, path: string): NamedComponentNode | undefined {
  const exact = findNamedComponent(table, path);
  if (exact !== undefined) return exact;
  const wanted = canonicalAcpiPath(path);
  for (const node of table.nodes()) if (node.kind === 'named-component' && canonicalAcpiPath(node.deviceName) === wanted) return node;
  return undefined;
}

export function namedComponentNames(table: IortTable): string[] {
  return [...table.nodes()].flatMap((node) => (node.kind === 'named-component' ? [node.deviceName] : []));
}

/** A named component's StreamIDs as `iort_nc_iommu_map` finds them (index 0, 1, … up to the first failure). */
export function namedComponentStreams(table: IortTable, node: NamedComponentNode): { chains: IdChain[]; streams: StreamInfo | undefined; notes: string[] } {
  const translation = translate(table, { deviceName: node.deviceName });
  const chains = translation.walks.map((walk, index) => chainOf(table, walk, `mapping index ${index} (iort_node_map_platform_id)`, 'StreamID'));
  const notes: string[] = [];
  const first = translation.results.find((result) => result.nodeKind === 'smmu-v3' || result.nodeKind === 'smmu-v1v2');
  if (first === undefined) {
    const ranges = [...node.idMappings()].filter((mapping) => !mapping.singleMapping);
    if (ranges.length > 0) {
      notes.push(`${ranges.length} of its ${node.mappingCount} mapping(s) are ranges: only a driver that passes an input ID would use them; Linux gives a named component no StreamID from them`);
      for (const mapping of ranges.slice(0, 4)) {
        const walk = mapId(table, node.offset, mapping.inputBase);
        notes.push(`  e.g. input ${hex(mapping.inputBase)} (mapping @${hex(mapping.offset)}) → ${chainOf(table, walk, '', 'StreamID').result}`);
      }
    }
    return { chains, streams: undefined, notes };
  }
  const streamIds: number[] = [];
  for (const result of translation.results) {
    if (result.nodeOffset !== first.nodeOffset) {
      notes.push(`a later mapping reaches another node (${result.nodeKind} @${hex(result.nodeOffset)}): the fwspec keeps the first SMMU only`);
      break;
    }
    streamIds.push(result.id);
  }
  const streams: StreamInfo = { smmuOffset: first.nodeOffset, smmuKind: first.nodeKind === 'smmu-v1v2' ? 'smmu-v1v2' : 'smmu-v3', streamIds, notes: [], assumptions: [] };
  return { chains, streams, notes };
}

/** RMR nodes with a mapping onto the device's SMMU, and whether one of its StreamIDs hits (`iort_rmr_has_dev`). */
export function rmrStructures(table: IortTable, streams: StreamInfo, isPci: boolean, preserveBootConfig: boolean, kernel: KernelBehaviour): NamingStructure[] {
  const result: NamingStructure[] = [];
  for (const node of table.nodes()) {
    if (node.kind !== 'rmr') continue;
    const steps: string[] = [];
    let others = 0;
    for (const mapping of node.idMappings()) {
      if (mapping.outputReference !== streams.smmuOffset) continue;
      const last = (mapping.outputBase + mapping.idCount) >>> 0;
      const sid = streams.streamIds.find((id) => id >= mapping.outputBase && id <= last);
      const ids = mapping.idCount === 0 ? `StreamID ${hex(mapping.outputBase)}` : `StreamIDs ${hex(mapping.outputBase)}–${hex(last)}`;
      if (sid === undefined) others++;
      else steps.push(`mapping @${hex(mapping.offset)}: ${ids} on ${streams.smmuKind} @${hex(mapping.outputReference)} holds the device's StreamID ${hex(sid)}`);
    }
    if (steps.length === 0) continue;
    if (others > 0) steps.push(`${others} other mapping(s) on that SMMU name other devices' StreamIDs`);
    const type = node.remappingPermitted ? 'direct-relaxable (flags bit 0: remapping permitted)' : 'direct (flags bit 0 clear: remapping not permitted)';
    const ranges = [...node.memoryRanges()].map((range) => `[${hex(range.baseAddress)}, length ${hex(range.length)}]`).join(', ');
    let how = `its ID mapping reaches a StreamID of the device: descriptors ${ranges} become ${type}`;
    if (table.revision < IORT_RMR_TABLE_REVISION) how += `; but IORT revision ${table.revision} < 5: Linux ignores RMR nodes`;
    else if (!kernel.rmr) how += `; but ${kernel.label} predates RMR support (v6.0)`;
    else if (isPci && !preserveBootConfig) how += '; but the host bridge does not preserve the boot configuration (_DSM #5), so PCI devices do not get it';
    result.push({ table: 'IORT', structure: 'RMR', offset: node.offset, how, steps, certainty: 'certain' });
  }
  return result;
}
