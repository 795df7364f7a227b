/**
 * `iova --format e820|dt|json` and the layout logic of src/regions/layouts.ts, on the T2 vector
 * (DMAR, docs/kernel-semantics.md §7) and the A1/A4 vectors (IORT, + MADT ITS for A4).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildLayout, formatDeviceTree, formatE820, parseSize, planGuestRam } from '../src/regions/layouts.js';
import type { IovaRange, RegionDescriptor } from '../src/regions/index.js';
import { makeFakeSysfs } from './support/fake-sysfs.js';
import { buildDmar, buildIort, buildMadtWithIts, type IortSpec } from './support/region-tables.js';
import { runCli } from './support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-iova-format-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// T2: RMRR [0x3e2e0000, 0x3e2fffff] on the NIC 00:1f.6 (direct), 39-bit host address width.
const t2 = join(work, 'DMAR.bin');
writeFileSync(t2, buildDmar({ rmrrs: [{ base: 0x3e2e0000n, end: 0x3e2fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1f, 6]] }] }] }));
const T2_USABLE = [[0x0n, 0x3e2dffffn], [0x3e300000n, 0xfedfffffn], [0xfef00000n, 0x7fffffffffn]];
const T2_RESERVED = [[0x3e2e0000n, 0x3e2fffffn], [0xfee00000n, 0xfeefffffn]];

// A1: RC → SMMUv3 (model 0) → ITS group {0}; A4: the same with a HiSilicon SMMUv3 and ITS 0 at 0x202100000.
const A1: IortSpec = { rc: [{ input: 0, count: 0xffff, output: 0, target: 'smmu' }], smmu: [{ input: 0, count: 0xffff, output: 0, target: 'its' }] };
const a1 = join(work, 'a1');
const a4 = join(work, 'a4');
mkdirSync(a1);
mkdirSync(a4);
writeFileSync(join(a1, 'IORT.bin'), buildIort(A1));
writeFileSync(join(a4, 'IORT.bin'), buildIort({ ...A1, smmuModel: 1 }));
writeFileSync(join(a4, 'APIC.bin'), buildMadtWithIts([{ id: 0, base: 0x202100000n }]));

const run = (...args: string[]) => runCli(['iova', ...args]);

const pairs = (ranges: readonly { start: string | bigint; end: string | bigint }[]) => ranges.map((range) => [BigInt(range.start), BigInt(range.end)]);

/** The e820 lines as [start, end, kind]; checks every non-comment line has the exact documented shape. */
function parseE820(text: string): [bigint, bigint, string][] {
  const entries: [bigint, bigint, string][] = [];
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^e820: \[mem (0x[0-9a-f]{16})-(0x[0-9a-f]{16})\] (usable|reserved)$/.exec(line);
    expect(match, line).not.toBeNull();
    entries.push([BigInt(match![1]!), BigInt(match![2]!), match![3]!]);
  }
  return entries;
}

