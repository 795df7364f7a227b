/**
 * The platform-free PCI topology model. Offline we cannot see the bus, so a topology is what
 * a sysfs tree (src/node/pci-sysfs.ts) or a JSON file (src/pci/json.ts) says about each
 * function: address, class, IDs, the upstream bridge, and IOMMU group membership.
 */
import { formatBdf, type PciAddress } from './bdf.js';

/**
 * PCIe device/port type (PCIe capability register bits 7:4), or `conventional` for a
 * function without a PCIe capability. Only bridges matter here: they decide DMA aliases
 * (`pci_for_each_dma_alias`, docs/kernel-semantics.md §4.2).
 */
export type PcieType =
  | 'endpoint'
  | 'legacy-endpoint'
  | 'root-port'
  | 'upstream-port'
  | 'downstream-port'
  | 'pcie-to-pci-bridge'
  | 'pci-to-pcie-bridge'
  | 'rc-integrated-endpoint'
  | 'rc-event-collector'
  | 'conventional';

export const PCIE_TYPES: readonly PcieType[] = [
  'endpoint', 'legacy-endpoint', 'root-port', 'upstream-port', 'downstream-port', 'pcie-to-pci-bridge',
  'pci-to-pcie-bridge', 'rc-integrated-endpoint', 'rc-event-collector', 'conventional',
];

/** PCIe capability "Device/Port Type" values → names. */
export const PCIE_TYPE_BY_CODE: Readonly<Record<number, PcieType>> = {
  0x0: 'endpoint', 0x1: 'legacy-endpoint', 0x4: 'root-port', 0x5: 'upstream-port', 0x6: 'downstream-port',
  0x7: 'pcie-to-pci-bridge', 0x8: 'pci-to-pcie-bridge', 0x9: 'rc-integrated-endpoint', 0xa: 'rc-event-collector',
};

/** Where a derived field came from, so output can say what was assumed. */
export type FieldSource = 'input' | 'config-space' | 'known-id' | 'derived' | 'assumed';

export interface PciDevice extends PciAddress {
  /** 24-bit class code (base:sub:prog-if), e.g. 0x0c0330 for an xHCI controller. */
  classCode: number;
  vendor: number;
  deviceId: number;
  /** True when the source gave no class code (lspci -t): `classCode` is then 0 and says nothing. */
  classUnknown?: boolean;
  /** BDF of the upstream bridge; absent for a function on a root bus. */
  parent?: string;
  /** Bus numbers behind a bridge: secondary = its child bus, subordinate = highest bus below. */
  secondaryBus?: number;
  subordinateBus?: number;
  /** Config-space header type (0 normal, 1 PCI-to-PCI bridge, 2 CardBus). */
  headerType?: number;
  /** True when `headerType` was derived from the class code (docs/kernel-semantics.md §3.3). */
  headerTypeDerived?: boolean;
  /** An SR-IOV virtual function (the DMAR scope binding ignores them). */
  isVirtFn?: boolean;
  pcieType?: PcieType;
  pcieTypeSource?: FieldSource;
  /**
   * Conventional bridge flagged `PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS` by a kernel quirk (known
   * PCIe-to-PCI bridges without a PCIe capability): aliases as `secondary << 8`.
   */
  pcieBridgeAliasQuirk?: boolean;
  /** Kernel IOMMU group number, when known. */
  iommuGroup?: number;
  /** Directory below `devices/` in a sysfs tree, when read from one. */
  sysfsPath?: string;
}

export interface PciTopology {
  /** Every function, in probe order (ascending segment, bus, device, function). */
  devices: PciDevice[];
  /** Group number → member BDFs in probe order; absent when groups are unknown. */
  groups?: Map<number, string[]>;
  /** True when `groups` was not given and each device was put in a group of its own. */
  groupsGuessed: boolean;
  /** What the reader had to assume or could not read. */
  notes: string[];
}

export function bdfOf(device: PciAddress): string {
  return formatBdf(device);
}

/**
 * Header type from the class code when config space is not available (docs/kernel-semantics.md §3.3):
 * 0x0604 PCI-to-PCI and 0x0609 semi-transparent bridges → 1, 0x0607 CardBus → 2, else 0.
 */
export function headerTypeFromClass(classCode: number): number {
  if (isPciBridgeClass(classCode)) return 1;
  return classCode >>> 8 === 0x0607 ? 2 : 0;
}

export interface KnownBridge {
  vendor: number;
  deviceId: number;
  pcieType: PcieType;
  /** The kernel's `quirk_use_pcie_bridge_dma_alias` lists this ID. */
  aliasQuirk?: boolean;
  name: string;
}

/**
 * Bridges whose PCIe type (or alias quirk) is known from their IDs, so a class/vendor/device
 * tree without config space still gives the right DMA aliases. The quirk IDs are the
 * `quirk_use_pcie_bridge_dma_alias` list in drivers/pci/quirks.c.
 */
export const KNOWN_BRIDGES: readonly KnownBridge[] = [
  { vendor: 0x1b36, deviceId: 0x000e, pcieType: 'pcie-to-pci-bridge', name: 'QEMU pcie-pci-bridge' },
  { vendor: 0x1b36, deviceId: 0x000c, pcieType: 'root-port', name: 'QEMU pcie-root-port' },
  { vendor: 0x1b36, deviceId: 0x0001, pcieType: 'conventional', name: 'QEMU pci-bridge (no PCIe capability)' },
  { vendor: 0x1b21, deviceId: 0x1080, pcieType: 'conventional', aliasQuirk: true, name: 'ASMedia ASM1083/1085 PCIe-to-PCI bridge' },
  { vendor: 0x10e3, deviceId: 0x8113, pcieType: 'conventional', aliasQuirk: true, name: 'Tundra Tsi381 PCIe-to-PCI bridge' },
  { vendor: 0x1283, deviceId: 0x8892, pcieType: 'conventional', aliasQuirk: true, name: 'ITE IT8892 PCIe-to-PCI bridge' },
  { vendor: 0x1283, deviceId: 0x8893, pcieType: 'conventional', aliasQuirk: true, name: 'ITE IT8893 PCIe-to-PCI bridge' },
  { vendor: 0x8086, deviceId: 0x244e, pcieType: 'conventional', aliasQuirk: true, name: 'Intel 82801 PCI bridge' },
];

export function knownBridge(vendor: number, deviceId: number): KnownBridge | undefined {
  return KNOWN_BRIDGES.find((entry) => entry.vendor === vendor && entry.deviceId === deviceId);
}

/** Base class 0x06 subclass 0x04/0x09: a function with a secondary bus. */
export function isPciBridgeClass(classCode: number): boolean {
  const subclass = classCode >>> 8;
  return subclass === 0x0604 || subclass === 0x0609;
}
