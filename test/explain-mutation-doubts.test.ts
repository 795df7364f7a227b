/**
 * The group doubts of `explain` (src/audit/explain-doubts.ts) at their edges: which region the
 * class leaves unsettled, the best case it allows, and who may share a guessed group (the slot's
 * other functions; on a bus other than 0, the bus below a bridge that may be PCIe-to-PCI, but not
 * below a PCIe root or downstream port). Texts by hand from docs/kernel-semantics.md §3.4.
 */
import { describe, expect, it } from 'vitest';
import { classUnsettledRmrr, groupDoubts, relaxedMembers } from '../src/audit/explain-doubts.js';
import { bdfOf, type PciDevice } from '../src/pci/model.js';
import { buildTopology, TopologyIndex } from '../src/pci/topology.js';
import type { DeviceRegions } from '../src/regions/analysis.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import type { RegionDescriptor } from '../src/regions/types.js';

const region = (structure: string, type: RegionDescriptor['type'], extra: Partial<RegionDescriptor> = {}): RegionDescriptor =>
  ({ start: 0x80000000n, end: 0x80000fffn, type, prot: 3, source: { table: 'DMAR', structure, offset: 0x40 }, ...extra });
const fn = (bus: number, device: number, func: number, extra: Partial<PciDevice> = {}): PciDevice =>
  ({ segment: 0, bus, device, function: func, classCode: 0x020000, vendor: 0x8086, deviceId: 0x1234, ...extra });

describe('the RMRRs an unknown class leaves open', () => {
  it('only a direct RMRR not already relaxable-as-direct', () => {
    expect(classUnsettledRmrr(region('RMRR', 'direct'))).toBe(true);
    expect(classUnsettledRmrr(region('RMR', 'direct'))).toBe(false);
    expect(classUnsettledRmrr(region('RMRR', 'direct-relaxable'))).toBe(false);
    expect(classUnsettledRmrr(region('RMRR', 'direct', { relaxableAsDirect: true }))).toBe(false);
  });

  it('the best case: those RMRRs of the unknown-class members become relaxable, nothing else changes', () => {
    const members: DeviceRegions[] = [
      { device: 'a', regions: [region('RMRR', 'direct'), region('RMR', 'direct')], notes: ['n'] },
      { device: 'b', regions: [region('RMRR', 'direct')], notes: [] },
    ];
    const relaxed = relaxedMembers(members, new Set(['a']));
    expect(relaxed).toEqual([
      { device: 'a', regions: [region('RMRR', 'direct-relaxable'), region('RMR', 'direct')], notes: ['n'] },
      members[1],
    ]);
    expect(members[0]!.regions[0]!.type).toBe('direct');
  });
});

