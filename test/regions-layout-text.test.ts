/**
 * src/regions/layouts.ts in process: the exact e820 / device-tree / JSON text and the guest-RAM
 * plan lines (the CLI tests of `iova --format` spawn dist, so no mutation run sees them). The
 * expected text is written by hand from the formats the module's header documents.
 */
import { describe, expect, it } from 'vitest';
import { buildLayout, deviceTreeLines, e820Lines, formatDeviceTree, formatE820, layoutJson, parseSize, planGuestRam, ramPlanLines, sizeText } from '../src/regions/layouts.js';
import type { IovaRange } from '../src/regions/iova.js';
import type { RegionDescriptor } from '../src/regions/types.js';

const region = (start: bigint, end: bigint, type: RegionDescriptor['type'], structure = 'test'): RegionDescriptor => ({ start, end, type, prot: 0, source: { table: 'kernel', structure } });
const FOUR_GIB: IovaRange = { start: 0n, end: 0xffff_ffffn };

describe('buildLayout edges', () => {
  it('a region exactly at the aperture\'s ends is kept; one a byte outside is dropped; touching spans join, a gap of one byte does not', () => {
    const aperture = { start: 0x1000n, end: 0x8fffn };
    const layout = buildLayout(aperture, [
      region(0x0n, 0xfffn, 'direct'), // ends one byte below the aperture
      region(0x9000n, 0x9fffn, 'direct'), // starts one byte above it
      region(0x1000n, 0x1fffn, 'direct'),
      region(0x2000n, 0x2fffn, 'direct'), // touches the previous: one span
      region(0x3001n, 0x3fffn, 'reserved'), // one byte gap: a new span
      region(0x3800n, 0x38ffn, 'reserved'), // inside the previous: the end stays
      region(0x8000n, 0x8fffn, 'msi'),
    ]);
    expect(layout.reserved.map((span) => [span.start, span.end, span.types, span.regions.length])).toEqual([
      [0x1000n, 0x2fffn, ['direct'], 2],
      [0x3001n, 0x3fffn, ['reserved'], 2],
      [0x8000n, 0x8fffn, ['msi'], 1],
    ]);
    expect(layout.usable).toEqual([{ start: 0x3000n, end: 0x3000n }, { start: 0x4000n, end: 0x7fffn }]);
    expect(layout.msiWindows.map((span) => [span.start, span.end])).toEqual([[0x8000n, 0x8fffn]]);
    expect(layout.aperture).toEqual(aperture);
    expect(layout.aperture).not.toBe(aperture);
  });

  it('a region straddling both ends is clipped to the aperture: nothing usable', () => {
    const layout = buildLayout({ start: 0x1000n, end: 0x1fffn }, [region(0n, 0xffffn, 'reserved')]);
    expect(layout.reserved.map((span) => [span.start, span.end])).toEqual([[0x1000n, 0x1fffn]]);
    expect(layout.usable).toEqual([]);
  });
});

describe('e820 text', () => {
  const layout = buildLayout(FOUR_GIB, [region(0x1000n, 0x1fffn, 'direct', 'RMRR'), region(0x1800n, 0x27ffn, 'msi', 'window')]);

  it('usable and reserved lines in address order, each reserved one after its sources; comments first', () => {
    expect(e820Lines(layout, ['plan'])).toEqual([
      '# plan',
      'e820: [mem 0x0000000000000000-0x0000000000000fff] usable',
      '#   direct: RMRR (kernel)',
      '#   msi: window (kernel)',
      'e820: [mem 0x0000000000001000-0x00000000000027ff] reserved',
      'e820: [mem 0x0000000000002800-0x00000000ffffffff] usable',
    ]);
    expect(formatE820(layout)).toBe(`${e820Lines(layout).join('\n')}\n`);
  });

  it('one source line for two regions of the same type and source', () => {
    const twice = buildLayout(FOUR_GIB, [region(0x1000n, 0x1fffn, 'direct', 'RMRR'), region(0x2000n, 0x2fffn, 'direct', 'RMRR')]);
    expect(e820Lines(twice).filter((line) => line.startsWith('#'))).toEqual(['#   direct: RMRR (kernel)']);
  });
});

