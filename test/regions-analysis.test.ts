/**
 * src/regions/analysis.ts, the core's part (`iommu.c`), with a stand-in provider: groups merge
 * their members' lists in probe order and stop at a member without an IOMMU
 * (`iommu_get_group_resv_regions`), guessed groups hold only devices with an IOMMU and join DMA
 * aliases, and no group exists when the IOMMU stays off. Expected values are stated by hand.
 */
import { describe, expect, it } from 'vitest';
import { analyzeWith, assembleGroups, deviceGroup, withGuessedGroups, type DeviceRegions } from '../src/regions/analysis.js';
import type { RegionFinding } from '../src/regions/codes.js';
import { CURRENT_KERNEL, kernelBehaviour } from '../src/regions/kernel-versions.js';
import type { ProvidedRegions, RegionProvider } from '../src/regions/provider.js';
import type { RegionDescriptor } from '../src/regions/types.js';
import { buildTopology } from '../src/pci/topology.js';
import type { PciDevice } from '../src/pci/model.js';

const fn = (device: number, func = 0): PciDevice => ({ segment: 0, bus: 0, device, function: func, classCode: 0x020000, vendor: 0x8086, deviceId: 0x10d3 });
const bdf = (device: number, func = 0) => `0000:00:${device.toString(16).padStart(2, '0')}.${func}`;
const region = (start: bigint, end: bigint, device: string, type: RegionDescriptor['type'] = 'direct'): RegionDescriptor => ({ start, end, type, prot: 3, device, source: { table: 'DMAR', offset: 0x40, structure: 'RMRR' } });
const entry = (device: string, ...regions: RegionDescriptor[]): DeviceRegions => ({ device, regions, notes: [] });

describe('assembleGroups', () => {
  const topology = buildTopology([fn(2), fn(3), fn(4), fn(5)], new Map([[7, [bdf(2), bdf(3), bdf(4)]], [9, [bdf(5)]]]));

  it('merges members in order, stops at the first member without an IOMMU, and says so', () => {
    const findings: RegionFinding[] = [];
    const devices = [entry(bdf(2), region(0x1000n, 0x1fffn, bdf(2))), entry(bdf(4), region(0x3000n, 0x3fffn, bdf(4))), entry(bdf(5))];
    const groups = assembleGroups(topology, devices, findings);
    expect(groups.map((group) => [group.group, group.devices, group.members.map((member) => member.device), group.regions.map((item) => [item.start, item.end])])).toEqual([
      [7, [bdf(2), bdf(3), bdf(4)], [bdf(2)], [[0x1000n, 0x1fffn]]],
      [9, [bdf(5)], [bdf(5)], []],
    ]);
    expect(findings.map((item) => [item.code, item.device, item.message])).toEqual([
      ['regions.group.no-iommu', bdf(3), 'group 7: 0000:00:03.0 has no IOMMU according to the tables; the kernel stops merging the group\'s regions at it'],
    ]);
  });

  it('a device with an IOMMU but no group in a given topology: an info finding; none for guessed groups', () => {
    const findings: RegionFinding[] = [];
    const partial = buildTopology([fn(2), fn(6)], new Map([[0, [bdf(2)]]]));
    assembleGroups(partial, [entry(bdf(2)), entry(bdf(6))], findings);
    expect(findings.map((item) => [item.code, item.device, item.message])).toEqual([
      ['regions.group.no-group', bdf(6), '0000:00:06.0 has an IOMMU according to the tables but no IOMMU group in the topology'],
    ]);
    const guessed = { ...partial, groupsGuessed: true };
    const none: RegionFinding[] = [];
    assembleGroups(guessed, [entry(bdf(2)), entry(bdf(6))], none);
    expect(none).toEqual([]);
  });

  it('the adjacent-merge switch reaches the merge (5.3+ joins touching regions of one type)', () => {
    const one = buildTopology([fn(2)], new Map([[0, [bdf(2)]]]));
    const touching = [entry(bdf(2), region(0x1000n, 0x1fffn, bdf(2)), region(0x2000n, 0x2fffn, bdf(2)))];
    expect(assembleGroups(one, touching, [], { adjacent: true })[0]!.regions.map((item) => [item.start, item.end])).toEqual([[0x1000n, 0x2fffn]]);
    expect(assembleGroups(one, touching, [], { adjacent: false })[0]!.regions.map((item) => [item.start, item.end])).toEqual([[0x1000n, 0x1fffn], [0x2000n, 0x2fffn]]);
    expect(deviceGroup(touching[0]!, { adjacent: false })).toHaveLength(2);
    expect(deviceGroup(touching[0]!)).toHaveLength(1);
  });
});

