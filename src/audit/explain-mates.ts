/**
 * `explain` without a PCI topology on AMD and Arm: the device's own regions follow its own
 * requester ID, which the tables settle, but VFIO assigns whole groups and Arm also matches RMRs
 * on DMA aliases (docs/kernel-semantics.md §4.2, §4.3, §6). A direct region on a device that may
 * share the group (or be the alias) is an open question, not an "allowed".
 */
import { hex } from '../bytes/hex.js';
import { findRootComplex, IORT_IOMMU_TYPES, mapId, type IortTable } from '../iort/index.js';
import { rmrHasMappings, rmrLastStreamId, rmrNodes, rmrsApply } from '../iort/regions/arm-rmr.js';
import { amdBootModel, coveringEntry, ivhdAliasOf, type IvrsTable } from '../ivrs/index.js';
import { formatRequesterId, formatSlot, requesterId, type PciAddress } from '../pci/bdf.js';
import type { Unsettled } from './explain-model.js';
import { TOPOLOGY_MISSING } from './explain-unsettled.js';

/** Requester IDs `[first, last]` that may share the device's group, and why. */
interface Mates {
  first: number;
  last: number;
  why: string;
}

/**
 * Who may share a group with the device when nothing is known of the bus: the other functions of
 * its slot (a multi-function device without ACS is one group); on a bus other than 0 the device
 * sits below a bridge, and a PCIe-to-PCI bridge puts its whole bus in one group and aliases it as
 * `bus:00.0` (`pci_for_each_dma_alias`).
 */
function possibleMates(device: PciAddress): Mates[] {
  const slot = (device.bus << 8) | (device.device << 3);
  const mates: Mates[] = [{ first: slot, last: slot | 7, why: `another function of slot ${formatSlot(device)}` }];
  if (device.bus !== 0) mates.push({ first: device.bus << 8, last: (device.bus << 8) | 0xff, why: `a device on bus ${hex(device.bus, 2)}, which a PCIe-to-PCI bridge above both would put in its group` });
  return mates;
}

/** The first ID of `[first, last]` inside a mate range (the caller skips ranges that hold the device's own ID). */
function firstShared(first: number, last: number, mates: readonly Mates[]): { id: number; why: string } | undefined {
  for (const range of mates) {
    const low = Math.max(first, range.first);
    if (low <= Math.min(last, range.last)) return { id: low, why: range.why };
  }
  return undefined;
}

const unsettled = (reasons: string[]): Unsettled | undefined => (reasons.length === 0 ? undefined : { reasons, classDecides: false, missing: TOPOLOGY_MISSING });

/** AMD: IVMDs (always direct) whose device-ID range reaches a possible group mate or IVHD alias of the device. */
export function unsettledAmdWithoutTopology(table: IvrsTable, device: PciAddress): Unsettled | undefined {
  const model = amdBootModel(table);
  const segment = model.segments.get(device.segment);
  const id = requesterId(device);
  if (!model.enabled || coveringEntry(segment, id) === undefined) return undefined;
  const mates = possibleMates(device);
  const alias = ivhdAliasOf(segment, id);
  // An IVHD alias on the same bus groups the whole aliased range with the alias ID (§6).
  if (alias !== undefined && alias.alias >> 8 === device.bus) {
    mates.push({ first: alias.first, last: alias.last, why: `an ID the IVHD alias entry @${hex(alias.entry)} groups with the device` });
    mates.push({ first: alias.alias, last: alias.alias, why: `the alias ID of the IVHD alias entry @${hex(alias.entry)}` });
  }
  const reasons: string[] = [];
  for (const map of segment!.unityMaps) {
    if (map.first <= id && id <= map.last) continue; // its own: the verdict has it already
    const shared = firstShared(map.first, map.last, mates);
    if (shared !== undefined) reasons.push(`IVMD @${hex(map.ivmd.offset)} gives a direct region to ${formatRequesterId(shared.id)} (${shared.why}), if that device exists`);
  }
  return unsettled(reasons);
}

/**
 * Arm: RMRs without "remapping permitted" whose StreamIDs on the device's SMMU are those of a
 * possible group mate or DMA alias. RMRs reach PCI devices only with preserve_config (§4.3).
 */
export function unsettledArmWithoutTopology(table: IortTable, device: PciAddress, preserveBootConfig: boolean): Unsettled | undefined {
  const rc = findRootComplex(table, device.segment);
  if (rc === undefined || !preserveBootConfig || !rmrsApply(table, undefined)) return undefined;
  const own = requesterId(device);
  const smmu = mapId(table, rc.offset, own, IORT_IOMMU_TYPES).final?.nodeOffset;
  if (smmu === undefined) return undefined;
  const streams = new Map<number, { id: number; why: string }>();
  for (const range of possibleMates(device)) {
    for (let id = range.first; id <= range.last; id++) {
      const final = id === own ? undefined : mapId(table, rc.offset, id, IORT_IOMMU_TYPES).final;
      if (final !== undefined && final.nodeOffset === smmu && !streams.has(final.id)) streams.set(final.id, { id, why: range.why });
    }
  }
  const reasons: string[] = [];
  for (const node of rmrNodes(table)) {
    if (!rmrHasMappings(node) || node.remappingPermitted) continue;
    const hit = [...node.idMappings()]
      .filter((mapping) => mapping.outputReference === smmu)
      .flatMap((mapping) => [...streams].filter(([sid]) => sid >= mapping.outputBase && sid <= rmrLastStreamId(mapping)))[0];
    if (hit !== undefined) reasons.push(`RMR @${hex(node.offset)} gives a direct region to StreamID ${hex(hit[0])} of requester ID ${formatRequesterId(hit[1].id)} (${hit[1].why}, or a DMA alias of the device), if that device exists`);
  }
  return unsettled(reasons);
}