/** Reads the reserved-memory children back, checking the dts shape (balanced braces, `;` after every statement). */
function parseDts(text: string): bigint[][] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '');
  expect(code.startsWith('/dts-v1/;')).toBe(true);
  expect([...code].filter((c) => c === '{').length).toBe([...code].filter((c) => c === '}').length);
  for (const line of code.split('\n').map((item) => item.trim()).filter((item) => item !== '')) expect(line, line).toMatch(/(;|\{)$/);
  expect(code).toMatch(/reserved-memory \{\s*#address-cells = <2>;\s*#size-cells = <2>;\s*ranges;/);
  const ranges: bigint[][] = [];
  for (const match of code.matchAll(/iommu-resv@([0-9a-f]+) \{\s*reg = <(0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+)>;\s*no-map;\s*\};/g)) {
    const start = (BigInt(match[2]!) << 32n) | BigInt(match[3]!);
    const size = (BigInt(match[4]!) << 32n) | BigInt(match[5]!);
    expect(match[1]).toBe(start.toString(16)); // unit address = first reg address
    ranges.push([start, start + size - 1n]);
  }
  expect(ranges.length).toBe(code.match(/iommu-resv@/g)?.length ?? 0);
  return ranges;
}

describe('iova --format on T2 (Intel, 39-bit)', () => {
  it('e820: usable and reserved lines cover the aperture in order', async () => {
    const result = await run(t2, '--format', 'e820');
    expect([result.code, result.stderr]).toEqual([0, '']);
    const entries = parseE820(result.stdout);
    expect(entries.filter((entry) => entry[2] === 'usable').map(([start, end]) => [start, end])).toEqual(T2_USABLE);
    expect(entries.filter((entry) => entry[2] === 'reserved').map(([start, end]) => [start, end])).toEqual(T2_RESERVED);
    expect(entries[0]![0]).toBe(0n);
    expect(entries[entries.length - 1]![1]).toBe(0x7fffffffffn);
    for (let index = 1; index < entries.length; index++) expect(entries[index]![0]).toBe(entries[index - 1]![1] + 1n);
    expect(result.stdout).toMatch(/^#   direct: DMAR RMRR @0x40 /m);
    expect(result.stdout).toMatch(/^# left usable \(direct-relaxable.*ISA bridge/m);
  });

  it('dt: one no-map reserved-memory node per reserved range, parsed back to the same ranges', async () => {
    const result = await run(t2, '--format', 'dt');
    expect(result.code).toBe(0);
    expect(parseDts(result.stdout)).toEqual(T2_RESERVED);
    expect(result.stdout).toContain('iommu-resv@3e2e0000 {\n\t\t\treg = <0x0 0x3e2e0000 0x0 0x20000>;\n\t\t\tno-map;\n\t\t};');
  });

  it('json: aperture, reserved with sources, usable; no RAM plan on Intel without --ram-size', async () => {
    const json = JSON.parse((await run(t2, '--format', 'json')).stdout);
    expect(json).toMatchObject({ platform: 'intel', aperture: { start: '0x0', end: '0x7fffffffff' }, ram: null });
    expect(pairs(json.usable)).toEqual(T2_USABLE);
    expect(pairs(json.reserved)).toEqual(T2_RESERVED);
    expect(json.reserved[0].types).toEqual(['direct']);
    expect(json.msiWindows).toEqual([{ start: '0xfee00000', end: '0xfeefffff', types: ['msi'] }]);
  });

  it('with --pci and a group: the layout of that group only (xHCI 00:14.0 is not in the RMRR scope)', async () => {
    const sysfs = makeFakeSysfs([
      { bdf: '0000:00:14.0', class: 0x0c0330, group: 1 },
      { bdf: '0000:00:1f.6', class: 0x020000, group: 4 },
    ]);
    try {
      expect(parseE820((await run(t2, '--pci', sysfs, '--group', '1', '--format', 'e820')).stdout).filter((entry) => entry[2] === 'reserved').map(([start, end]) => [start, end])).toEqual([[0xfee00000n, 0xfeefffffn]]);
      expect(parseE820((await run(t2, '--pci', sysfs, '--group', '4', '--format', 'e820')).stdout).filter((entry) => entry[2] === 'usable').map(([start, end]) => [start, end])).toEqual(T2_USABLE);
    } finally {
      rmSync(sysfs, { recursive: true, force: true });
    }
  });

  it('keeps the default text and --json output; rejects a bad --format, --json with --format, a bad size', async () => {
    const text = await run(t2);
    expect(text.stdout).toMatch(/^aperture 0x0000000000000000-0x0000007fffffffff/);
    expect(text.stdout).not.toMatch(/guest RAM/);
    expect(JSON.parse((await run(t2, '--json')).stdout).groups[0].vfio.ranges).toHaveLength(3);
    expect(await run(t2, '--format', 'xml')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--format takes text, e820, dt, json/) });
    expect(await run(t2, '--format', 'e820', '--json')).toMatchObject({ code: 2, stderr: expect.stringMatching(/ask for two formats/) });
    // --json and --format json are one document: the per-group lists and the combined layout.
    expect((await run(t2, '--json')).stdout).toBe((await run(t2, '--format', 'json')).stdout);
    expect(await run(t2, '--format', 'e820', '--ram-size', 'lots')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--ram-size takes a size/) });
    expect(await run(t2, '--format', 'e820', '--ram-align', '3M')).toMatchObject({ code: 2, stderr: expect.stringMatching(/power of two/) });
  });
});