describe('device-tree text', () => {
  it('the fixed header, one child per span with its sources as comments, a "*/" in a comment defused', () => {
    const layout = buildLayout(FOUR_GIB, [region(0x1_0000n, 0x1_ffffn, 'reserved', 'IVMD */ x')]);
    expect(deviceTreeLines(layout, ['RAM */ plan'])).toEqual([
      '/dts-v1/;',
      '',
      '/* RAM * / plan */',
      '/ {',
      '\t#address-cells = <2>;',
      '\t#size-cells = <2>;',
      '',
      '\treserved-memory {',
      '\t\t#address-cells = <2>;',
      '\t\t#size-cells = <2>;',
      '\t\tranges;',
      '',
      '\t\t/* reserved: IVMD * / x (kernel) */',
      '\t\tiommu-resv@10000 {',
      '\t\t\treg = <0x0 0x10000 0x0 0x10000>;',
      '\t\t\tno-map;',
      '\t\t};',
      '\t};',
      '};',
    ]);
    expect(formatDeviceTree(layout)).toBe(`${deviceTreeLines(layout).join('\n')}\n`);
  });

  it('cells split a 64-bit value at bit 32', () => {
    const layout = buildLayout({ start: 0n, end: (1n << 40n) - 1n }, [region(0x1_2345_6000n, 0x3_2345_5fffn, 'direct')]);
    expect(deviceTreeLines(layout)).toContain('\t\t\treg = <0x1 0x23456000 0x2 0x0>;');
  });

  it('a span of the whole 64-bit space is two children of 2^63 bytes (a size must fit two cells)', () => {
    const layout = buildLayout({ start: 0n, end: (1n << 64n) - 1n }, [region(0n, (1n << 64n) - 1n, 'reserved')]);
    const lines = deviceTreeLines(layout);
    expect(lines.filter((line) => line.includes('reg = '))).toEqual(['\t\t\treg = <0x0 0x0 0x80000000 0x0>;', '\t\t\treg = <0x80000000 0x0 0x80000000 0x0>;']);
    expect(lines.filter((line) => line.includes('iommu-resv@'))).toEqual(['\t\tiommu-resv@0 {', '\t\tiommu-resv@8000000000000000 {']);
  });

  it('a span of 2^63 + 1 bytes: a full child and a one-byte child', () => {
    const layout = buildLayout({ start: 0n, end: (1n << 64n) - 1n }, [region(0x1000n, 0x1000n + (1n << 63n), 'reserved')]);
    expect(deviceTreeLines(layout).filter((line) => line.includes('reg = '))).toEqual(['\t\t\treg = <0x0 0x1000 0x80000000 0x0>;', '\t\t\treg = <0x80000000 0x1000 0x0 0x1>;']);
  });
});

