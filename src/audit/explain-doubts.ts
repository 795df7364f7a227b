/**
 * `explain` with a topology that leaves the device's group open (issue 13). Two doubts:
 * a member whose class the topology does not give (lspci -t classes bridges only), so whether
 * its RMRR is relaxable (USB 0x0c03xx, display 0x03xxxx) is unknown; and groups the topology
 * does not give (guessed one device per group), while Linux may put another function of the
 * slot, or every device behind one PCIe-to-PCI bridge, in the device's group. A verdict either
 * could change is "unknown", never "allowed" or "refused" (docs/kernel-semantics.md §3.4).
 */
import { bdfOf, type PciDevice, type PciTopology } from '../pci/model.js';
import type { TopologyIndex } from '../pci/topology.js';
import type { DeviceRegions } from '../regions/analysis.js';
import type { RegionDescriptor } from '../regions/types.js';
import { hex } from '../bytes/hex.js';
import { formatSlot } from '../pci/bdf.js';
import type { MembersUnder } from './explain-verdict.js';

export interface GroupDoubts {
  /** Members whose RMRRs are modelled as direct only because their class is unknown. */
  classUnknown: ReadonlySet<string>;
  /** Devices real grouping may add to the group, under one kernel's rules (empty with real groups). */
  mates: MembersUnder;
  /** Why, under the current rules; printed with an unknown verdict. */
  reasons: string[];
  missing: string;
}

const CLASS_MISSING = 'the classes of its group: --pci /sys on the machine, lspci -vmm -nn output, the boot log\'s "pci … class 0x…" lines, or JSON with "class"';
const GROUPS_MISSING = 'the real IOMMU groups: --pci /sys on the machine (it reads /sys/kernel/iommu_groups), an acpi-iommu collect archive, or "groups" in the JSON topology';

/** The RMRRs the unknown class leaves unsettled: modelled as direct, relaxable for USB and display. */
export const classUnsettledRmrr = (region: RegionDescriptor) =>
  region.source.structure === 'RMRR' && region.type === 'direct' && region.relaxableAsDirect !== true;

const where = (region: RegionDescriptor) => `${region.source.structure} @${hex(region.source.offset ?? 0)} [${hex(region.start)}-${hex(region.end)}]`;

/** Why `other` may share a group with `device` when groups are guessed; undefined when it cannot. */
function mayShare(index: TopologyIndex, device: PciDevice, other: PciDevice): string | undefined {
  if (other === device || other.segment !== device.segment || other.bus !== device.bus) return undefined;
  if (other.device === device.device) return `another function of slot ${formatSlot(device)}`;
  if (device.bus === 0) return undefined;
  // Behind a PCIe-to-PCI bridge (or one of unknown type) the whole bus is one group.
  const parent = index.ancestors(device)[0];
  const type = parent?.pcieType;
  if (type !== undefined && type !== 'pcie-to-pci-bridge' && type !== 'conventional') return undefined;
  return `a device on bus ${hex(device.bus, 2)} with it, below ${parent === undefined ? 'a bridge' : bdfOf(parent)} that may be a PCIe-to-PCI bridge`;
}

export interface DoubtInput {
  topology: PciTopology;
  index: TopologyIndex;
  device: PciDevice;
  /** Every device's list under one kernel's rules. */
  devicesUnder: (asked: Parameters<MembersUnder>[0]) => readonly DeviceRegions[];
  /** Group members and all devices under the current rules. */
  members: readonly DeviceRegions[];
  current: Parameters<MembersUnder>[0];
  isClassUnknown: (device: PciDevice) => boolean;
}

/** The doubts a topology leaves about the device's group; undefined when there is none. */
export function groupDoubts(input: DoubtInput): GroupDoubts | undefined {
  const { topology, index, device, members } = input;
  const self = bdfOf(device);
  const reasons: string[] = [];
  const classUnknown = new Set<string>();
  for (const member of members) {
    const found = index.get(member.device);
    const rmrrs = member.regions.filter(classUnsettledRmrr);
    if (found === undefined || !input.isClassUnknown(found) || rmrrs.length === 0) continue;
    classUnknown.add(member.device);
    if (member.device !== self) reasons.push(`relaxable: unknown (class unknown): ${rmrrs.map(where).join(', ')} on ${member.device}, in its group, blocks it unless that device is USB (0x0c03xx) or display (0x03xxxx)`);
  }
  const inGroup = new Set(members.map((member) => member.device));
  const candidates = new Map<string, string>();
  if (topology.groupsGuessed) {
    for (const other of topology.devices) {
      const why = inGroup.has(bdfOf(other)) ? undefined : mayShare(index, device, other);
      if (why !== undefined) candidates.set(bdfOf(other), why);
    }
  }
  const matesUnder: MembersUnder = (asked) => input.devicesUnder(asked).filter((entry) => candidates.has(entry.device));
  let guessed = false;
  for (const mate of matesUnder(input.current) ?? []) {
    const direct = mate.regions.filter((region) => region.type === 'direct');
    if (direct.length === 0) continue;
    guessed = true;
    reasons.push(`group guessed: ${mate.device} (${candidates.get(mate.device)}) has direct region(s) ${direct.map(where).join(', ')}; Linux may put it in the group of ${self}`);
  }
  if (reasons.length === 0) return undefined;
  const missing = [...(classUnknown.size > 0 ? [CLASS_MISSING] : []), ...(guessed ? [GROUPS_MISSING] : [])].join('; and ');
  return { classUnknown, mates: matesUnder, reasons, missing };
}

/** The members with the unknown-class RMRRs taken as relaxable: the best case the class allows. */
export function relaxedMembers(members: readonly DeviceRegions[], classUnknown: ReadonlySet<string>): DeviceRegions[] {
  return members.map((member) => (!classUnknown.has(member.device) ? member : {
    ...member,
    // Relaxable regions escape both the RMRR lock and require_direct.
    regions: member.regions.map((region) => (classUnsettledRmrr(region) ? { ...region, type: 'direct-relaxable' as const } : region)),
  }));
}
