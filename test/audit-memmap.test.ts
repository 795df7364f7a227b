/** Memory-map inputs of `audit`: /sys/firmware/memmap trees, kernel-log E820 lines, JSON. */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryMapFormatError, memoryKind, memoryMap, memoryMapFromJson, parseDmesgE820, parseMemoryMapText, rangeCoverage } from '../src/audit/index.js';
import { readMemoryMap } from '../src/node/memmap.js';
import { writeFakeMemmap } from './support/fake-memmap.js';

const temp = mkdtempSync(join(tmpdir(), 'acpi-iommu-memmap-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('memory kinds', () => {
  it('maps sysfs, kernel-log and UEFI type names', () => {
    const cases: [string, string][] = [
      ['System RAM', 'ram'], ['usable', 'ram'], ['Reserved', 'reserved'], ['reserved', 'reserved'], ['ACPI Tables', 'acpi-data'],
      ['ACPI data', 'acpi-data'], ['ACPI Non-volatile Storage', 'nvs'], ['ACPI NVS', 'nvs'], ['Unusable memory', 'unusable'],
      ['unusable', 'unusable'], ['Persistent Memory', 'persistent'], ['Persistent Memory (legacy)', 'persistent'], ['persistent (type 12)', 'persistent'],
      ['Soft Reserved', 'soft-reserved'], ['soft reserved', 'soft-reserved'], ['EfiConventionalMemory', 'ram'], ['EfiReservedMemoryType', 'reserved'],
      ['EfiACPIMemoryNVS', 'nvs'], ['EfiRuntimeServicesData', 'firmware'], ['type 13', 'unknown'],
    ];
    for (const [type, kind] of cases) expect(memoryKind(type), type).toBe(kind);
  });
});

describe('/sys/firmware/memmap trees', () => {
  it('reads numbered entries in numeric order, from the directory or a sysfs root', async () => {
    const entries: [string, string, string][] = Array.from({ length: 11 }, (_, index) => [`0x${(index * 0x100000).toString(16)}`, `0x${(index * 0x100000 + 0xfffff).toString(16)}`, index === 10 ? 'Reserved' : 'System RAM']);
    const sysRoot = join(temp, 'sys');
    writeFakeMemmap(join(sysRoot, 'firmware', 'memmap'), entries);
    for (const path of [join(sysRoot, 'firmware', 'memmap'), sysRoot]) {
      const map = await readMemoryMap(path);
      expect(map.source).toBe('sysfs');
      expect(map.view).toBe('firmware');
      expect(map.viewNote).toMatch(/e820_table_firmware/);
      expect(map.entries).toHaveLength(11);
      expect(map.entries[10]).toEqual({ start: 0xa00000n, end: 0xafffffn, type: 'Reserved', kind: 'reserved' });
    }
  });

  it('skips unreadable entries with a note and rejects empty trees', async () => {
    const root = writeFakeMemmap(join(temp, 'partial'), [['0x0', '0xfff', 'Reserved'], ['zz', '0x1fff', 'System RAM']]);
    const map = await readMemoryMap(root);
    expect(map.entries).toHaveLength(1);
    expect(map.notes.join()).toMatch(/1\/: unreadable/);
    mkdirSync(join(temp, 'empty'));
    await expect(readMemoryMap(join(temp, 'empty'))).rejects.toThrow(MemoryMapFormatError);
  });
});

const DMESG = `[    0.000000] Linux version 6.1.0-18-amd64
[    0.000000] BIOS-provided physical RAM map:
[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable
[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved
[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable
[    0.000000] BIOS-e820: [mem 0x0000000080000000-0x00000000807fffff] ACPI NVS
[    0.000000] BIOS-e820: [mem 0x0000000080800000-0x0000000080ffffff] ACPI data
[    0.000000] BIOS-e820: [mem 0x00000000feffc000-0x00000000feffffff] reserved
[    0.000000] e820: update [mem 0x00000000-0x00000fff] usable ==> reserved
[    0.000000] e820: remove [mem 0x000a0000-0x000fffff] usable
[    0.000000] reserve setup_data: [mem 0x0000000000000000-0x000000000009fbff] usable
`;