describe('guest RAM plan', () => {
  const msiAt = (start: bigint, end: bigint) => region(start, end, 'sw-msi');

  it('the floor is the end of the highest MSI window below 4 GiB; a window starting at 4 GiB does not count', () => {
    const layout = buildLayout({ start: 0n, end: (1n << 36n) - 1n }, [msiAt(0x800_0000n, 0x80f_ffffn), msiAt(0xfee0_0000n, 0xfeef_ffffn), msiAt(0x1_0000_0000n, 0x1_000f_ffffn)]);
    expect(planGuestRam(layout, { alignment: 0x10_0000n }).aboveMsi).toEqual({ base: 0xfef0_0000n, limit: 0xffff_ffffn });
  });

  it('a window just below 4 GiB counts; an earlier higher window keeps the floor', () => {
    const layout = buildLayout({ start: 0n, end: (1n << 36n) - 1n }, [msiAt(0xffff_f000n, 0xffff_ffffn)]);
    expect(planGuestRam(layout, { alignment: 0x1000n }).aboveMsi).toEqual({ base: 0x1_0000_0000n, limit: (1n << 36n) - 1n });
    const two = buildLayout(FOUR_GIB, [msiAt(0x2000n, 0x2fffn), msiAt(0x1000n, 0x1fffn)]);
    expect(planGuestRam(two, { alignment: 0x1000n }).aboveMsi).toEqual({ base: 0x3000n, limit: 0xffff_ffffn });
  });

  it('a block must fit inside one usable range, the last byte included', () => {
    // usable [0, 0xfff] and [0x3000, 0xffffffff]; 0x1000 bytes fit at 0 exactly, 0x1001 only at 0x3000.
    const layout = buildLayout(FOUR_GIB, [region(0x1000n, 0x2fffn, 'reserved')]);
    expect(planGuestRam(layout, { size: 0x1000n, alignment: 0x1000n }).fit).toEqual({ base: 0n, end: 0xfffn });
    expect(planGuestRam(layout, { size: 0x1001n, alignment: 0x1000n }).fit).toEqual({ base: 0x3000n, end: 0x4000n });
    // Alignment moves the base up inside a range: 0x3000 → 0x4000 with 0x2000 alignment.
    expect(planGuestRam(layout, { size: 0x1001n, alignment: 0x2000n }).fit).toEqual({ base: 0x4000n, end: 0x5000n });
  });

  it('refuses a non-positive alignment or size', () => {
    const layout = buildLayout(FOUR_GIB, []);
    expect(() => planGuestRam(layout, { alignment: 0n })).toThrow('RAM alignment must be positive');
    expect(() => planGuestRam(layout, { size: 0n })).toThrow('RAM size must be positive');
    expect(planGuestRam(layout)).toEqual({ alignment: 0x20_0000n, aboveMsi: { base: 0n, limit: 0xffff_ffffn } });
  });

  it('lines: found and not found, with sizes in words', () => {
    expect(ramPlanLines({ alignment: 0x20_0000n, aboveMsi: { base: 0x820_0000n, limit: 0xffff_ffffn }, size: 1n << 32n, fit: { base: 0x820_0000n, end: 0x1_081f_ffffn } })).toEqual([
      'guest RAM: lowest base above the MSI windows below 4 GiB: 0x8200000 (2 MiB aligned; usable up to 0xffffffff)',
      'guest RAM: first gap holding 4 GiB: base 0x8200000, end 0x1081fffff',
    ]);
    expect(ramPlanLines({ alignment: 0x1000n, size: 0x1801n })).toEqual([
      'guest RAM: no 4 KiB-aligned usable address above the MSI windows below 4 GiB',
      'guest RAM: no usable gap holds 0x1801 bytes',
    ]);
    expect(ramPlanLines({ alignment: 1n << 40n })).toEqual(['guest RAM: no 1 TiB-aligned usable address above the MSI windows below 4 GiB']);
  });

  it('sizes: the largest unit that divides, else hex bytes', () => {
    expect([sizeText(1n << 30n), sizeText(3n << 20n), sizeText(1024n), sizeText(1023n), sizeText(1536n), sizeText(0n)]).toEqual(['1 GiB', '3 MiB', '1 KiB', '0x3ff bytes', '0x600 bytes', '0x0 bytes']);
  });

  it('parseSize: every unit letter, case and spacing', () => {
    expect([parseSize('1t'), parseSize('1P'), parseSize('2 mib'), parseSize(' 8b '), parseSize('0X10k')]).toEqual([1n << 40n, 1n << 50n, 2n << 20n, 8n, 16n << 10n]);
    expect([parseSize('1kx'), parseSize('x1k'), parseSize('1 q')]).toEqual([undefined, undefined, undefined]);
  });
});

describe('layout JSON', () => {
  it('aperture, reserved with types and sources, usable, MSI windows, the RAM plan or null', () => {
    const layout = buildLayout(FOUR_GIB, [region(0x1000n, 0x1fffn, 'msi', 'window')]);
    expect(layoutJson(layout)).toEqual({
      aperture: { start: 0n, end: 0xffff_ffffn },
      reserved: [{ start: 0x1000n, end: 0x1fffn, types: ['msi'], sources: ['msi: window (kernel)'] }],
      usable: [{ start: 0n, end: 0xfffn }, { start: 0x2000n, end: 0xffff_ffffn }],
      msiWindows: [{ start: 0x1000n, end: 0x1fffn, types: ['msi'] }],
      ram: null,
    });
    const plan = planGuestRam(layout, { alignment: 0x1000n });
    expect(layoutJson(layout, plan).ram).toBe(plan);
  });
});
