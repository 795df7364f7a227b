/**
 * The DMA-alias facts Linux takes from IVHD alias entries for grouping (`setup_aliases` in
 * drivers/iommu/amd/iommu.c): a function whose `alias_table` entry differs from its own ID gets
 * that alias added with `pci_add_dma_alias` — only when the alias is on the same bus; the PCI
 * core's own alias rules (bridges, quirks) apply on top.
 */
import { bdfOf } from '../../pci/model.js';
import { requesterId, type PciAddress } from '../../pci/bdf.js';
import { ivhdAliasOf, type AmdBootModel } from './boot.js';

export interface AmdDmaAlias {
  device: string;
  /** Requester ID the IVHD names as the device's alias. */
  aliasId: number;
  /** False when the alias is on another bus: Linux ignores it for grouping. */
  sameBus: boolean;
  /** Offset of the IVHD entry that set it. */
  entry: number;
}

export function amdDmaAlias(model: AmdBootModel, device: PciAddress): AmdDmaAlias | undefined {
  const alias = ivhdAliasOf(model.segments.get(device.segment), requesterId(device));
  if (alias === undefined) return undefined;
  return { device: bdfOf(device), aliasId: alias.alias, sameBus: alias.alias >> 8 === device.bus, entry: alias.entry };
}