/** A boot whose setup changes the map before DMAR is parsed (e820.c / setup.c print every step). */
const DMESG_CHANGED = `${DMESG.split('\n').slice(0, 10).join('\n')}
[    0.000000] e820: update [mem 0x7ff00000-0x7ff0ffff] usable ==> usable
[    0.000000] extended physical RAM map:
[    0.000000] reserve setup_data: [mem 0x0000000000000000-0x0000000000000fff] reserved
[    0.000000] reserve setup_data: [mem 0x0000000000001000-0x000000000009fbff] usable
[    0.000000] reserve setup_data: [mem 0x000000000009fc00-0x000000000009ffff] reserved
[    0.000000] reserve setup_data: [mem 0x0000000000100000-0x000000007fefffff] usable
[    0.000000] reserve setup_data: [mem 0x000000007ff00000-0x000000007ff0ffff] usable
[    0.000000] reserve setup_data: [mem 0x000000007ff10000-0x000000007fffffff] usable
[    0.000000] reserve setup_data: [mem 0x0000000080000000-0x00000000807fffff] ACPI NVS
[    0.000000] reserve setup_data: [mem 0x0000000080800000-0x0000000080ffffff] ACPI data
[    0.000000] reserve setup_data: [mem 0x00000000feffc000-0x00000000feffffff] reserved
[    0.000000] WARNING: BIOS bug: CPU MTRRs don't cover all of memory, losing 16MB of RAM.
[    0.000000] e820: update [mem 0x7f000000-0x7fffffff] usable ==> reserved
[    0.000000] efi: Remove mem52: MMIO range=[0xfeffc000-0xfeffffff] (0MB) from e820 map
[    0.000000] e820: remove [mem 0xfeffc000-0xfeffffff] reserved
[    0.252224] DMAR: Host address width 39
[    0.300000] e820: update [mem 0x10000000-0x1fffffff] usable ==> reserved
`;

