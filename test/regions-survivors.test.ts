/**
 * Cases for the mutants that survived the first mutation run of src/regions (docs/mutation.md,
 * regions-audit): each input is the smallest that tells the rule apart from its mutant. Expected
 * values by hand.
 */
import { describe, expect, it } from 'vitest';
import { assembleGroups, withGuessedGroups, type DeviceRegions } from '../src/regions/analysis.js';
import type { RegionFinding } from '../src/regions/codes.js';
import { parseRangeList, rangesFromJson } from '../src/regions/conflicts.js';
import { parseRange, vfioUsableIova } from '../src/regions/iova.js';
import { evaluatePassthrough } from '../src/regions/passthrough.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import type { RegionDescriptor } from '../src/regions/types.js';
import { buildTopology } from '../src/pci/topology.js';
import type { PciDevice, PciTopology } from '../src/pci/model.js';

const region = (start: bigint, end: bigint, type: RegionDescriptor['type'], source: RegionDescriptor['source'] = { table: 'kernel', structure: 'test' }): RegionDescriptor => ({ start, end, type, prot: 0, source });
const fn = (device: number): PciDevice => ({ segment: 0, bus: 0, device, function: 0, classCode: 0x020000, vendor: 0x8086, deviceId: 0x10d3 });
const bdf = (device: number) => `0000:00:${device.toString(16).padStart(2, '0')}.0`;
const entry = (device: string): DeviceRegions => ({ device, regions: [], notes: [] });

describe('analysis', () => {
  it('a topology that gives no groups at all: no group, and every device with an IOMMU is reported without one', () => {
    const topology: PciTopology = { devices: [fn(2), fn(3)], groupsGuessed: false, notes: [] };
    const findings: RegionFinding[] = [];
    expect(assembleGroups(topology, [entry(bdf(2)), entry(bdf(3))], findings)).toEqual([]);
    expect(findings.map((item) => [item.code, item.device])).toEqual([['regions.group.no-group', bdf(2)], ['regions.group.no-group', bdf(3)]]);
  });

  it('two devices aliased to devices without an IOMMU stay in groups of their own', () => {
    const guessed = buildTopology([fn(1), fn(2), fn(3)]);
    const aliases = new Map([[bdf(1), bdf(0x1e)], [bdf(2), bdf(0x1f)]]);
    expect([...withGuessedGroups(guessed, [entry(bdf(1)), entry(bdf(2)), entry(bdf(3))], aliases).groups!]).toEqual([[0, [bdf(1)]], [1, [bdf(2)]], [2, [bdf(3)]]]);
  });
});

describe('conflicts and ranges', () => {
  it('a blank piece of a range list is skipped; the refused piece is quoted trimmed', () => {
    expect(parseRangeList('0x0-0x1, ,0x10-0x10')).toEqual([{ start: 0n, end: 1n }, { start: 0x10n, end: 0x10n }]);
    expect(() => parseRangeList('0x0-0x1,  nope ')).toThrow('"nope" is not a range');
  });

  it('JSON: undefined input, text with a letter before or after the number, a size without a start are refused as ranges', () => {
    expect(() => rangesFromJson(undefined)).toThrow('expected a list of ranges or {"ram": [...]}');
    for (const item of [{ start: 'x12', end: 16 }, { start: '12x', end: 16 }, { size: 16 }, { start: 0 }, undefined]) {
      expect(() => rangesFromJson([item])).toThrow('ram[0] is not a range');
    }
  });

  it('the top byte of the 64-bit space is a range of its own', () => {
    expect(parseRange('0xffffffffffffffff-0xffffffffffffffff')).toEqual({ start: (1n << 64n) - 1n, end: (1n << 64n) - 1n });
  });

  it('VFIO\'s SW MSI base is the last SW MSI region, not the last region', () => {
    expect(vfioUsableIova({ start: 0n, end: 0xffffn }, [region(0x1000n, 0x1fffn, 'sw-msi'), region(0x4000n, 0x4fffn, 'direct')]).msi).toEqual({ hardware: false, swMsiBase: 0x1000n });
  });
});

describe('passthrough and sysfs', () => {
  const rmrr = region(0x1000n, 0x1fffn, 'direct', { table: 'DMAR', structure: 'RMRR' });

  it('an RMRR locks its device even when the device has another direct region; only a DMAR RMRR locks', () => {
    const verdict = evaluatePassthrough([
      { device: 'a', regions: [rmrr, region(0x2000n, 0x2fffn, 'direct', { table: 'kernel', structure: 'ISA bridge (floppy workaround)' })] },
      { device: 'b', regions: [region(0x1000n, 0x1fffn, 'direct', { table: 'IVRS', structure: 'RMRR' })] },
    ]);
    expect(verdict.rmrrLockedDevices).toEqual(['a']);
  });

  it('a line ending two bytes past the page is cut (90 lines of 45 bytes, then one of 47)', () => {
    const lines = [...Array.from({ length: 90 }, (_, index) => region(BigInt(index) << 20n, (BigInt(index) << 20n) + 0xfffn, 'direct')), region(0n, 0xfffn, 'reserved')];
    const text = formatSysfs(lines, { pageLimit: true });
    expect(text.length).toBe(4095);
    expect(text.slice(4050)).toBe('0x0000000000000000 0x0000000000000fff reserve');
  });
});
