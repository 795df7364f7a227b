/**
 * The human text and JSON shapes of src/regions/render.ts, in process (the CLI tests that print
 * them spawn dist, so no mutation run sees them). Every expected line is written by hand from
 * the formats the module documents: `0x%016x-0x%016x <type padded to 16> <source>`, sources
 * `TABLE STRUCTURE @0xOFFSET [detail] for DEVICES — reasons`, findings `severity: TABLE @0xOFF: text`.
 */
import { describe, expect, it } from 'vitest';
import type { DeviceRegions, GroupRegions, RegionAnalysis } from '../src/regions/analysis.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { evaluatePassthrough } from '../src/regions/passthrough.js';
import { deviceJson, explainRegion, groupJson, groupsOrigin, passthroughLine, regionJson, regionLine, renderDevice, renderFindings, renderGroup } from '../src/regions/render.js';
import type { MergedRegion, RegionDescriptor } from '../src/regions/types.js';

const rmrr = (device: string, extra: Partial<RegionDescriptor> = {}): RegionDescriptor => ({
  start: 0x3e2e0000n, end: 0x3e2fffffn, type: 'direct', prot: 3, device,
  source: { table: 'DMAR', offset: 0x40, structure: 'RMRR', detail: 'endpoint 00:1f.6' }, ...extra,
});
const msi: RegionDescriptor = { start: 0xfee00000n, end: 0xfeefffffn, type: 'msi', prot: 0, source: { table: 'kernel', structure: 'interrupt window' } };
const swMsi: RegionDescriptor = { start: 0x8000000n, end: 0x80fffffn, type: 'sw-msi', prot: 0, source: { table: 'kernel', structure: 'SW MSI window' } };

describe('explainRegion / regionLine', () => {
  it('a table region: table, structure, offset in hex, detail, device, reason', () => {
    expect(explainRegion(rmrr('0000:00:1f.6', { reason: 'not USB or graphics' }))).toBe('DMAR RMRR @0x40 [endpoint 00:1f.6] for 0000:00:1f.6 — not USB or graphics');
  });

  it('a kernel region: "(kernel)", no offset, no device, no reason', () => {
    expect(explainRegion(msi)).toBe('interrupt window (kernel)');
    // A table region without an offset prints none.
    expect(explainRegion({ ...msi, source: { table: 'IVRS', structure: 'IVMD' } })).toBe('IVRS IVMD');
  });

  it('a merged region: parts of one source joined (devices sorted, once each; reasons once), other sources after " | "', () => {
    const merged: MergedRegion = {
      ...rmrr('0000:00:1f.6'),
      parts: [
        rmrr('0000:00:1f.6', { reason: 'r1' }),
        rmrr('0000:00:02.0', { reason: 'r1' }),
        rmrr('0000:00:02.0', { reason: 'r1' }),
        rmrr('0000:00:03.0', { reason: 'r2' }),
        { ...rmrr('0000:00:04.0'), source: { table: 'DMAR', offset: 0x80, structure: 'RMRR' } },
      ],
    };
    expect(explainRegion(merged)).toBe('DMAR RMRR @0x40 [endpoint 00:1f.6] for 0000:00:02.0, 0000:00:1f.6 — r1 | DMAR RMRR @0x40 [endpoint 00:1f.6] for 0000:00:03.0 — r2 | DMAR RMRR @0x80 for 0000:00:04.0');
  });

  it('one line: 16-digit bounds, the sysfs type padded to 16, sw-msi as "msi (sw)"', () => {
    expect(regionLine(rmrr('0000:00:1f.6'))).toBe('0x000000003e2e0000-0x000000003e2fffff direct           DMAR RMRR @0x40 [endpoint 00:1f.6] for 0000:00:1f.6');
    expect(regionLine(swMsi)).toBe('0x0000000008000000-0x00000000080fffff msi (sw)         SW MSI window (kernel)');
    expect(regionLine({ ...msi, type: 'direct-relaxable' })).toBe('0x00000000fee00000-0x00000000feefffff direct-relaxable interrupt window (kernel)');
  });
});

describe('passthroughLine', () => {
  const direct = [{ device: '0000:00:1f.6', regions: [rmrr('0000:00:1f.6')] }, { device: '0000:00:1f.3', regions: [rmrr('0000:00:1f.3')] }];
  const relaxedAsDirect = [{ device: '0000:00:14.0', regions: [rmrr('0000:00:14.0', { relaxableAsDirect: true })] }];
  const relaxable = [{ device: '0000:00:14.0', regions: [rmrr('0000:00:14.0', { type: 'direct-relaxable' })] }];

  it('without a kernel: both rules, each naming its devices', () => {
    expect(passthroughLine(evaluatePassthrough(direct))).toBe('device assignment: refused on Linux ≥ 6.6 (direct region on 0000:00:1f.6, 0000:00:1f.3); refused on 3.17–6.5 (RMRR-locked: 0000:00:1f.6, 0000:00:1f.3)');
    expect(passthroughLine(evaluatePassthrough(relaxedAsDirect))).toBe('device assignment: refused on Linux ≥ 6.6 (direct region on 0000:00:14.0)');
    expect(passthroughLine(evaluatePassthrough(relaxable))).toBe('device assignment: not blocked by reserved regions');
  });

  it('an Intel RMRR lock without a direct region is impossible, so "allowed on ≥ 6.6" only shows with a hand-made verdict', () => {
    const verdict = { ...evaluatePassthrough(relaxable), refusedIntelLegacy: true, rmrrLockedDevices: ['0000:00:14.0'] };
    expect(passthroughLine(verdict)).toBe('device assignment: allowed on Linux ≥ 6.6; refused on 3.17–6.5 (RMRR-locked: 0000:00:14.0)');
  });

  it('with a kernel: that release\'s rule and errno', () => {
    expect(passthroughLine(evaluatePassthrough(direct, kernelBehaviour('6.6')))).toBe('device assignment on Linux 6.6: refused (direct region on 0000:00:1f.6, 0000:00:1f.3; -EINVAL)');
    expect(passthroughLine(evaluatePassthrough(direct, kernelBehaviour('6.1')))).toBe('device assignment on Linux 6.1: refused (RMRR-locked: 0000:00:1f.6, 0000:00:1f.3; -EPERM)');
    expect(passthroughLine(evaluatePassthrough(relaxedAsDirect, kernelBehaviour('6.1')))).toBe('device assignment on Linux 6.1: not blocked by reserved regions');
  });
});

