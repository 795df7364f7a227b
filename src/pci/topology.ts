/** Completing and querying a PCI topology: derived fields, ancestry, bus ranges, groups. */
import { compareAddresses } from './bdf.js';
import { inferBusRanges } from './bus-ranges.js';
import { bdfOf, headerTypeFromClass, isPciBridgeClass, knownBridge, type PciDevice, type PciTopology } from './model.js';

/**
 * Builds a topology from devices as read: sorts them in probe order, derives header types
 * from class codes, PCIe types from known bridge IDs, parents from bridge bus ranges, bridge
 * bus ranges from the devices below them, and groups (given, from each device's
 * `iommuGroup`, or guessed one device per group).
 */
export function buildTopology(input: readonly PciDevice[], groups?: Map<number, string[]>, notes: string[] = []): PciTopology {
  const seen = new Set<string>();
  const devices: PciDevice[] = [];
  for (const device of [...input].sort(compareAddresses)) {
    const bdf = bdfOf(device);
    if (seen.has(bdf)) {
      notes.push(`${bdf} listed twice; the first entry is used`);
      continue;
    }
    seen.add(bdf);
    devices.push(completeDevice(device));
  }
  inferParents(devices, notes);
  inferBusRanges(devices);
  const topology: PciTopology = { devices, groupsGuessed: false, notes };
  const resolved = groups ?? groupsFromDevices(devices);
  if (resolved !== undefined) {
    topology.groups = sortGroups(resolved);
  } else {
    topology.groups = new Map(devices.map((device, index) => [index, [bdfOf(device)]]));
    topology.groupsGuessed = true;
    notes.push('IOMMU groups not given: each device is assumed to be alone in its group (real groups depend on ACS and bridges)');
  }
  return topology;
}

function completeDevice(device: PciDevice): PciDevice {
  const result: PciDevice = { ...device };
  if (result.headerType === undefined) {
    result.headerType = headerTypeFromClass(result.classCode);
    result.headerTypeDerived = true;
  }
  if (result.pcieType === undefined) {
    const known = knownBridge(result.vendor, result.deviceId);
    if (known !== undefined) {
      result.pcieType = known.pcieType;
      result.pcieTypeSource = 'known-id';
      if (known.aliasQuirk === true) result.pcieBridgeAliasQuirk = true;
    }
  }
  return result;
}

/**
 * A device on a non-root bus without a parent gets the first bridge (in probe order) whose
 * secondary bus it sits on. Bridges are indexed by segment and secondary bus first, so 40,000
 * devices take one pass, not one scan each.
 */
export function inferParents(devices: PciDevice[], notes: string[]): void {
  // The first two bridges per (segment, secondary bus): a device is never its own parent.
  const bySecondaryBus = new Map<string, PciDevice[]>();
  // Per segment, the lowest bus holding a bridge-class device.
  const lowestBridgeBus = new Map<number, number>();
  for (const device of devices) {
    if (device.secondaryBus !== undefined) {
      const key = `${device.segment}:${device.secondaryBus}`;
      const bridges = bySecondaryBus.get(key) ?? [];
      if (bridges.length < 2) bySecondaryBus.set(key, [...bridges, device]);
    }
    if (isPciBridgeClass(device.classCode) && device.bus < (lowestBridgeBus.get(device.segment) ?? Infinity)) lowestBridgeBus.set(device.segment, device.bus);
  }
  for (const device of devices) {
    if (device.parent !== undefined) continue;
    const bridge = bySecondaryBus.get(`${device.segment}:${device.bus}`)?.find((candidate) => candidate !== device);
    if (bridge !== undefined) device.parent = bdfOf(bridge);
    else if (device.bus !== 0 && (lowestBridgeBus.get(device.segment) ?? Infinity) < device.bus)
      notes.push(`${bdfOf(device)}: upstream bridge unknown; treated as sitting on a root bus`);
  }
}

/** Upstream bridges of `device`, nearest first; stops on a loop or a missing parent. */
function ancestorsOf(byBdf: ReadonlyMap<string, PciDevice>, device: PciDevice): PciDevice[] {
  const chain: PciDevice[] = [];
  const visited = new Set<PciDevice>([device]);
  let current = device.parent === undefined ? undefined : byBdf.get(device.parent);
  while (current !== undefined && !visited.has(current)) {
    chain.push(current);
    visited.add(current);
    current = current.parent === undefined ? undefined : byBdf.get(current.parent);
  }
  return chain;
}

function groupsFromDevices(devices: readonly PciDevice[]): Map<number, string[]> | undefined {
  if (!devices.some((device) => device.iommuGroup !== undefined)) return undefined;
  const groups = new Map<number, string[]>();
  for (const device of devices) {
    if (device.iommuGroup === undefined) continue;
    const members = groups.get(device.iommuGroup) ?? [];
    members.push(bdfOf(device));
    groups.set(device.iommuGroup, members);
  }
  return groups;
}

function sortGroups(groups: Map<number, string[]>): Map<number, string[]> {
  const order = (bdf: string) => bdf.toLowerCase();
  const entries = [...groups.entries()].sort(([left], [right]) => left - right);
  return new Map(entries.map(([group, members]) => [group, [...new Set(members.map(order))].sort()]));
}

/** Fast lookup by BDF. */
export class TopologyIndex {
  private readonly byBdf: Map<string, PciDevice>;
  private readonly groupOfBdf = new Map<string, number>();

  constructor(readonly topology: PciTopology) {
    this.byBdf = new Map(topology.devices.map((device) => [bdfOf(device), device]));
    for (const [group, members] of topology.groups ?? []) for (const member of members) this.groupOfBdf.set(member, group);
  }

  get(bdf: string): PciDevice | undefined {
    return this.byBdf.get(bdf);
  }

  /** Upstream bridges, nearest first. */
  ancestors(device: PciDevice): PciDevice[] {
    return ancestorsOf(this.byBdf, device);
  }

  /** Hops from the root bus down to the device (the device last), as `dmar_alloc_pci_notify_info` builds them. */
  pathFromRoot(device: PciDevice): PciDevice[] {
    return [...this.ancestors(device)].reverse().concat(device);
  }

  group(bdf: string): number | undefined {
    return this.groupOfBdf.get(bdf);
  }

  /** The direct children of a bridge. */
  children(bridge: PciDevice): PciDevice[] {
    const bdf = bdfOf(bridge);
    return this.topology.devices.filter((device) => device.parent === bdf);
  }
}

/** `is_downstream_to_pci_bridge`: the bus lies in the bridge's [secondary, subordinate]. Segment NOT compared (kernel quirk). */
export function isDownstreamOfBridge(device: PciDevice, bridge: PciDevice): boolean {
  if (bridge.secondaryBus === undefined || bridge.subordinateBus === undefined) return false;
  return bridge.secondaryBus <= device.bus && device.bus <= bridge.subordinateBus;
}
