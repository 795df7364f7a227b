/**
 * The group doubts of `explain` (src/audit/explain-doubts.ts) at their edges: which region the
 * class leaves unsettled, the best case it allows, and who may share a guessed group (the slot's
 * other functions; on a bus other than 0, the bus below a bridge that may be PCIe-to-PCI, but not
 * below a PCIe root or downstream port). Texts by hand from docs/kernel-semantics.md §3.4.
 */
import { describe, expect, it } from 'vitest';
import { classUnsettledRmrr, groupDoubts, relaxedMembers } from '../src/audit/explain-doubts.js';
import type { PciDevice } from '../src/pci/model.js';
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