describe('iova --format on Arm (A1, A4): where guest RAM can start', () => {
  it('A1: the lowest 2 MiB-aligned base above the SW MSI window, and exactly above it with 1 MiB alignment', async () => {
    const json = JSON.parse((await run(a1, '--format', 'json')).stdout);
    expect(pairs(json.msiWindows)).toEqual([[0x8000000n, 0x80fffffn]]);
    expect(json.ram).toEqual({ alignment: '0x200000', aboveMsi: { base: '0x8200000', limit: '0xffffffffffff' } });
    const exact = JSON.parse((await run(a1, '--format', 'json', '--ram-align', '1M', '--ram-size', '4G')).stdout);
    expect(exact.ram).toEqual({ alignment: '0x100000', aboveMsi: { base: '0x8100000', limit: '0xffffffffffff' }, size: '0x100000000', fit: { base: '0x8100000', end: '0x1080fffff' } });
    const e820 = await run(a1, '--format', 'e820');
    expect(parseE820(e820.stdout).filter((entry) => entry[2] === 'reserved').map(([start, end]) => [start, end])).toEqual([[0x8000000n, 0x80fffffn]]);
    expect(e820.stdout).toMatch(/^# guest RAM: lowest base above the MSI windows below 4 GiB: 0x8200000 \(2 MiB aligned; usable up to 0xffffffffffff\)$/m);
  });

  it('A4: the ITS doorbell page is a second MSI window; 8 GiB does not fit below it', async () => {
    const json = JSON.parse((await run(a4, '--format', 'json', '--ram-size', '8G')).stdout);
    expect(pairs(json.msiWindows)).toEqual([[0x8000000n, 0x80fffffn], [0x202110000n, 0x20211ffffn]]);
    expect(json.ram.aboveMsi).toEqual({ base: '0x8200000', limit: '0x20210ffff' });
    expect(json.ram.fit).toEqual({ base: '0x202200000', end: '0x4021fffff' });
    const dt = await run(a4, '--format', 'dt', '--ram-size', '4G');
    expect(parseDts(dt.stdout)).toEqual([[0x8000000n, 0x80fffffn], [0x202110000n, 0x20211ffffn]]);
    expect(dt.stdout).toMatch(/\/\* guest RAM: first gap holding 4 GiB: base 0x8200000, end 0x1081fffff \*\//);
    expect((await run(a4, '--ram-size', '8G')).stdout).toMatch(/^guest RAM: first gap holding 8 GiB: base 0x202200000, end 0x4021fffff$/m);
  });
});

describe('layouts (pure)', () => {
  const region = (start: bigint, end: bigint, type: RegionDescriptor['type']): RegionDescriptor => ({ start, end, type, prot: 0, source: { table: 'kernel', structure: 'test' } });
  const aperture: IovaRange = { start: 0n, end: 0xffff_ffffn };

  it('merges overlapping and touching regions, clips to the aperture, skips relaxable and malformed ones', async () => {
    const layout = buildLayout(aperture, [
      region(0x1000n, 0x1fffn, 'direct'),
      region(0x2000n, 0x2fffn, 'msi'),
      region(0x2800n, 0x3fffn, 'reserved'),
      region(0x8000n, 0xffffn, 'direct-relaxable'),
      region(0x9000n, 0x8fffn, 'direct'),
      region(0xffff_0000n, 0x1_0000_ffffn, 'sw-msi'),
    ]);
    expect(layout.reserved.map((span) => [span.start, span.end, span.types])).toEqual([[0x1000n, 0x3fffn, ['direct', 'msi', 'reserved']], [0xffff_0000n, 0xffff_ffffn, ['sw-msi']]]);
    expect(layout.usable).toEqual([{ start: 0n, end: 0xfffn }, { start: 0x4000n, end: 0xfffe_ffffn }]);
    expect(layout.skipped.map((item) => item.type)).toEqual(['direct-relaxable', 'direct']);
    expect(parseE820(formatE820(layout)).map((entry) => entry[2])).toEqual(['usable', 'reserved', 'usable', 'reserved']);
    expect(parseDts(formatDeviceTree(layout, ['a comment with */ inside']))).toEqual([[0x1000n, 0x3fffn], [0xffff_0000n, 0xffff_ffffn]]);
  });

  it('plans guest RAM: no MSI window → the aperture start; a size that fits nowhere → no fit', async () => {
    expect(planGuestRam(buildLayout(aperture, []), { size: 0x1000n, alignment: 0x1000n })).toEqual({ alignment: 0x1000n, aboveMsi: { base: 0n, limit: 0xffff_ffffn }, size: 0x1000n, fit: { base: 0n, end: 0xfffn } });
    const plan = planGuestRam(buildLayout(aperture, [region(0x8000000n, 0x80fffffn, 'sw-msi')]), { size: 0x1_0000_0000n });
    expect(plan.fit).toBeUndefined();
    expect(plan.aboveMsi).toEqual({ base: 0x8200000n, limit: 0xffff_ffffn });
  });

  it('parses sizes with binary units', async () => {
    expect([parseSize('4G'), parseSize('512M'), parseSize('64k'), parseSize('2GiB'), parseSize('0x1000'), parseSize('4096'), parseSize('1 TB')]).toEqual([1n << 32n, 512n << 20n, 64n << 10n, 2n << 30n, 0x1000n, 4096n, 1n << 40n]);
    expect([parseSize(''), parseSize('G'), parseSize('4X'), parseSize('-1G')]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
