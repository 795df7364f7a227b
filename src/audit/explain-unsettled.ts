/**
 * `explain` without a PCI topology on Intel: what the tables alone cannot settle. A verdict
 * printed as "allowed" while an RMRR bridge scope may cover the device would be a false green
 * (issue 13), so each open question is named, with what would answer it.
 */
import type { DmarTable } from '../dmar/index.js';
import { bdfOf, type PciDevice, type PciTopology } from '../pci/model.js';
import type { RegionDescriptor } from '../regions/types.js';
import { hex } from '../bytes/hex.js';
import type { NamingStructure, Unsettled } from './explain-model.js';

/** What to give, and how to get it; printed under an unknown verdict. */
export const TOPOLOGY_MISSING =
  'a PCI topology (--pci): on the machine itself --pci /sys or an acpi-iommu collect archive; elsewhere its boot log (dmesg), lspci -vmm -nn output, or a JSON file of its devices and IOMMU groups (formats in the README)';

const offsets = (values: Iterable<number>) => [...new Set(values)].map((offset) => `@${hex(offset)}`).join(', ');

/**
 * Open questions for `device` (taken alone on its bus, class maybe unknown):
 * RMRRs that may reach it through a bridge or a longer path; its own RMRRs whose type its class
 * decides (`ownRmrrRegions`, empty when the class is known); RMRRs naming another function of
 * the same slot, which may share its group. Undefined when there is none.
 */
export function unsettledWithoutTopology(table: DmarTable, device: PciDevice, structures: readonly NamingStructure[], ownRmrrRegions: readonly RegionDescriptor[]): Unsettled | undefined {
  const reasons: string[] = [];
  const pending = structures.filter((item) => item.certainty === 'needs-topology' && item.structure.startsWith('RMRR'));
  if (pending.length > 0) reasons.push(`RMRR ${offsets(pending.map((item) => item.offset))} may cover the device through a bridge or a multi-hop scope path`);
  const own = ownRmrrRegions.filter((region) => region.source.structure === 'RMRR');
  if (own.length > 0) reasons.push(`its class decides whether RMRR ${offsets(own.map((region) => region.source.offset ?? 0))} is relaxable (USB 0x0c03xx and display 0x03xxxx are)`);
  const mates = slotMateRmrrs(table, device);
  if (mates.length > 0) reasons.push(`RMRR ${offsets(mates)} ${new Set(mates).size > 1 ? 'name' : 'names'} another function of slot ${hex(device.bus, 2)}:${device.device.toString(16).padStart(2, '0')}, which may share its IOMMU group`);
  return reasons.length === 0 ? undefined : { reasons, classDecides: own.length > 0, missing: TOPOLOGY_MISSING };
}

/** RMRRs whose one-element scope names another function of the device's slot on its bus. */
function slotMateRmrrs(table: DmarTable, device: PciDevice): number[] {
  const result: number[] = [];
  for (const rmrr of table.structuresOfKind('rmrr')) {
    if (rmrr.segmentNumber !== device.segment) continue;
    for (const scope of rmrr.deviceScopes()) {
      const hop = scope.path[0];
      if (scope.path.length !== 1 || hop === undefined || scope.startBusNumber !== device.bus) continue;
      if ((scope.kind === 'endpoint' || scope.kind === 'bridge') && hop.device === device.device && hop.function !== device.function) result.push(rmrr.offset);
    }
  }
  return result;
}

/**
 * With a topology that does not say which bridge the device sits behind (lspci -vmm has no bus
 * ranges): scope paths and bridge scopes through that bridge cannot be followed, so the
 * verdict is open. Undefined when the device is placed (or on a root bus).
 */
export function unplacedInTopology(topology: PciTopology, device: PciDevice): Unsettled | undefined {
  const bdf = bdfOf(device);
  if (device.parent !== undefined || !topology.notes.some((note) => note.startsWith(`${bdf}: upstream bridge unknown`))) return undefined;
  return {
    reasons: [`the topology does not say which bridge ${bdf} sits behind, so RMRR paths and bridge scopes through it cannot be followed`],
    classDecides: false,
    missing: `a topology with bridge bus ranges: --pci /sys on the machine, the boot log's "pci … PCI bridge to [bus …]" lines, or JSON with "parent" or "secondaryBus"`,
  };
}