describe('who may share a guessed group', () => {
  const current = kernelBehaviour();
  const doubtsFor = (devices: PciDevice[], self: PciDevice, direct: string[]) => {
    const topology = buildTopology(devices);
    const index = new TopologyIndex(topology);
    const bdf = (item: PciDevice) => `0000:${item.bus.toString(16).padStart(2, '0')}:${item.device.toString(16).padStart(2, '0')}.${item.function}`;
    const all = devices.map((item) => ({ device: bdf(item), regions: direct.includes(bdf(item)) ? [region('RMRR', 'direct')] : [], notes: [] }));
    return groupDoubts({ topology, index, device: index.get(bdf(self))!, devicesUnder: () => all, members: all.filter((entry) => entry.device === bdf(self)), current, isClassUnknown: () => false });
  };

  it('another function of the slot, named with its slot', () => {
    const doubts = doubtsFor([fn(0, 0x14, 0), fn(0, 0x14, 2)], fn(0, 0x14, 0), ['0000:00:14.2']);
    expect(doubts?.reasons).toEqual(['group guessed: 0000:00:14.2 (another function of slot 00:14) has direct region(s) RMRR @0x40 [0x80000000-0x80000fff]; Linux may put it in the group of 0000:00:14.0']);
    expect(doubts?.missing).toBe('the real IOMMU groups: --pci /sys on the machine (it reads /sys/kernel/iommu_groups), an acpi-iommu collect archive, or "groups" in the JSON topology');
  });

  it('on bus 0 another slot is no mate; a mate without a direct region raises no doubt', () => {
    expect(doubtsFor([fn(0, 0x14, 0), fn(0, 0x15, 0)], fn(0, 0x14, 0), ['0000:00:15.0'])).toBeUndefined();
    expect(doubtsFor([fn(0, 0x14, 0), fn(0, 0x14, 2)], fn(0, 0x14, 0), [])).toBeUndefined();
  });

  it('below a bridge of unknown type: the whole bus; below a root port: only the slot', () => {
    const below = (pcieType?: PciDevice['pcieType']) => {
      const bridge = fn(0, 0x1c, 0, { classCode: 0x060400, secondaryBus: 5, subordinateBus: 5, ...(pcieType === undefined ? {} : { pcieType }) });
      return doubtsFor([bridge, fn(5, 0, 0), fn(5, 1, 0)], fn(5, 0, 0), ['0000:05:01.0']);
    };
    expect(below()?.reasons).toEqual(['group guessed: 0000:05:01.0 (a device on bus 0x05 with it, below 0000:00:1c.0 that may be a PCIe-to-PCI bridge) has direct region(s) RMRR @0x40 [0x80000000-0x80000fff]; Linux may put it in the group of 0000:05:00.0']);
    expect(below('pcie-to-pci-bridge')?.reasons).toHaveLength(1);
    expect(below('root-port')).toBeUndefined();
  });

  it('another bus or segment is no mate', () => {
    expect(doubtsFor([fn(0, 0x14, 0), fn(1, 0x14, 2)], fn(0, 0x14, 0), ['0000:01:14.2'])).toBeUndefined();
  });
});

