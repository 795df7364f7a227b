/**
 * The region core through the provider interface (issue 11): a provider gives per-device lists,
 * `analyzeWith` groups and merges them like iommu.c; `analyzeRegions` picks the provider from
 * the tables. The providers here are written by hand so each rule of the core is visible.
 */
import { describe, expect, it } from 'vitest';
import { analyzeRegions, platformOf, regionProvider, unscopedRegions } from '../src/analyze.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { analyzeWith, type DeviceRegions } from '../src/regions/analysis.js';
import { CURRENT_KERNEL, kernelBehaviour, parseKernelVersion } from '../src/regions/kernel-versions.js';
import { assumedAperture, type ProvidedRegions, type RegionProvider } from '../src/regions/provider.js';
import { groupsOrigin } from '../src/regions/render.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import type { RegionDescriptor } from '../src/regions/types.js';
import { buildDmar, buildIort } from './support/region-tables.js';

const region = (start: bigint, end: bigint, type: RegionDescriptor['type'] = 'reserved'): RegionDescriptor => ({ start, end, type, prot: 0, source: { table: 'kernel', structure: 'test' } });

function provider(provided: ProvidedRegions, kernel = CURRENT_KERNEL): RegionProvider {
  return { platform: 'amd', table: 'IVRS', kernel, aperture: assumedAperture('the test width'), deviceRegions: () => provided, unscopedRegions: () => [] };
}

const A = '0000:00:01.0';
const B = '0000:00:02.0';
const C = '0000:00:03.0';
const devices = (...bdfs: string[]) => topologyFromJson({ devices: bdfs.map((bdf) => ({ bdf, class: '0x020000' })) });
const lists = (...bdfs: string[]): DeviceRegions[] => bdfs.map((bdf, index) => ({ device: bdf, regions: [region(BigInt(index) * 0x1000n, BigInt(index) * 0x1000n + 0xfffn)], notes: [] }));

