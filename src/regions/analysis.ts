/**
 * The platform-independent result of a derivation: per-device lists in driver order, and the
 * group lists merged in probe order (docs/kernel-semantics.md §2), with findings and assumptions.
 */
import { bdfOf, type PciTopology } from '../pci/model.js';
import { finding, type RegionFinding } from './codes.js';
import { mergeGroupRegions, type MergeOptions } from './merge.js';
import type { Platform, RegionProvider } from './provider.js';
import type { MergedRegion, RegionDescriptor } from './types.js';

export interface DeviceRegions {
  /** BDF of a PCI function. */
  device: string;
  /** The driver's list for this device (`ops->get_resv_regions`), unmerged, in driver order. */
  regions: RegionDescriptor[];
  /** Per-device remarks (e.g. the StreamIDs, the DMA aliases used). */
  notes: string[];
}

export interface GroupRegions {
  group: number;
  /** Member BDFs in probe order, as the topology gives them. */
  devices: string[];
  /** The merged list: what `reserved_regions` prints. */
  regions: MergedRegion[];
  /** Members whose lists were merged (the merge stops at the first member without an IOMMU). */
  members: DeviceRegions[];
}

export interface RegionAnalysis {
  platform: Platform;
  /** False when the kernel would not bring the IOMMU up at all: no groups exist then. */
  iommuEnabled: boolean;
  readonly findings: readonly RegionFinding[];
  /** Inputs that were not in the tables or the topology and were assumed. */
  readonly assumptions: readonly string[];
  /** Devices that get an IOMMU, in probe order (computed even when `iommuEnabled` is false). */
  readonly devices: readonly DeviceRegions[];
  /** Empty when `iommuEnabled` is false. */
  readonly groups: readonly GroupRegions[];
  groupsGuessed: boolean;
}

/**
 * Merges each group of the topology. `devices` holds the devices that have an IOMMU; a group
 * member without one stops that group's merge, as `iommu_get_group_resv_regions` does.
 */
export function assembleGroups(topology: PciTopology, devices: readonly DeviceRegions[], findings: RegionFinding[], merge: MergeOptions = {}): GroupRegions[] {
  const byBdf = new Map(devices.map((entry) => [entry.device, entry]));
  const grouped = new Set<string>();
  const groups: GroupRegions[] = [];
  for (const [group, members] of topology.groups ?? []) {
    const used: DeviceRegions[] = [];
    // Every member has a group, also those after the one that stops the merge.
    for (const member of members) grouped.add(member);
    for (const member of members) {
      const entry = byBdf.get(member);
      if (entry === undefined) {
        findings.push(finding('regions.group.no-iommu', `group ${group}: ${member} has no IOMMU according to the tables; the kernel stops merging the group's regions at it`, { device: member }));
        break;
      }
      used.push(entry);
    }
    groups.push({ group, devices: [...members], regions: mergeGroupRegions(used, merge), members: used });
  }
  if (!topology.groupsGuessed) {
    for (const entry of devices) {
      if (!grouped.has(entry.device)) findings.push(finding('regions.group.no-group', `${entry.device} has an IOMMU according to the tables but no IOMMU group in the topology`, { device: entry.device }));
    }
  }
  return groups;
}

/**
 * A topology whose guessed groups only hold the devices that get an IOMMU (a device the
 * kernel gives no IOMMU has no group), numbered in probe order. A device with a DMA alias
 * (`aliases`: device → the device whose requester ID it uses) joins that device's group.
 */
export function withGuessedGroups(topology: PciTopology, devices: readonly DeviceRegions[], aliases: ReadonlyMap<string, string> = new Map()): PciTopology {
  if (!topology.groupsGuessed) return topology;
  const withIommu = new Set(devices.map((entry) => entry.device));
  const members = topology.devices.map((device) => bdfOf(device)).filter((bdf) => withIommu.has(bdf));
  // Union-find over the alias pairs: a chain or a cycle of aliases makes one group.
  const parent = new Map(members.map((bdf) => [bdf, bdf]));
  const find = (bdf: string): string => {
    let current = bdf;
    while (parent.get(current) !== current) current = parent.get(current)!;
    return current;
  };
  for (const bdf of members) {
    const alias = aliases.get(bdf);
    if (alias !== undefined && parent.has(alias)) parent.set(find(bdf), find(alias));
  }
  const groupOf = new Map<string, number>();
  const groups = new Map<number, string[]>();
  for (const bdf of members) {
    const key = find(bdf);
    if (!groupOf.has(key)) {
      groupOf.set(key, groups.size);
      groups.set(groups.size, []);
    }
    groups.get(groupOf.get(key)!)!.push(bdf);
  }
  // As `{ ...topology, groups }`, without the slow path of a spread plus a key on Node 20 (merge.ts copyOf).
  const guessed = Object.assign({}, topology);
  guessed.groups = groups;
  return guessed;
}

/** The group list of one device (a group of one), for `--device`. */
export function deviceGroup(entry: DeviceRegions, merge: MergeOptions = {}): MergedRegion[] {
  return mergeGroupRegions([entry], merge);
}

/**
 * The core's part (`iommu.c`): the provider gives every device's list, the topology's groups
 * (or guessed ones) merge them. No group exists when the provider says the IOMMU stays off.
 */
export function analyzeWith(provider: RegionProvider, topology: PciTopology): RegionAnalysis {
  const { devices, findings, assumptions, iommuEnabled, dmaAliases } = provider.deviceRegions(topology);
  const grouped = withGuessedGroups(topology, devices, dmaAliases);
  const groups = iommuEnabled ? assembleGroups(grouped, devices, findings, { adjacent: provider.kernel.adjacentMerge }) : [];
  return { platform: provider.platform, iommuEnabled, findings, assumptions, devices, groups, groupsGuessed: topology.groupsGuessed };
}