describe('kernel log: the kernel\'s e820 table when DMAR is parsed', () => {
  it('replays the last full map, then every update and remove, up to the DMAR parse', () => {
    const map = parseDmesgE820(DMESG_CHANGED);
    expect(map.source).toBe('dmesg');
    expect(map.view).toBe('kernel');
    // By hand: first page → reserved (trim_bios_range), the re-printed map, MTRR trim of
    // 0x7f000000–0x7fffffff, the EFI MMIO entry removed; the update after "DMAR:" is not applied.
    expect(map.entries.map((entry) => [entry.start, entry.end, entry.type])).toEqual([
      [0n, 0xfffn, 'reserved'], [0x1000n, 0x9fbffn, 'usable'], [0x9fc00n, 0x9ffffn, 'reserved'], [0x100000n, 0x7effffffn, 'usable'],
      [0x7f000000n, 0x7fffffffn, 'reserved'], [0x80000000n, 0x807fffffn, 'ACPI NVS'], [0x80800000n, 0x80ffffffn, 'ACPI data'],
    ]);
    expect(map.notes.join('; ')).toMatch(/reserve setup_data.*replayed up to the DMAR parse \(line 26\)/);
  });

  it('on AMD replays up to the IVRS parse, not past it and not to the command line\'s "AMD-Vi:" line, and says IVRS', () => {
    const amd = `${DMESG.split('\n').slice(0, 8).join('\n')}
[    0.000000] AMD-Vi: Unknown option - 'on'
[    0.000000] e820: update [mem 0x7f000000-0x7fffffff] usable ==> reserved
[    0.057960] AMD-Vi: Using global IVHD EFR:0x0, EFR2:0x0
[    0.300000] e820: update [mem 0x10000000-0x1fffffff] usable ==> reserved
`;
    const map = parseDmesgE820(amd);
    // By hand: the MTRR trim before the IVRS parse is applied (usable up to 0x7effffff), the update after it is not.
    expect(map.entries.map((entry) => [entry.start, entry.end, entry.type])).toEqual([
      [0n, 0x9fbffn, 'usable'], [0x9fc00n, 0x9ffffn, 'reserved'], [0x100000n, 0x7effffffn, 'usable'], [0x7f000000n, 0x7fffffffn, 'reserved'],
      [0x80000000n, 0x807fffffn, 'ACPI NVS'], [0x80800000n, 0x80ffffffn, 'ACPI data'], [0xfeffc000n, 0xfeffffffn, 'reserved'],
    ]);
    expect(map.notes).toContain('replayed up to the IVRS parse (line 11)');
    expect(map.notes.join()).not.toMatch(/DMAR/);
    const hid = parseDmesgE820(amd.replace('Using global IVHD EFR:0x0, EFR2:0x0', 'ivrs, add hid:AMDI0020, uid:\\_SB.FUR0, rdevid:160'));
    expect(hid.notes).toContain('replayed up to the IVRS parse (line 11)');
  });

  it('names both tables\' parse lines when the log has neither', () => {
    const notes = parseDmesgE820(DMESG.split('\n').slice(0, 8).join('\n')).notes.join();
    expect(notes).toMatch(/no line of a DMAR or IVRS parse \(DMAR: Host address width \/ RMRR base; AMD-Vi: ivrs, add hid \/ Using global IVHD EFR\) in the log/);
  });

  it('applies update and remove lines without a re-print, and says when the log shows no change', () => {
    const plain = DMESG.split('\n').slice(0, 8).join('\n');
    const updated = parseDmesgE820(`${plain}\n[    0.000000] e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n[    0.000000] e820: remove [mem 0x00100000-0x001fffff]\n`);
    expect(updated.entries.slice(0, 4).map((entry) => [entry.start, entry.end, entry.type])).toEqual([
      [0n, 0xfffn, 'reserved'], [0x1000n, 0x9fbffn, 'usable'], [0x9fc00n, 0x9ffffn, 'reserved'], [0x200000n, 0x7fffffffn, 'usable'],
    ]);
    expect(updated.notes.join()).toMatch(/2 e820 update\/remove line/);
    expect(parseDmesgE820(plain).notes.join()).toMatch(/shows no change after BIOS-e820/);
  });

  it('reads journalctl prefixes and the pre-3.x format (exclusive end), keeps the first of two boots', () => {
    const legacy = 'Jan 01 kernel:  BIOS-e820: 0000000000000000 - 000000000009f800 (usable)\nJan 01 kernel:  BIOS-e820: 00000000000f0000 - 0000000000100000 (reserved)\n';
    expect(parseDmesgE820(legacy).entries.map((entry) => [entry.start, entry.end, entry.type])).toEqual([[0n, 0x9f7ffn, 'usable'], [0xf0000n, 0xfffffn, 'reserved']]);
    const firstBoot = DMESG.split('\n').slice(0, 8).join('\n');
    const twice = parseDmesgE820(`${firstBoot}\n-- Boot 2 --\n${firstBoot}`);
    expect(twice.entries).toHaveLength(6);
    expect(twice.notes.join()).toMatch(/second BIOS-e820 table/);
  });

  it('is told apart from JSON even though its lines start with "["', () => {
    expect(parseMemoryMapText(DMESG).source).toBe('dmesg');
    expect(() => parseMemoryMapText('nothing here')).toThrow(/no "BIOS-e820/);
  });
});

describe('JSON memory maps', () => {
  it('accepts numbers and "0x…" text, an array or {entries}', () => {
    const map = memoryMapFromJson([{ start: '0x1000', end: 8191, type: 'Reserved' }, { start: 0, end: '0xfff', type: 'System RAM' }]);
    expect(map.entries.map((entry) => entry.start)).toEqual([0n, 0x1000n]);
    expect(memoryMapFromJson({ entries: [{ start: 0, end: 1, type: 'x' }] }).entries).toHaveLength(1);
    expect(parseMemoryMapText('[{"start":"0x0","end":"0xfff","type":"reserved"}]').source).toBe('json');
  });

  it('says which view it is: "view" when given, else unknown', () => {
    const entries = [{ start: 0, end: 1, type: 'reserved' }];
    expect(memoryMapFromJson(entries).view).toBe('unknown');
    expect(memoryMapFromJson(entries).viewNote).toMatch(/not said which map/);
    expect(memoryMapFromJson({ view: 'kernel', entries }).view).toBe('kernel');
    expect(memoryMapFromJson({ view: 'firmware', entries }).view).toBe('firmware');
    expect(() => memoryMapFromJson({ view: 'bios', entries })).toThrow(/"view" must be/);
  });

  it('names the bad entries', () => {
    expect(() => memoryMapFromJson([{ start: 5, end: 1, type: 'Reserved' }])).toThrow(/\[0\] needs start ≤ end/);
    expect(() => memoryMapFromJson({ nope: 1 })).toThrow(/expected a JSON array/);
    expect(() => memoryMapFromJson([])).toThrow(/empty/);
    expect(() => parseMemoryMapText('{"entries": [')).toThrow(/not JSON/);
  });
});

describe('coverage views', () => {
  const map = memoryMap('json', [
    { start: 0x0n, end: 0xfffffn, type: 'System RAM' },
    { start: 0x100000n, end: 0x1fffffn, type: 'Reserved' },
    { start: 0x200000n, end: 0x2fffffn, type: 'ACPI NVS' },
    { start: 0x400000n, end: 0x4fffffn, type: 'Reserved' },
  ]);
  const accepted = ['reserved', 'nvs'] as const;

  it('inside one entry, across several, partly, outside; RAM and holes named', () => {
    expect(rangeCoverage({ start: 0x100000n, end: 0x100fffn }, map, accepted)).toMatchObject({ verdict: 'inside', coveredBytes: 0x1000n });
    expect(rangeCoverage({ start: 0x1ff000n, end: 0x200fffn }, map, accepted)).toMatchObject({ verdict: 'inside-union', coveredBytes: 0x2000n });
    const partly = rangeCoverage({ start: 0x2ff000n, end: 0x400fffn }, map, accepted);
    expect(partly).toMatchObject({ verdict: 'partly', coveredBytes: 0x2000n, holes: [{ start: 0x300000n, end: 0x3fffffn }] });
    const ram = rangeCoverage({ start: 0xff000n, end: 0x100fffn }, map, accepted);
    expect(ram.osMemory).toEqual([{ start: 0xff000n, end: 0xfffffn }]);
    expect(rangeCoverage({ start: 0x600000n, end: 0x600fffn }, map, accepted)).toMatchObject({ verdict: 'outside', coveredBytes: 0n, overlapping: [] });
    expect(rangeCoverage({ start: 0x200000n, end: 0x200fffn }, map, ['reserved']).verdict).toBe('outside');
  });
});
