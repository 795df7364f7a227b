/**
 * src/audit/memmap.ts at its edges (docs/mutation.md, src/audit): which address texts and numbers
 * a JSON map accepts, the exact messages of a refused map, the default view per source, the sort,
 * and how text is told apart from JSON. Expected values by hand from the documented formats
 * (memmap.ts header: end inclusive, numbers or "0x…" text; `{entries, view}`).
 */
import { describe, expect, it } from 'vitest';
import { MemoryMapFormatError, memoryKind, memoryMap, memoryMapFromJson, parseDmesgE820, parseMemoryMapText } from '../src/audit/index.js';

const one = (start: unknown, end: unknown = start) => memoryMapFromJson([{ start, end, type: 'Reserved' }]).entries.map((entry) => [entry.start, entry.end]);
const BAD = '[0] needs start ≤ end (numbers or "0x…" text, end inclusive) and a type text';
const refused = (value: unknown) => {
  try {
    memoryMapFromJson(value);
  } catch (error) {
    expect(error).toBeInstanceOf(MemoryMapFormatError);
    expect((error as Error).name).toBe('MemoryMapFormatError');
    return (error as Error).message;
  }
  return 'accepted';
};

describe('address fields of a JSON map', () => {
  it('numbers: whole, safe and not negative; 0 is an address', () => {
    expect(one(0)).toEqual([[0n, 0n]]);
    expect(one(0x1000, 0x1fff)).toEqual([[0x1000n, 0x1fffn]]);
    expect(one(2 ** 53 - 1)).toEqual([[2n ** 53n - 1n, 2n ** 53n - 1n]]);
    for (const bad of [-1, 1.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY]) expect(refused([{ start: bad, end: 0x1000, type: 'Reserved' }]), String(bad)).toBe(BAD);
  });

  it('bigint: not negative', () => {
    expect(one(0n, 0xffffffffffffffffn)).toEqual([[0n, 0xffffffffffffffffn]]);
    expect(refused([{ start: -1n, end: 0n, type: 'Reserved' }])).toBe(BAD);
  });

  it('text: "0x…" (either case) or decimal, surrounding blanks ignored, nothing else', () => {
    expect(one(' 0x10 ', '0X1F')).toEqual([[0x10n, 0x1fn]]);
    expect(one('16', '0xFFff')).toEqual([[16n, 0xffffn]]);
    for (const bad of ['-5', '0x', '', '12abc', 'abc12', 'x10', '0x10 20', '1e3']) expect(refused([{ start: bad, end: '0x10000', type: 'Reserved' }]), bad).toBe(BAD);
  });

  it('anything else is refused', () => {
    for (const bad of [null, undefined, true, {}, [1]]) expect(refused([{ start: bad, end: 0x1000, type: 'Reserved' }])).toBe(BAD);
    for (const bad of [null, -1, '0x', 1.5]) expect(refused([{ start: 0, end: bad, type: 'Reserved' }]), `end ${String(bad)}`).toBe(BAD);
  });
});

describe('JSON maps refused, with the reason', () => {
  it('an entry needs a text type and end ≥ start (end = start is one byte)', () => {
    expect(refused([{ start: 0x2000, end: 0x1fff, type: 'Reserved' }])).toBe(BAD);
    expect(one(0x2000, 0x2000)).toEqual([[0x2000n, 0x2000n]]);
    expect(refused([{ start: 0, end: 1, type: 7 }])).toBe(BAD);
    expect(refused([{ start: 0, end: 1 }])).toBe(BAD);
  });

  it('entries that are not objects are named by index; at most five reasons, joined by "; "', () => {
    const good = { start: 0, end: 1, type: 'Reserved' };
    expect(refused([good, null, 5, 'x', undefined])).toBe([1, 2, 3, 4].map((index) => BAD.replace('[0]', `[${index}]`)).join('; '));
    const seven = Array.from({ length: 7 }, () => ({ start: 1, end: 0, type: 'Reserved' }));
    expect(refused(seven)).toBe([0, 1, 2, 3, 4].map((index) => BAD.replace('[0]', `[${index}]`)).join('; '));
  });

  it('not a list, an empty list, a bad view', () => {
    const list = 'expected a JSON array of {start, end, type} (end inclusive)';
    for (const value of [null, undefined, 5, 'text', {}, { entries: 'x' }]) expect(refused(value)).toBe(list);
    expect(refused([])).toBe('the memory map is empty');
    expect(refused({ entries: [] })).toBe('the memory map is empty');
    expect(refused({ entries: [{ start: 0, end: 1, type: 'Reserved' }], view: 'bios' })).toBe('"view" must be "firmware" or "kernel"');
  });
});

