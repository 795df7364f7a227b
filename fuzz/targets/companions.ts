/**
 * Fixed tables and topologies a target pairs with the fuzzed table, so cross-table checks and
 * region derivation (ITS doorbells, IOAPIC IDs, device lists) run on every input.
 */
import { encodeTable } from '../../src/encode/index.js';
import { parseDmar } from '../../src/dmar/index.js';
import { parseIort } from '../../src/iort/index.js';
import { parseMadt } from '../../src/madt/index.js';
import { topologyFromJson } from '../../src/pci/index.js';
import { ARM_SERVER_APIC, ARM_SERVER_IORT, ARM_SERVER_PCI, X86_LAPTOP_APIC, X86_LAPTOP_DMAR, X86_LAPTOP_PCI } from '../specimens/samples.js';

/** A HiSilicon Hi161x SMMUv3 makes the Arm derivation look up ITS doorbells in the MADT. */
const HISILICON_IORT = { ...ARM_SERVER_IORT, nodes: ARM_SERVER_IORT.nodes!.map((node) => (node.kind === 'smmu-v3' ? { ...node, model: 1 } : node)) };

export const COMPANIONS = {
  x86Madt: parseMadt(encodeTable(X86_LAPTOP_APIC)),
  armMadt: parseMadt(encodeTable(ARM_SERVER_APIC)),
  x86Dmar: parseDmar(encodeTable(X86_LAPTOP_DMAR)),
  hisiliconIort: parseIort(encodeTable(HISILICON_IORT)),
  x86Topology: topologyFromJson(X86_LAPTOP_PCI),
  armTopology: topologyFromJson(ARM_SERVER_PCI),
};