describe('renderGroup / renderDevice / renderFindings / groupsOrigin', () => {
  const member: DeviceRegions = { device: '0000:00:1f.6', regions: [rmrr('0000:00:1f.6'), msi], notes: ['no alias'] };
  const group: GroupRegions = { group: 4, devices: ['0000:00:1f.6'], regions: [{ ...rmrr('0000:00:1f.6'), parts: [rmrr('0000:00:1f.6')] }], members: [member] };

  it('a group: header with described devices, one indented line per region, the passthrough line', () => {
    expect(renderGroup(group, (bdf) => `${bdf} (NIC)`, kernelBehaviour('6.6'))).toEqual([
      'group 4: 0000:00:1f.6 (NIC)',
      '  0x000000003e2e0000-0x000000003e2fffff direct           DMAR RMRR @0x40 [endpoint 00:1f.6] for 0000:00:1f.6',
      '  device assignment on Linux 6.6: refused (direct region on 0000:00:1f.6; -EINVAL)',
    ]);
    expect(renderGroup({ group: 0, devices: ['0000:00:02.0', '0000:00:02.1'], regions: [], members: [] })).toEqual([
      'group 0: 0000:00:02.0, 0000:00:02.1',
      '  (no reserved regions)',
      '  device assignment: not blocked by reserved regions',
    ]);
  });

  it('a device: its own list in driver order, then its notes', () => {
    expect(renderDevice(member)).toEqual([
      'device 0000:00:1f.6 (own list, driver order):',
      '  0x000000003e2e0000-0x000000003e2fffff direct           DMAR RMRR @0x40 [endpoint 00:1f.6] for 0000:00:1f.6',
      '  0x00000000fee00000-0x00000000feefffff msi              interrupt window (kernel)',
      '  note: no alias',
    ]);
  });

  const analysis = (groups: GroupRegions[], groupsGuessed: boolean): RegionAnalysis => ({
    platform: 'intel', iommuEnabled: true, groupsGuessed, groups, devices: [],
    assumptions: ['PCI topology: none given'],
    findings: [
      { code: 'regions.group.no-iommu', severity: 'warning', message: 'group 1: x' },
      { code: 'regions.group.no-iommu', severity: 'error', message: 'bad', table: 'DMAR', offset: 0x30 },
    ] as unknown as RegionAnalysis['findings'],
  });

  it('findings: assumptions first, then severity, table and hex offset when a table is named', () => {
    expect(renderFindings(analysis([], false))).toEqual(['assumed: PCI topology: none given', 'warning: group 1: x', 'error: DMAR @0x30: bad']);
  });

  it('groups origin: topology, guessed singles, guessed with an alias group', () => {
    expect(groupsOrigin(analysis([group], false))).toBe('from the topology');
    expect(groupsOrigin(analysis([group], true))).toBe('guessed (one device per group)');
    expect(groupsOrigin(analysis([group, { ...group, devices: ['0000:00:04.0', '0000:00:04.1'] }], true))).toBe('guessed (one device per group, DMA aliases joined)');
  });
});

describe('JSON shapes', () => {
  it('a region: bounds, type and sysfs type, prot, one source per part with its device and reason', () => {
    expect(regionJson({ ...swMsi, reason: 'why' })).toEqual({
      start: 0x8000000n, end: 0x80fffffn, type: 'sw-msi', sysfsType: 'msi', prot: 0,
      sources: [{ device: undefined, table: 'kernel', structure: 'SW MSI window', reason: 'why' }],
    });
    const merged: MergedRegion = { ...rmrr('0000:00:1f.6'), parts: [rmrr('0000:00:1f.6'), rmrr('0000:00:1f.3', { reason: 'r' })] };
    expect(regionJson(merged).sources).toEqual([
      { device: '0000:00:1f.6', table: 'DMAR', offset: 0x40, structure: 'RMRR', detail: 'endpoint 00:1f.6', reason: undefined },
      { device: '0000:00:1f.3', table: 'DMAR', offset: 0x40, structure: 'RMRR', detail: 'endpoint 00:1f.6', reason: 'r' },
    ]);
  });

  it('a group and a device', () => {
    const member: DeviceRegions = { device: '0000:00:1f.6', regions: [msi], notes: ['n'] };
    const json = groupJson({ group: 2, devices: ['0000:00:1f.6'], regions: [{ ...msi, parts: [msi] }], members: [member] }, 'SYSFS', kernelBehaviour('6.6'));
    expect(json).toMatchObject({ group: 2, devices: ['0000:00:1f.6'], sysfs: 'SYSFS', passthrough: { refusedSince66: false, kernel: { label: 'Linux 6.6', refused: false } } });
    expect(json.regions.map((region) => region.sysfsType)).toEqual(['msi']);
    expect(deviceJson(member)).toEqual({ device: '0000:00:1f.6', notes: ['n'], regions: [regionJson(msi)] });
  });
});
