/**
 * `explain` on AMD: which IVRS blocks name a PCI function, as Linux 6.1 reads them at boot
 * (kernel-semantics §6): the IVHD entry that hands its requester ID to an IOMMU (`check_device`;
 * a later entry overrides an earlier one), the IVHD alias entry (`alias_table`, used for
 * grouping when on the same bus), and every IVMD whose device-ID range holds the ID.
 */
import { hex } from '../bytes/hex.js';
import { amdBootModel, coveringEntry, ivhdAliasOf, unityRegion, type IvrsTable } from '../ivrs/index.js';
import { formatRequesterId, requesterId, type PciAddress } from '../pci/bdf.js';
import type { KernelBehaviour } from '../regions/kernel-versions.js';
import type { NamingStructure } from './explain-model.js';

/** `bb:dd.f (0xIIII)` of a requester ID. */
function idText(id: number): string {
  return `${formatRequesterId(id)} (${hex(id, 4)})`;
}

function idsText(first: number, last: number): string {
  return first === last ? `device ID ${idText(first)}` : `device IDs ${idText(first)}–${idText(last)}`;
}

/** Under the asked kernel: which ID an alias range hands to the IOMMU differs by release (alias-target.ts). */
export function amdStructures(table: IvrsTable, device: PciAddress, kernel?: KernelBehaviour): NamingStructure[] {
  const model = amdBootModel(table, kernel);
  if (!model.enabled) return [];
  const segment = model.segments.get(device.segment);
  const id = requesterId(device);
  const structures: NamingStructure[] = [];
  const covering = coveringEntry(segment, id);
  const named = (structure: string, offset: number, how: string): NamingStructure => ({ table: 'IVRS', structure, offset, how, steps: [], certainty: 'certain' });
  if (covering !== undefined) {
    structures.push(named(`IVHD ${hex(model.ivhdType ?? 0)}`, covering.ivhd, `its entry @${hex(covering.entry)} hands ${idsText(covering.first, covering.last)} to this IOMMU, so the device's requester ID ${idText(id)} is translated by it`));
  } else if (segment?.iommuIds.includes(id) === true) {
    structures.push(named(`IVHD ${hex(model.ivhdType ?? 0)}`, [...table.ivhds()].find((ivhd) => ivhd.type === model.ivhdType && ivhd.deviceId === id && ivhd.pciSegmentGroup === device.segment)?.offset ?? 0, `its device ID ${idText(id)} is the IOMMU itself, which never translates its own DMA`));
  }
  const alias = ivhdAliasOf(segment, id);
  if (alias !== undefined) {
    const sameBus = alias.alias >> 8 === device.bus;
    structures.push(named('IVHD alias entry', alias.entry, `DMA from ${idsText(alias.first, alias.last)} arrives as ${idText(alias.alias)}; ${sameBus ? 'Linux adds it as a PCI DMA alias, so the device shares a group with that ID' : 'the alias is on another bus, so Linux does not use it for grouping'}`));
  }
  for (const map of segment?.unityMaps ?? []) {
    if (id < map.first || id > map.last) continue;
    const use = map.ivmd.exclusionRange ? 'an exclusion range, which Linux 6.1 maps 1:1 read/write' : 'a unity map';
    const effect = covering === undefined ? '; no effect here: the device has no IOMMU' : ': a direct region of the device';
    structures.push(named(unityRegion(map).source.structure, map.ivmd.offset, `it covers ${idsText(map.first, map.last)}, the device's among them: [${hex(map.start)}-${hex(map.end)}] is ${use}${effect}`));
  }
  return structures;
}