describe('doubts in full: segments, conventional bridges, unknown classes, both at once', () => {
  const current = kernelBehaviour();
  const RMRR_40 = 'RMRR @0x40 [0x80000000-0x80000fff]';
  const second = region('RMRR', 'direct', { start: 0x80100000n, end: 0x80100fffn, source: { table: 'DMAR', structure: 'RMRR', offset: 0x60 } });
  const CLASS_MISSING = 'the classes of its group: --pci /sys on the machine, lspci -vmm -nn output, the boot log\'s "pci … class 0x…" lines, or JSON with "class"';
  const GROUPS_MISSING = 'the real IOMMU groups: --pci /sys on the machine (it reads /sys/kernel/iommu_groups), an acpi-iommu collect archive, or "groups" in the JSON topology';
  /** `members`: the device's group (bdfs); `regions`: each device's list; `unknown`: bdfs whose class is unknown; groups given or guessed. */
  const doubts = (devices: PciDevice[], self: PciDevice, options: { members: string[]; regions: Record<string, RegionDescriptor[]>; unknown?: string[]; groups?: Map<number, string[]> }) => {
    const topology = buildTopology(devices, options.groups);
    const index = new TopologyIndex(topology);
    const all = devices.map((item) => ({ device: bdfOf(item), regions: options.regions[bdfOf(item)] ?? [], notes: [] }));
    const unknown = new Set(options.unknown ?? []);
    return groupDoubts({ topology, index, device: self, devicesUnder: () => all, members: all.filter((entry) => options.members.includes(entry.device)), current, isClassUnknown: (item) => unknown.has(bdfOf(item)) });
  };

  it('a function of the same slot number on another PCI segment is no mate', () => {
    const self = fn(0, 0x14, 0);
    const other = fn(0, 0x14, 2, { segment: 1 });
    expect(doubts([self, other], self, { members: ['0000:00:14.0'], regions: { '0001:00:14.2': [region('RMRR', 'direct')] } })).toBeUndefined();
  });

  it('below a conventional PCI bridge the whole bus may share the group', () => {
    const bridge = fn(0, 0x1e, 0, { classCode: 0x060400, secondaryBus: 5, subordinateBus: 5, pcieType: 'conventional' });
    const self = fn(5, 0, 0, { parent: '0000:00:1e.0' });
    expect(doubts([bridge, self, fn(5, 1, 0, { parent: '0000:00:1e.0' })], self, { members: ['0000:05:00.0'], regions: { '0000:05:01.0': [region('RMRR', 'direct')] } })?.reasons).toEqual([
      `group guessed: 0000:05:01.0 (a device on bus 0x05 with it, below 0000:00:1e.0 that may be a PCIe-to-PCI bridge) has direct region(s) ${RMRR_40}; Linux may put it in the group of 0000:05:00.0`,
    ]);
  });

  it('on a bus no bridge of the topology leads to: the whole bus may share the group, below "a bridge"', () => {
    const self = fn(1, 0, 0);
    expect(doubts([self, fn(1, 1, 0)], self, { members: ['0000:01:00.0'], regions: { '0000:01:01.0': [region('RMRR', 'direct')] } })?.reasons).toEqual([
      `group guessed: 0000:01:01.0 (a device on bus 0x01 with it, below a bridge that may be a PCIe-to-PCI bridge) has direct region(s) ${RMRR_40}; Linux may put it in the group of 0000:01:00.0`,
    ]);
  });

  it('the device\'s own unknown-class RMRR is no group doubt (unsettledInTopology asks it)', () => {
    const self = fn(0, 0x14, 0);
    const result = doubts([self], self, { members: ['0000:00:14.0'], regions: { '0000:00:14.0': [region('RMRR', 'direct')] }, unknown: ['0000:00:14.0'], groups: new Map([[1, ['0000:00:14.0']]]) });
    expect(result).toBeUndefined();
  });

  it('real groups, a mate of unknown class with two RMRRs: both named; only the class is missing; a member without RMRR is no class doubt', () => {
    const self = fn(0, 0x14, 0);
    const mate = fn(0, 0x14, 2);
    const result = doubts([self, mate], self, {
      members: ['0000:00:14.0', '0000:00:14.2'],
      regions: { '0000:00:14.2': [region('RMRR', 'direct'), second] },
      unknown: ['0000:00:14.0', '0000:00:14.2'],
      groups: new Map([[1, ['0000:00:14.0', '0000:00:14.2']]]),
    });
    expect(result?.reasons).toEqual([`relaxable: unknown (class unknown): ${RMRR_40}, RMRR @0x60 [0x80100000-0x80100fff] on 0000:00:14.2, in its group, blocks it unless that device is USB (0x0c03xx) or display (0x03xxxx)`]);
    expect([...result!.classUnknown]).toEqual(['0000:00:14.2']);
    expect(result?.missing).toBe(CLASS_MISSING);
  });

  it('a guessed mate with two direct regions, next to a group member of unknown class: both named, both missing', () => {
    // A guessed group that still holds two devices (00:14.0 and its unknown-class 00:14.1); 00:14.2 may join it.
    const self = fn(0, 0x14, 0);
    const result = doubts([self, fn(0, 0x14, 1), fn(0, 0x14, 2)], self, {
      members: ['0000:00:14.0', '0000:00:14.1'],
      regions: { '0000:00:14.1': [region('RMRR', 'direct')], '0000:00:14.2': [region('RMRR', 'direct'), second] },
      unknown: ['0000:00:14.1'],
    });
    expect(result?.reasons).toEqual([
      `relaxable: unknown (class unknown): ${RMRR_40} on 0000:00:14.1, in its group, blocks it unless that device is USB (0x0c03xx) or display (0x03xxxx)`,
      `group guessed: 0000:00:14.2 (another function of slot 00:14) has direct region(s) ${RMRR_40}, RMRR @0x60 [0x80100000-0x80100fff]; Linux may put it in the group of 0000:00:14.0`,
    ]);
    expect(result?.missing).toBe(`${CLASS_MISSING}; and ${GROUPS_MISSING}`);
  });
});
