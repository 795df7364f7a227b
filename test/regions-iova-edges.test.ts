/**
 * Boundaries of src/regions/iova.ts, conflicts.ts, sysfs.ts and passthrough.ts: one byte on each
 * side of every comparison, the 64-bit limits, and the exact texts users see. Expected values
 * are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { findConflicts, parseRangeList, rangesFromJson } from '../src/regions/conflicts.js';
import { apertureFromBits, iommufdUsableIova, parseAperture, parseRange, subtractRange, vfioUsableIova } from '../src/regions/iova.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { evaluatePassthrough, RMRR_LOCKED_MESSAGE, V66_MESSAGE } from '../src/regions/passthrough.js';
import { formatSysfs, formatSysfsLine, parseSysfs } from '../src/regions/sysfs.js';
import type { RegionDescriptor } from '../src/regions/types.js';

const U64 = (1n << 64n) - 1n;
const region = (start: bigint, end: bigint, type: RegionDescriptor['type'], extra: Partial<RegionDescriptor> = {}): RegionDescriptor => ({ start, end, type, prot: 0, source: { table: 'kernel', structure: 'test' }, ...extra });

describe('apertures and ranges', () => {
  it('1 and 64 bits are the limits; anything else throws naming the width', () => {
    expect(apertureFromBits(1)).toEqual({ start: 0n, end: 1n });
    expect(apertureFromBits(64)).toEqual({ start: 0n, end: U64 });
    for (const bits of [0, 65, 1.5]) expect(() => apertureFromBits(bits)).toThrow(`aperture width ${bits} is not 1..64 bits`);
  });

  it('parseAperture: bits 1..64, an inclusive range whose ends may be equal; spaces trimmed', () => {
    expect([parseAperture(' 1 '), parseAperture('64'), parseAperture('0')]).toEqual([{ start: 0n, end: 1n }, { start: 0n, end: U64 }, undefined]);
    expect(parseAperture('0x1000-0x1000')).toEqual({ start: 0x1000n, end: 0x1000n });
    expect(parseAperture('0x1001-0x1000')).toBeUndefined();
    expect(parseAperture('forty')).toBeUndefined();
  });

  it('parseRange: hex or decimal either side, any case, spaces round the dash; 2^64 − 1 is the top', () => {
    expect(parseRange('4096 - 8191')).toEqual({ start: 4096n, end: 8191n });
    expect(parseRange(' 0X10-0XfF ')).toEqual({ start: 0x10n, end: 0xffn });
    expect(parseRange('0x0-0xffffffffffffffff')).toEqual({ start: 0n, end: U64 });
    expect(parseRange('0x0-0x10000000000000000')).toBeUndefined();
    expect(parseRange('0x10000000000000000-0x0')).toBeUndefined();
    // parseRange keeps start > end (its callers judge it).
    expect(parseRange('0x20-0x10')).toEqual({ start: 0x20n, end: 0x10n });
    expect([parseRange('0x10'), parseRange('x0x10-0x20'), parseRange('0x10-0x20 more'), parseRange('-0x10-0x20')]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('subtractRange: a cut ending just below or starting just above a range leaves it whole', () => {
    const range = { start: 0x1000n, end: 0x1fffn };
    expect(subtractRange([range], { start: 0x0n, end: 0xfffn })).toEqual([range]);
    expect(subtractRange([range], { start: 0x2000n, end: 0x2fffn })).toEqual([range]);
    expect(subtractRange([range], { start: 0x0n, end: 0x1000n })).toEqual([{ start: 0x1001n, end: 0x1fffn }]);
    expect(subtractRange([range], { start: 0x1fffn, end: 0x2fffn })).toEqual([{ start: 0x1000n, end: 0x1ffen }]);
    expect(subtractRange([range], { start: 0x1000n, end: 0x1fffn })).toEqual([]);
    expect(subtractRange([range], { start: 0x1800n, end: 0x18ffn })).toEqual([{ start: 0x1000n, end: 0x17ffn }, { start: 0x1900n, end: 0x1fffn }]);
    // Pieces go where the split range was: order kept across several ranges.
    expect(subtractRange([{ start: 0n, end: 0xfn }, range, { start: 0x3000n, end: 0x3fffn }], { start: 0x1800n, end: 0x1800n })).toEqual([
      { start: 0n, end: 0xfn }, { start: 0x1000n, end: 0x17ffn }, { start: 0x1801n, end: 0x1fffn }, { start: 0x3000n, end: 0x3fffn },
    ]);
  });
});

describe('VFIO and iommufd', () => {
  const aperture = { start: 0n, end: 0xffffn };

  it('VFIO: a hardware MSI region means no SW MSI base; with several SW MSI windows the last one counts', () => {
    expect(vfioUsableIova(aperture, [region(0x1000n, 0x1fffn, 'sw-msi'), region(0x2000n, 0x2fffn, 'msi')]).msi).toEqual({ hardware: true });
    expect(vfioUsableIova(aperture, [region(0x1000n, 0x1fffn, 'sw-msi'), region(0x4000n, 0x4fffn, 'sw-msi')]).msi).toEqual({ hardware: false, swMsiBase: 0x4000n });
    expect(vfioUsableIova(aperture, []).msi).toEqual({ hardware: false });
    const result = vfioUsableIova(aperture, [region(0x1000n, 0x1fffn, 'direct')]);
    expect(result).toMatchObject({ empty: false, ranges: [{ start: 0n, end: 0xfffn }, { start: 0x2000n, end: 0xffffn }] });
  });

  it('iommufd: a malformed region is listed as ignored and cuts nothing; a relaxable one is neither', () => {
    const relaxable = region(0x100n, 0x1ffn, 'direct-relaxable');
    const malformed = region(0x3000n, 0x2fffn, 'direct');
    const result = iommufdUsableIova(aperture, [{ device: 'a', regions: [relaxable, malformed, region(0x1000n, 0x1fffn, 'reserved')] }, { device: 'b', regions: [region(0x8000n, 0x8fffn, 'msi')] }]);
    expect(result.devices[0]).toEqual({ device: 'a', ranges: [{ start: 0n, end: 0xfffn }, { start: 0x2000n, end: 0xffffn }], ignored: [malformed] });
    expect(result.devices[1]!.ranges).toEqual([{ start: 0n, end: 0x7fffn }, { start: 0x9000n, end: 0xffffn }]);
    expect(result.ranges).toEqual([{ start: 0n, end: 0xfffn }, { start: 0x2000n, end: 0x7fffn }, { start: 0x9000n, end: 0xffffn }]);
  });

  it('iommufd refusals: hardware + software MSI, two software windows; one software window alone is fine', () => {
    const refused = (regions: RegionDescriptor[]) => iommufdUsableIova(aperture, [{ device: 'd', regions }]).devices[0]!.refused;
    expect(refused([region(0x1000n, 0x1fffn, 'sw-msi'), region(0x2000n, 0x2fffn, 'msi')])).toBe('device reports both a hardware MSI and a software MSI window (iommufd WARN_ON, -EINVAL)');
    expect(refused([region(0x1000n, 0x1fffn, 'sw-msi'), region(0x2000n, 0x2fffn, 'sw-msi')])).toBe('device reports more than one software MSI window (iommufd WARN_ON, -EINVAL)');
    expect(refused([region(0x1000n, 0x1fffn, 'sw-msi')])).toBeUndefined();
    expect(refused([region(0x1000n, 0x1fffn, 'msi'), region(0x2000n, 0x2fffn, 'msi')])).toBeUndefined();
  });
});

describe('conflicts', () => {
  it('overlap bounds are the intersection; touching at one byte is a conflict; one byte apart is not', () => {
    const owner = { regions: [region(0x1000n, 0x1fffn, 'direct', { device: 'dev' })] };
    const at = (start: bigint, end: bigint) => findConflicts([{ start, end }], [owner]).map((conflict) => [conflict.overlap.start, conflict.overlap.end]);
    expect(at(0x1fffn, 0x2fffn)).toEqual([[0x1fffn, 0x1fffn]]);
    expect(at(0x0n, 0x1000n)).toEqual([[0x1000n, 0x1000n]]);
    expect(at(0x1800n, 0x18ffn)).toEqual([[0x1800n, 0x18ffn]]);
    expect(at(0x0n, 0xfffn)).toEqual([]);
    expect(at(0x2000n, 0x2fffn)).toEqual([]);
  });

  it('the device comes from the owner, else from the region; group only from the owner; none when unknown', () => {
    const ram = [{ start: 0n, end: 0xffffn }];
    const [fromRegion] = findConflicts(ram, [{ regions: [region(0x1000n, 0x1fffn, 'direct', { device: 'r' })] }]);
    expect(fromRegion!.device).toBe('r');
    expect('group' in fromRegion!).toBe(false);
    const [fromOwner] = findConflicts(ram, [{ device: 'o', group: 0, regions: [region(0x1000n, 0x1fffn, 'direct', { device: 'r' })] }]);
    expect([fromOwner!.device, fromOwner!.group]).toEqual(['o', 0]);
    const [anonymous] = findConflicts(ram, [{ regions: [region(0x1000n, 0x1fffn, 'direct-relaxable')] }]);
    expect('device' in anonymous!).toBe(false);
    expect(anonymous!.blocking).toBe(false);
    expect(findConflicts(ram, [{ regions: [region(0x2000n, 0x1fffn, 'direct')] }])).toEqual([]);
  });

  it('range lists: empty pieces skipped, a reversed range refused with its text', () => {
    expect(parseRangeList(' 0x0-0x1 ,, 0x10-0x1f ,')).toEqual([{ start: 0n, end: 1n }, { start: 0x10n, end: 0x1fn }]);
    expect(() => parseRangeList('0x10-0x1')).toThrow('"0x10-0x1" is not a range like 0x0-0x7fffffff');
  });

  it('JSON ranges: end wins over size; size 0, unsafe or negative numbers, bad text and reversed ranges are refused by position', () => {
    expect(rangesFromJson([{ start: '0x1000', end: '0x1fff', size: 1 }])).toEqual([{ start: 0x1000n, end: 0x1fffn }]);
    expect(rangesFromJson([{ start: ' 16 ', size: '0x10' }, [0, 0]])).toEqual([{ start: 16n, end: 31n }, { start: 0n, end: 0n }]);
    const bad = (item: unknown) => () => rangesFromJson([{ start: 0, end: 1 }, item]);
    for (const item of [{ start: 0, size: 0 }, { start: 2 ** 53, end: 2 ** 53 + 2 }, { start: -1, end: 1 }, { start: 'one', end: 2 }, { start: 2, end: 1 }, [1], 'x', null]) {
      expect(bad(item)).toThrow('ram[1] is not a range ({"start", "end"} inclusive, or {"start", "size"})');
    }
    expect(() => rangesFromJson({ memory: [] })).toThrow('expected a list of ranges or {"ram": [...]}');
    expect(() => rangesFromJson(null)).toThrow('expected a list of ranges');
    expect(() => rangesFromJson('0x0-0x1')).toThrow('expected a list of ranges');
  });
});

describe('sysfs text', () => {
  const direct = (index: number) => region(BigInt(index) << 20n, (BigInt(index) << 20n) + 0xfffn, 'direct');

  it('a zero-length region at 0 prints its end modulo 2^64', () => {
    expect(formatSysfsLine({ start: 0n, end: -1n, type: 'reserved' })).toBe('0x0000000000000000 0xffffffffffffffff reserved\n');
  });

  it('the page limit cuts only when a line would pass byte 4095 (91 lines of 45 bytes fill it exactly)', () => {
    const lines = (count: number) => Array.from({ length: count }, (_, index) => direct(index));
    expect(formatSysfsLine(direct(0)).length).toBe(45);
    expect(formatSysfs(lines(91), { pageLimit: true })).toBe(formatSysfs(lines(91)));
    const cut = formatSysfs(lines(92), { pageLimit: true });
    expect(cut).toBe(formatSysfs(lines(91)));
    expect(formatSysfs(lines(92), { pageLimit: false }).length).toBe(92 * 45);
  });

  it('a line that does not fit is cut to the byte, not dropped', () => {
    // 90 lines (4050 bytes) then one of 55 bytes ("direct-relaxable"): its first 45 bytes fit.
    const text = formatSysfs([...Array.from({ length: 90 }, (_, index) => direct(index)), region(0n, 0xfffn, 'direct-relaxable')], { pageLimit: true });
    expect(text.length).toBe(4095);
    expect(text.slice(4050)).toBe('0x0000000000000000 0x0000000000000fff direct-');
  });

  it('reading back: empty text is an empty list; a line not in the kernel\'s shape is refused', () => {
    expect(parseSysfs('')).toEqual([]);
    expect(parseSysfs('0x0000000000001000 0x0000000000001fff direct-relaxable\n\n')).toEqual([{ start: 0x1000n, end: 0x1fffn, type: 'direct-relaxable' }]);
    for (const line of ['0x1000 0x1fff sw-msi', '0x1000 0x1fff msi extra', ' 0x1000 0x1fff msi', '0x1000 0x1FFF msi']) expect(parseSysfs(line)).toBeUndefined();
  });
});

describe('passthrough', () => {
  const rmrr = (extra: Partial<RegionDescriptor> = {}) => region(0x1000n, 0x1fffn, 'direct', { source: { table: 'DMAR', structure: 'RMRR' }, ...extra });

  it('only a DMAR RMRR not relaxed to direct locks; other direct regions only trip the 6.6 rule', () => {
    const verdict = evaluatePassthrough([
      { device: 'a', regions: [rmrr({ relaxableAsDirect: true })] },
      { device: 'b', regions: [region(0x1000n, 0x1fffn, 'direct', { source: { table: 'IORT', structure: 'RMR' } })] },
      { device: 'c', regions: [region(0x1000n, 0x1fffn, 'direct', { source: { table: 'DMAR', structure: 'other' } })] },
      { device: 'd', regions: [rmrr(), region(0xfee00000n, 0xfeefffffn, 'msi')] },
    ]);
    expect(verdict.rmrrLockedDevices).toEqual(['d']);
    expect(verdict.directDevices.map((entry) => [entry.device, entry.regions.length])).toEqual([['a', 1], ['b', 1], ['c', 1], ['d', 1]]);
    expect(verdict.messages).toEqual([
      ...['a', 'b', 'c', 'd'].map((device) => `v6.6+: ${device}: "${V66_MESSAGE}" (-EINVAL)`),
      `v3.17–v6.5 (Intel): d: "${RMRR_LOCKED_MESSAGE}" (-EPERM)`,
    ]);
  });

  it('per release: require_direct from 6.6, the RMRR lock 3.17–6.5, neither before 3.17', () => {
    const devices = [{ device: 'd', regions: [rmrr()] }];
    expect(evaluatePassthrough(devices, kernelBehaviour('6.6')).kernel).toEqual({ label: 'Linux 6.6', refused: true, rule: 'require-direct' });
    expect(evaluatePassthrough(devices, kernelBehaviour('6.5')).kernel).toEqual({ label: 'Linux 6.5', refused: true, rule: 'rmrr-locked' });
    expect(evaluatePassthrough(devices, kernelBehaviour('3.17')).kernel).toEqual({ label: 'Linux 3.17', refused: true, rule: 'rmrr-locked' });
    expect(evaluatePassthrough(devices, kernelBehaviour('3.16')).kernel).toEqual({ label: 'Linux 3.16', refused: false });
    expect(evaluatePassthrough([{ device: 'e', regions: [region(0n, 0xfffn, 'direct', { source: { table: 'IORT', structure: 'RMR' } })] }], kernelBehaviour('6.5')).kernel).toEqual({ label: 'Linux 6.5', refused: false });
  });
});