describe('analyzeWith: the core groups and merges what a provider gives', () => {
  it('guessed groups: one per device with an IOMMU, in probe order; devices without one get none', () => {
    const analysis = analyzeWith(provider({ devices: lists(A, C), findings: [], assumptions: [], iommuEnabled: true }), devices(A, B, C));
    expect(analysis.platform).toBe('amd');
    expect(analysis.groupsGuessed).toBe(true);
    expect(analysis.groups.map((group) => [group.group, group.devices])).toEqual([[0, [A]], [1, [C]]]);
  });

  it('guessed groups follow DMA aliases: a device joins the group of the device it aliases, along chains, ignoring aliases to devices without an IOMMU', () => {
    const aliases = new Map([[C, B], [B, A]]);
    const analysis = analyzeWith(provider({ devices: lists(A, B, C), findings: [], assumptions: [], iommuEnabled: true, dmaAliases: aliases }), devices(A, B, C));
    expect(analysis.groups.map((group) => group.devices)).toEqual([[A, B, C]]);
    expect(formatSysfs(analysis.groups[0]!.regions)).toBe('0x0000000000000000 0x0000000000002fff reserved\n');
    const toNowhere = analyzeWith(provider({ devices: lists(A, C), findings: [], assumptions: [], iommuEnabled: true, dmaAliases: new Map([[C, B]]) }), devices(A, B, C));
    expect(toNowhere.groups.map((group) => group.devices)).toEqual([[A], [C]]);
  });

  it('says where the groups come from, and when an alias joined guessed ones', () => {
    const plain = analyzeWith(provider({ devices: lists(A, B), findings: [], assumptions: [], iommuEnabled: true }), devices(A, B));
    const joined = analyzeWith(provider({ devices: lists(A, B), findings: [], assumptions: [], iommuEnabled: true, dmaAliases: new Map([[B, A]]) }), devices(A, B));
    const real = analyzeWith(provider({ devices: lists(A), findings: [], assumptions: [], iommuEnabled: true }), topologyFromJson({ devices: [{ bdf: A, class: '0x020000' }], groups: { 3: [A] } }));
    expect([groupsOrigin(plain), groupsOrigin(joined), groupsOrigin(real)]).toEqual(['guessed (one device per group)', 'guessed (one device per group, DMA aliases joined)', 'from the topology']);
  });

  it('an alias cycle ends: both devices share one group', () => {
    const analysis = analyzeWith(provider({ devices: lists(A, B), findings: [], assumptions: [], iommuEnabled: true, dmaAliases: new Map([[A, B], [B, A]]) }), devices(A, B));
    expect(analysis.groups.map((group) => group.devices)).toEqual([[A, B]]);
  });

  it('real groups of the topology win over aliases', () => {
    const topology = topologyFromJson({ devices: [{ bdf: A, class: '0x020000' }, { bdf: B, class: '0x020000' }], groups: { 7: [A], 9: [B] } });
    const analysis = analyzeWith(provider({ devices: lists(A, B), findings: [], assumptions: [], iommuEnabled: true, dmaAliases: new Map([[B, A]]) }), topology);
    expect(analysis.groups.map((group) => [group.group, group.devices])).toEqual([[7, [A]], [9, [B]]]);
  });

  it('no group when the provider says the IOMMU stays off; findings and devices are kept', () => {
    const finding = { code: 'regions.intel.iommu-off' as const, severity: 'error' as const, offset: 0, message: 'off' };
    const analysis = analyzeWith(provider({ devices: lists(A), findings: [finding], assumptions: ['x'], iommuEnabled: false }), devices(A));
    expect(analysis).toMatchObject({ iommuEnabled: false, groups: [], findings: [finding], assumptions: ['x'] });
    expect(analysis.devices.map((entry) => entry.device)).toEqual([A]);
  });

  it("merges with the provider's kernel: adjacent regions join from v5.3, not before", () => {
    const adjacent: DeviceRegions[] = [{ device: A, regions: [region(0x1000n, 0x1fffn), region(0x2000n, 0x2fffn)], notes: [] }];
    const provided = { devices: adjacent, findings: [], assumptions: [], iommuEnabled: true };
    expect(formatSysfs(analyzeWith(provider(provided), devices(A)).groups[0]!.regions)).toBe('0x0000000000001000 0x0000000000002fff reserved\n');
    const old = kernelBehaviour(parseKernelVersion('5.2'));
    expect(formatSysfs(analyzeWith(provider(provided, old), devices(A)).groups[0]!.regions)).toBe('0x0000000000001000 0x0000000000001fff reserved\n0x0000000000002000 0x0000000000002fff reserved\n');
  });
});

describe('analyzeRegions: the tables choose the provider', () => {
  const dmar = parseDmar(buildDmar({ width: 46 }));
  const iort = parseIort(buildIort({ rc: [], smmu: [] }));

  it('infers the platform; with both tables the DMAR wins unless Arm is preferred', () => {
    expect([platformOf({ dmar }), platformOf({ iort }), platformOf({ dmar, iort }), platformOf({ dmar, iort }, 'arm'), platformOf({})]).toEqual(['intel', 'arm', 'intel', 'arm', undefined]);
    expect(analyzeRegions({ dmar }, devices(A)).platform).toBe('intel');
    expect(analyzeRegions({ dmar, iort }, devices(A), 'arm').platform).toBe('arm');
  });

  it("gives each provider's aperture: the DMAR host address width, or 48 bits assumed for the IORT", () => {
    expect(regionProvider({ dmar })!.aperture.bits).toBe(46);
    expect(regionProvider({ dmar })!.aperture.note).toContain('DMAR host address width');
    expect(regionProvider({ iort })!.aperture).toEqual({ bits: 48, note: '48-bit assumed: the SMMU input address size is not in the tables, give --aperture' });
  });

  it('without an IOMMU table there is no provider, and the analysis says so', () => {
    expect(regionProvider({})).toBeUndefined();
    expect(() => analyzeRegions({}, devices(A))).toThrow('no DMAR, IORT or IVRS table');
    expect(() => unscopedRegions({})).toThrow('no DMAR, IORT or IVRS table');
  });
});
