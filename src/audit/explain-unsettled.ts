/**
 * `explain` without a PCI topology on Intel: what the tables alone cannot settle. A verdict
 * printed as "allowed" while an RMRR bridge scope may cover the device would be a false green
 * (issue 13), so each open question is named, with what would answer it.
 */
import type { DmarTable } from '../dmar/index.js';
import { formatSlot } from '../pci/bdf.js';
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
  const own = classDecides(ownRmrrRegions);
  if (own !== undefined) reasons.push(own);
  const mates = slotMateRmrrs(table, device);
  if (mates.length > 0) reasons.push(`RMRR ${offsets(mates)} ${new Set(mates).size > 1 ? 'name' : 'names'} another function of slot ${formatSlot(device)}, which may share its IOMMU group`);
  return reasons.length === 0 ? undefined : { reasons, classDecides: own !== undefined, missing: TOPOLOGY_MISSING };
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

/** The reason an unknown class leaves open, when the device has RMRRs of its own (`ownRmrrRegions`). */
function classDecides(ownRmrrRegions: readonly RegionDescriptor[]): string | undefined {
  const own = ownRmrrRegions.filter((region) => region.source.structure === 'RMRR');
  return own.length === 0 ? undefined : `its class decides whether RMRR ${offsets(own.map((region) => region.source.offset ?? 0))} is relaxable (USB 0x0c03xx and display 0x03xxxx are)`;
}

/**
 * With a topology that leaves a question open: it does not say which bridge the device sits
 * behind (lspci -vmm has no bus ranges), so scope paths and bridge scopes through that bridge
 * cannot be followed; or it gives no class (lspci -t) while the device has RMRRs of its own
 * (`ownRmrrRegions`, empty when the class is known). Undefined when nothing is open.
 */
export function unsettledInTopology(topology: PciTopology, device: PciDevice, ownRmrrRegions: readonly RegionDescriptor[]): Unsettled | undefined {
  const bdf = bdfOf(device);
  const unplaced = device.parent === undefined && topology.notes.some((note) => note.startsWith(`${bdf}: upstream bridge unknown`));
  const klass = classDecides(ownRmrrRegions);
  if (!unplaced && klass === undefined) return undefined;
  const missing = unplaced
    ? `a topology with bridge bus ranges: --pci /sys on the machine, the boot log's "pci … PCI bridge to [bus …]" lines, or JSON with "parent" or "secondaryBus"`
    : `the device's class: --pci /sys on the machine, the boot log's "pci … class 0x…" lines, lspci -vmm -nn output, or JSON with "class"`;
  return {
    reasons: [...(unplaced ? [`the topology does not say which bridge ${bdf} sits behind, so RMRR paths and bridge scopes through it cannot be followed`] : []), ...(klass === undefined ? [] : [klass])],
    classDecides: klass !== undefined,
    missing,
  };
}