describe('withGuessedGroups', () => {
  const guessed = buildTopology([fn(1), fn(2), fn(3), fn(4), fn(5)]);

  it('a given topology is returned as it is', () => {
    const given = buildTopology([fn(1)], new Map([[3, [bdf(1)]]]));
    expect(withGuessedGroups(given, [])).toBe(given);
  });

  it('only devices with an IOMMU, numbered from 0 in probe order', () => {
    const result = withGuessedGroups(guessed, [entry(bdf(4)), entry(bdf(2))]);
    expect([...result.groups!]).toEqual([[0, [bdf(2)]], [1, [bdf(4)]]]);
    expect(result.devices).toBe(guessed.devices);
  });

  it('aliases join groups: a chain makes one group, an alias to a device without an IOMMU is ignored', () => {
    const devices = [1, 2, 3, 4, 5].map((number) => entry(bdf(number)));
    // 3 → 2, 2 → 1 (a chain); 5 → 0000:00:1f.0 (not a device with an IOMMU).
    const aliases = new Map([[bdf(3), bdf(2)], [bdf(2), bdf(1)], [bdf(5), bdf(0x1f)]]);
    expect([...withGuessedGroups(guessed, devices, aliases).groups!]).toEqual([[0, [bdf(1), bdf(2), bdf(3)]], [1, [bdf(4)]], [2, [bdf(5)]]]);
  });

  it('a cycle of aliases is one group, and the walk ends', () => {
    const devices = [1, 2, 3].map((number) => entry(bdf(number)));
    const aliases = new Map([[bdf(1), bdf(3)], [bdf(3), bdf(1)], [bdf(2), bdf(3)]]);
    expect([...withGuessedGroups(guessed, devices, aliases).groups!]).toEqual([[0, [bdf(1), bdf(2), bdf(3)]]]);
  });

  it('an alias to a later device puts the earlier device in the group numbered where it first appears', () => {
    const devices = [1, 2, 3].map((number) => entry(bdf(number)));
    expect([...withGuessedGroups(guessed, devices, new Map([[bdf(1), bdf(3)]])).groups!]).toEqual([[0, [bdf(1), bdf(3)]], [1, [bdf(2)]]]);
  });
});

describe('analyzeWith', () => {
  const provider = (provided: ProvidedRegions, kernel = CURRENT_KERNEL): RegionProvider => ({
    platform: 'amd', table: 'IVRS', kernel, aperture: { bits: 48, note: '' },
    deviceRegions: () => provided, unscopedRegions: () => [],
  });
  const topology = buildTopology([fn(2), fn(3)]);
  const devices = [entry(bdf(2), region(0x1000n, 0x1fffn, bdf(2)), region(0x2000n, 0x2fffn, bdf(2))), entry(bdf(3))];

  it('groups the provider\'s devices (aliases joined) and passes its findings and assumptions through', () => {
    const findings: RegionFinding[] = [];
    const analysis = analyzeWith(provider({ devices, findings, assumptions: ['A'], iommuEnabled: true, dmaAliases: new Map([[bdf(3), bdf(2)]]) }), topology);
    expect(analysis).toMatchObject({ platform: 'amd', iommuEnabled: true, assumptions: ['A'], groupsGuessed: true });
    expect(analysis.findings).toBe(findings);
    expect(analysis.devices).toBe(devices);
    expect(analysis.groups.map((group) => [group.group, group.devices, group.regions.length])).toEqual([[0, [bdf(2), bdf(3)], 1]]);
  });

  it('the kernel\'s merge rule: before 5.3 touching regions stay apart', () => {
    const analysis = analyzeWith(provider({ devices, findings: [], assumptions: [], iommuEnabled: true }, kernelBehaviour('5.2')), topology);
    expect(analysis.groups[0]!.regions.map((item) => [item.start, item.end])).toEqual([[0x1000n, 0x1fffn], [0x2000n, 0x2fffn]]);
  });

  it('no group when the IOMMU stays off; the devices are still listed', () => {
    const analysis = analyzeWith(provider({ devices, findings: [], assumptions: [], iommuEnabled: false }), topology);
    expect(analysis.groups).toEqual([]);
    expect(analysis.devices).toHaveLength(2);
    expect(analysis.iommuEnabled).toBe(false);
  });
});
