/** PCI topology model (platform-free): addresses, devices, bridges, groups, DMA aliases, JSON form. */
export { parseBdf, formatBdf, formatShortBdf, normaliseBdf, isBdf, devfnOf, requesterId, addressOfRequesterId, formatRequesterId, compareAddresses, type PciAddress } from './bdf.js';
export {
  PCIE_TYPES, PCIE_TYPE_BY_CODE, KNOWN_BRIDGES, bdfOf, headerTypeFromClass, isPciBridgeClass, knownBridge,
  type PciDevice, type PciTopology, type PcieType, type FieldSource, type KnownBridge,
} from './model.js';
export { buildTopology, TopologyIndex, isDownstreamOfBridge } from './topology.js';
export { dmaAliases, type DmaAlias, type DmaAliasResult } from './aliases.js';
export { topologyFromJson, topologyToJson, parentFromSysfsPath, TopologyFormatError } from './json.js';