describe('views and order', () => {
  const entries = [{ start: 0x3000n, end: 0x3fffn, type: 'Reserved' }, { start: 0x1000n, end: 0x1fffn, type: 'usable' }, { start: 0x2000n, end: 0x2fffn, type: 'ACPI NVS' }];

  it('the view each source stands for unless told; told views kept', () => {
    expect(memoryMap('sysfs', entries).view).toBe('firmware');
    expect(memoryMap('dmesg', entries).view).toBe('kernel');
    expect(memoryMap('json', entries).view).toBe('unknown');
    expect(memoryMap('sysfs', entries, [], 'kernel').view).toBe('kernel');
    expect(memoryMapFromJson({ entries: [{ start: 0, end: 1, type: 'Reserved' }], view: 'kernel' }).view).toBe('kernel');
    expect(memoryMapFromJson({ entries: [{ start: 0, end: 1, type: 'Reserved' }], view: 'firmware' }).view).toBe('firmware');
    expect(memoryMapFromJson({ entries: [{ start: 0, end: 1, type: 'Reserved' }] }).view).toBe('unknown');
    expect(memoryMapFromJson([{ start: 0, end: 1, type: 'Reserved' }])).toMatchObject({ source: 'json', view: 'unknown', notes: [] });
  });

  it('entries sorted by start, each with its kind; notes kept', () => {
    const map = memoryMap('json', entries, ['n']);
    expect(map.entries).toEqual([
      { start: 0x1000n, end: 0x1fffn, type: 'usable', kind: 'ram' },
      { start: 0x2000n, end: 0x2fffn, type: 'ACPI NVS', kind: 'nvs' },
      { start: 0x3000n, end: 0x3fffn, type: 'Reserved', kind: 'reserved' },
    ]);
    expect(map.notes).toEqual(['n']);
    expect(memoryMap('sysfs', entries).notes).toEqual([]);
    expect(memoryMap('json', [...entries].reverse()).entries.map((entry) => entry.start)).toEqual([0x1000n, 0x2000n, 0x3000n]);
  });

  it('entries with one start keep the order they were given in', () => {
    const same = [{ start: 0x1000n, end: 0x1fffn, type: 'Reserved' }, { start: 0x1000n, end: 0x17ffn, type: 'ACPI NVS' }];
    expect(memoryMap('json', same).entries.map((entry) => entry.type)).toEqual(['Reserved', 'ACPI NVS']);
    expect(memoryMap('json', [...same].reverse()).entries.map((entry) => entry.type)).toEqual(['ACPI NVS', 'Reserved']);
  });

  it('type names trimmed; an unknown name is "unknown"', () => {
    expect(memoryKind('  Reserved  ')).toBe('reserved');
    expect(memoryKind(' usable ')).toBe('ram');
    expect(memoryKind('Persistent Memory (legacy)')).toBe('persistent');
    expect(memoryKind('type 13')).toBe('unknown');
    expect(memoryKind('')).toBe('unknown');
  });
});

describe('kernel-log text or JSON', () => {
  const E820 = '[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n';

  it('a log without BIOS-e820 lines: the exact reason', () => {
    const reason = 'no "BIOS-e820: [mem 0x…-0x…] type" lines (the kernel log of an x86 boot has them at the start)';
    expect(() => parseDmesgE820('[    0.000000] Linux version 6.1.0\n')).toThrow(new MemoryMapFormatError(reason));
    expect(() => parseMemoryMapText('Linux version 6.1.0')).toThrow(reason);
  });

  it('a log whose lines start with "[" is a log; JSON after blanks is JSON', () => {
    const log = parseMemoryMapText(E820);
    expect(log).toMatchObject({ source: 'dmesg', view: 'kernel' });
    expect(log.entries.map((entry) => [entry.start, entry.end, entry.kind])).toEqual([[0n, 0x9ffffn, 'ram']]);
    expect(parseMemoryMapText('\n  [{"start": "0x0", "end": "0xfff", "type": "Reserved"}]')).toMatchObject({ source: 'json', entries: [{ start: 0n, end: 0xfffn }] });
    expect(parseMemoryMapText(' {"entries": [{"start": 0, "end": 4095, "type": "Reserved"}], "view": "firmware"}')).toMatchObject({ source: 'json', view: 'firmware' });
  });

  it('broken JSON: says it is not JSON, with the parser\'s reason', () => {
    let reason: unknown;
    try {
      JSON.parse('{"entries": [');
    } catch (error) {
      reason = (error as Error).message;
    }
    expect(() => parseMemoryMapText('{"entries": [')).toThrow(new MemoryMapFormatError(`not JSON (${reason as string})`));
  });
});
