/**
 * The open questions of `explain` (src/audit/explain-unsettled.ts) in full: which RMRRs may name
 * another function of the device's slot (and which cannot), the class question, and a topology
 * that does not place the device. RMRRs from the region-test builder: one INCLUDE_PCI_ALL DRHD at
 * 0x30, then RMRRs of 24 bytes + 8 per one-hop scope (10 per two-hop) from 0x40.
 */
import { describe, expect, it } from 'vitest';
import { TOPOLOGY_MISSING, unsettledInTopology, unsettledWithoutTopology } from '../src/audit/explain-unsettled.js';
import type { NamingStructure } from '../src/audit/explain-model.js';
import { parseDmar } from '../src/dmar/index.js';
import type { PciDevice, PciTopology } from '../src/pci/model.js';
import type { RegionDescriptor } from '../src/regions/types.js';
import { buildDmar, type ScopeSpec } from './support/region-tables.js';

const DEVICE: PciDevice = { segment: 0, bus: 0, device: 0x14, function: 0, classCode: 0, vendor: 0xffff, deviceId: 0xffff };
const rmrrs = (list: { scopes: ScopeSpec[]; segment?: number }[]) => parseDmar(buildDmar({ rmrrs: list.map((item, index) => ({ base: 0x80000000n + BigInt(index) * 0x1000n, end: 0x80000fffn + BigInt(index) * 0x1000n, ...item })) }));
const ep = (bus: number, device: number, fn: number): ScopeSpec => ({ kind: 'endpoint', bus, path: [[device, fn]] });
const rmrrRegion = (offset: number | undefined, structure = 'RMRR'): RegionDescriptor => ({ start: 0n, end: 0xfffn, type: 'direct', prot: 3, source: { table: 'DMAR', structure, ...(offset === undefined ? {} : { offset }) } });

describe('without a topology', () => {
  it('RMRRs naming other functions of the slot: one RMRR "names", two "name"; offsets once each', () => {
    expect(unsettledWithoutTopology(rmrrs([{ scopes: [ep(0, 0x14, 1), ep(0, 0x14, 2)] }]), DEVICE, [], [])).toEqual({
      reasons: ['RMRR @0x40 names another function of slot 00:14, which may share its IOMMU group'], classDecides: false, missing: TOPOLOGY_MISSING,
    });
    // RMRRs of 32 bytes at 0x40 and 0x60.
    expect(unsettledWithoutTopology(rmrrs([{ scopes: [ep(0, 0x14, 1)] }, { scopes: [ep(0, 0x14, 3)] }]), DEVICE, [], [])!.reasons).toEqual([
      'RMRR @0x40, @0x60 name another function of slot 00:14, which may share its IOMMU group',
    ]);
  });

  it('the slot is printed bus:device with two hex digits each', () => {
    const device = { ...DEVICE, device: 3 };
    expect(unsettledWithoutTopology(rmrrs([{ scopes: [ep(0, 3, 1)] }]), device, [], [])!.reasons).toEqual(['RMRR @0x40 names another function of slot 00:03, which may share its IOMMU group']);
  });

  it('not a slot mate: the device itself, another slot, bus or segment, a two-hop path, an IOAPIC scope', () => {
    const table = rmrrs([
      { scopes: [ep(0, 0x14, 0)] },
      { scopes: [ep(0, 0x15, 1)] },
      { scopes: [ep(1, 0x14, 1)] },
      { scopes: [ep(0, 0x14, 1)], segment: 1 },
      { scopes: [{ kind: 'endpoint', bus: 0, path: [[0x14, 1], [0, 0]] }] },
      { scopes: [{ kind: 'ioapic', bus: 0, path: [[0x14, 1]] }] },
    ]);
    expect(unsettledWithoutTopology(table, DEVICE, [], [])).toBeUndefined();
    // A bridge scope on another function of the slot is a mate too.
    expect(unsettledWithoutTopology(rmrrs([{ scopes: [{ kind: 'bridge', bus: 0, path: [[0x14, 4]] }] }]), DEVICE, [], [])!.reasons).toHaveLength(1);
  });

  it('RMRRs only a topology can place, and the device\'s own RMRRs whose class decides', () => {
    const pending = (offset: number, structure: string, certainty: NamingStructure['certainty']): NamingStructure => ({ table: 'DMAR', structure, offset, how: '', steps: [], certainty });
    const structures = [pending(0x40, 'RMRR [0x1000-0x1fff]', 'needs-topology'), pending(0x40, 'RMRR [0x1000-0x1fff]', 'needs-topology'), pending(0x30, 'DRHD', 'needs-topology'), pending(0x60, 'RMRR [0x2000-0x2fff]', 'assumed'), pending(0x80, 'RMRR [0x3000-0x3fff]', 'needs-topology')];
    expect(unsettledWithoutTopology(rmrrs([]), DEVICE, structures, [rmrrRegion(0x60), rmrrRegion(0x60), rmrrRegion(undefined), rmrrRegion(0xa0, 'RMR')])).toEqual({
      reasons: [
        'RMRR @0x40, @0x80 may cover the device through a bridge or a multi-hop scope path',
        'its class decides whether RMRR @0x60, @0x0 is relaxable (USB 0x0c03xx and display 0x03xxxx are)',
      ],
      classDecides: true,
      missing: TOPOLOGY_MISSING,
    });
    expect(unsettledWithoutTopology(rmrrs([]), DEVICE, [], [rmrrRegion(0xa0, 'RMR')])).toBeUndefined();
  });
});

describe('with a topology that leaves a question open', () => {
  const placed: PciDevice = { ...DEVICE, bus: 5, device: 0, classCode: 0x0c0330 };
  const topology = (notes: string[]): PciTopology => ({ devices: [placed], groups: new Map(), groupsGuessed: true, notes });
  const UNPLACED = ['0000:05:00.0: upstream bridge unknown (no bus ranges)'];
  const BRIDGES = 'a topology with bridge bus ranges: --pci /sys on the machine, the boot log\'s "pci … PCI bridge to [bus …]" lines, or JSON with "parent" or "secondaryBus"';
  const CLASS = 'the device\'s class: --pci /sys on the machine, the boot log\'s "pci … class 0x…" lines, lspci -vmm -nn output, or JSON with "class"';
  const WHERE = 'the topology does not say which bridge 0000:05:00.0 sits behind, so RMRR paths and bridge scopes through it cannot be followed';
  const KLASS = 'its class decides whether RMRR @0x40 is relaxable (USB 0x0c03xx and display 0x03xxxx are)';

  it('nothing open: undefined', () => {
    expect(unsettledInTopology(topology([]), placed, [])).toBeUndefined();
    // A note about another device, or a device with a known parent, leaves it placed.
    expect(unsettledInTopology(topology(['0000:05:00.1: upstream bridge unknown']), placed, [])).toBeUndefined();
    expect(unsettledInTopology(topology(UNPLACED), { ...placed, parent: '0000:00:1c.0' }, [])).toBeUndefined();
  });

  it('unplaced, class, both: the reasons in that order; bridge ranges asked first', () => {
    expect(unsettledInTopology(topology(UNPLACED), placed, [])).toEqual({ reasons: [WHERE], classDecides: false, missing: BRIDGES });
    expect(unsettledInTopology(topology([]), placed, [rmrrRegion(0x40)])).toEqual({ reasons: [KLASS], classDecides: true, missing: CLASS });
    expect(unsettledInTopology(topology(UNPLACED), placed, [rmrrRegion(0x40)])).toEqual({ reasons: [WHERE, KLASS], classDecides: true, missing: BRIDGES });
  });
});
