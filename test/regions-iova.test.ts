/** IOVA consumers, conflicts, the passthrough verdict and sysfs text details. */
import { describe, expect, it } from 'vitest';
import { findConflicts, parseRangeList, rangesFromJson } from '../src/regions/conflicts.js';
import { apertureFromBits, iommufdUsableIova, parseAperture, vfioUsableIova } from '../src/regions/iova.js';
import { evaluatePassthrough } from '../src/regions/passthrough.js';
import { formatSysfs, parseSysfs } from '../src/regions/sysfs.js';
import type { RegionDescriptor, RegionType } from '../src/regions/types.js';

const region = (start: bigint, end: bigint, type: RegionType, structure = 'test', table: RegionDescriptor['source']['table'] = 'kernel'): RegionDescriptor => ({
  start,
  end,
  type,
  prot: 0,
  source: { table, structure },
});

describe('usable IOVA', () => {
  it('VFIO keeps direct-relaxable regions usable and reports the MSI handling', () => {
    const regions = [region(0x0n, 0xffffffn, 'direct-relaxable'), region(0x8000000n, 0x80fffffn, 'sw-msi')];
    const result = vfioUsableIova(apertureFromBits(32), regions);
    expect(result.ranges).toEqual([
      { start: 0n, end: 0x7ffffffn },
      { start: 0x8100000n, end: 0xffffffffn },
    ]);
    expect(result.msi).toEqual({ hardware: false, swMsiBase: 0x8000000n });
    expect(vfioUsableIova({ start: 0x1000n, end: 0x1fffn }, [region(0n, 0xffffn, 'reserved')]).empty).toBe(true);
  });

  it('iommufd works per device and refuses a HW MSI + SW MSI mix (HiSilicon)', () => {
    const hisilicon = [region(0x8000000n, 0x80fffffn, 'sw-msi'), region(0x202110000n, 0x20211ffffn, 'msi')];
    const result = iommufdUsableIova(apertureFromBits(48), [
      { device: 'a', regions: hisilicon },
      { device: 'b', regions: [region(0x1000n, 0x1fffn, 'direct')] },
    ]);
    expect(result.devices[0]!.refused).toMatch(/both a hardware MSI and a software MSI/);
    expect(result.devices[1]!.refused).toBeUndefined();
    expect(result.devices[1]!.ranges[0]).toEqual({ start: 0n, end: 0xfffn });
    expect(result.ranges.length).toBe(4);
  });

  it('parses apertures', () => {
    expect(parseAperture('39')).toEqual({ start: 0n, end: 0x7fffffffffn });
    expect(parseAperture('0x1000-0x1fff')).toEqual({ start: 0x1000n, end: 0x1fffn });
    expect(parseAperture('0x2000-0x1000')).toBeUndefined();
    expect(parseAperture('65')).toBeUndefined();
  });
});

describe('conflicts', () => {
  it('lists every overlap with provenance and marks relaxable ones as not blocking', () => {
    const owners = [
      { device: '0000:00:1f.6', group: 4, regions: [region(0x3e2e0000n, 0x3e2fffffn, 'direct', 'RMRR', 'DMAR')] },
      { device: '0000:00:14.0', group: 1, regions: [region(0x3e2f0000n, 0x3e30ffffn, 'direct-relaxable', 'RMRR', 'DMAR'), region(0x9000n, 0x8fffn, 'direct')] },
    ];
    const conflicts = findConflicts(parseRangeList('0x0-0x3e2effff, 0x3e300000-0x3fffffff'), owners);
    expect(conflicts.map((conflict) => [conflict.device, conflict.overlap.start, conflict.overlap.end, conflict.blocking])).toEqual([
      ['0000:00:1f.6', 0x3e2e0000n, 0x3e2effffn, true],
      ['0000:00:14.0', 0x3e300000n, 0x3e30ffffn, false],
    ]);
  });

  it('reads ranges from text and JSON', () => {
    expect(() => parseRangeList('0x0-0x10,nope')).toThrow(/"nope"/);
    expect(rangesFromJson({ ram: [['0x0', '0xfff'], { start: 4096, size: 4096 }, { start: '0x3000', end: '0x3fff' }] })).toEqual([
      { start: 0n, end: 0xfffn },
      { start: 0x1000n, end: 0x1fffn },
      { start: 0x3000n, end: 0x3fffn },
    ]);
    expect(() => rangesFromJson([{ start: 5 }])).toThrow(/ram\[0\]/);
  });
});

describe('passthrough verdict', () => {
  it('any direct region refuses on 6.6+; only RMRR-sourced ones on 3.17–6.5', () => {
    const verdict = evaluatePassthrough([
      { device: 'rmr', regions: [region(0x1000n, 0x1fffn, 'direct', 'RMR', 'IORT')] },
      { device: 'usb', regions: [region(0x1000n, 0x1fffn, 'direct-relaxable', 'RMRR', 'DMAR')] },
    ]);
    expect([verdict.refusedSince66, verdict.refusedIntelLegacy]).toEqual([true, false]);
    expect(verdict.messages[0]).toMatch(/1:1 IOMMU mapping/);
    expect(evaluatePassthrough([{ device: 'usb', regions: [region(0n, 1n, 'direct-relaxable')] }]).refusedSince66).toBe(false);
  });
});

describe('sysfs text', () => {
  it('round-trips, prints sw-msi as msi, and can stop at the page like sysfs_emit_at', () => {
    const regions = [region(0x8000000n, 0x80fffffn, 'sw-msi'), region(0xfee00000n, 0xfeefffffn, 'reserved')];
    const text = formatSysfs(regions);
    expect(text).toBe('0x0000000008000000 0x00000000080fffff msi\n0x00000000fee00000 0x00000000feefffff reserved\n');
    expect(parseSysfs(text)).toEqual([
      { start: 0x8000000n, end: 0x80fffffn, type: 'msi' },
      { start: 0xfee00000n, end: 0xfeefffffn, type: 'reserved' },
    ]);
    expect(parseSysfs('garbage\n')).toBeUndefined();
    const many = Array.from({ length: 100 }, (_, index) => region(BigInt(index) << 20n, (BigInt(index) << 20n) + 0xfffn, 'direct'));
    expect(formatSysfs(many).length).toBe(4500);
    expect(formatSysfs(many, { pageLimit: true }).length).toBe(4095);
  });
});
