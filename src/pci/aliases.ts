/**
 * DMA aliases of a PCI function, in the order `pci_for_each_dma_alias` (drivers/pci/search.c)
 * yields them: the function's own requester ID, then one entry per bridge on the way up that
 * rewrites the requester ID. The Arm IORT walk maps every alias to a StreamID (§4.2).
 */
import { requesterId } from './bdf.js';
import { bdfOf, type PciDevice } from './model.js';
import type { TopologyIndex } from './topology.js';

export interface DmaAlias {
  /** 16-bit requester ID: bus << 8 | devfn. */
  rid: number;
  /** BDF of the function whose ID this is, or of the bridge that aliases it. */
  via: string;
  reason: 'own requester ID' | 'PCIe-to-PCI bridge (secondary bus, devfn 0)' | 'PCI-to-PCIe bridge (its own ID)' | 'conventional PCI bridge (its own ID)' | 'bridge alias quirk (secondary bus, devfn 0)';
}

export interface DmaAliasResult {
  aliases: DmaAlias[];
  /** Bridges whose PCIe type was unknown and assumed to be a PCIe port (no alias). */
  assumptions: string[];
}

const PCIE_PORTS = new Set(['root-port', 'upstream-port', 'downstream-port']);

function isPcie(device: PciDevice): boolean {
  // Unknown type: assume PCIe, the common case for bridges on current hardware.
  return device.pcieType !== 'conventional';
}

export function dmaAliases(index: TopologyIndex, device: PciDevice): DmaAliasResult {
  const aliases: DmaAlias[] = [{ rid: requesterId(device), via: bdfOf(device), reason: 'own requester ID' }];
  const assumptions: string[] = [];
  const chain = index.ancestors(device);
  for (const [position, bridge] of chain.entries()) {
    const secondaryAlias = ((bridge.secondaryBus ?? 0) & 0xff) << 8;
    const via = bdfOf(bridge);
    if (bridge.pcieType === undefined) {
      assumptions.push(`${via}: PCIe type unknown, assumed a PCIe port (adds no DMA alias)`);
      continue;
    }
    if (isPcie(bridge)) {
      if (PCIE_PORTS.has(bridge.pcieType)) continue;
      if (bridge.pcieType === 'pcie-to-pci-bridge') aliases.push({ rid: secondaryAlias, via, reason: 'PCIe-to-PCI bridge (secondary bus, devfn 0)' });
      else if (bridge.pcieType === 'pci-to-pcie-bridge') aliases.push({ rid: requesterId(bridge), via, reason: 'PCI-to-PCIe bridge (its own ID)' });
      continue;
    }
    if (quirkApplies(bridge, chain[position + 1])) aliases.push({ rid: secondaryAlias, via, reason: 'bridge alias quirk (secondary bus, devfn 0)' });
    else aliases.push({ rid: requesterId(bridge), via, reason: 'conventional PCI bridge (its own ID)' });
  }
  return { aliases, assumptions };
}

/**
 * `quirk_use_pcie_bridge_dma_alias`: only for a conventional bridge that is not on a root bus
 * and whose upstream bridge is PCIe but not itself a PCIe-to-PCI bridge.
 */
function quirkApplies(bridge: PciDevice, upstream: PciDevice | undefined): boolean {
  if (bridge.pcieBridgeAliasQuirk !== true || upstream === undefined) return false;
  return isPcie(upstream) && upstream.pcieType !== 'pcie-to-pci-bridge';
}
