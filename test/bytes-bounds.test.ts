/**
 * Bounds and bookkeeping of src/bytes that mutation testing found unasserted (issue 12): the
 * NUL search of names, colliding keys of the scratch index, the findings cap's limits and texts.
 * Every expected value is worked out from the bytes written here.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_FINDING_CAP_PER_CODE, DiagnosticList, setFindingCapPerCode, type CodeTable } from '../src/bytes/diagnostics.js';
import { asBytes, isDetachedBuffer } from '../src/bytes/input.js';
import { publicRef } from '../src/bytes/public-ref.js';
import { TableReader } from '../src/bytes/reader.js';
import { ScratchIndex } from '../src/bytes/scratch-index.js';

const CODES = {
  'sdt.checksum': { severity: 'warning', summary: 'a', ref: 'ACPI §5.2.6' },
  'sdt.length.trailing': { severity: 'info', summary: 'b' },
  'sdt.signature': { severity: 'error', summary: 'c' },
} as const satisfies CodeTable;

afterEach(() => setFindingCapPerCode(DEFAULT_FINDING_CAP_PER_CODE));

describe('TableReader.terminatedLength', () => {
  it('reads nothing before the window: a name there is unterminated and empty', () => {
    // Bytes 0..1 hold a terminated "A" but lie before a window starting at 2.
    const reader = new TableReader(Uint8Array.from([0x41, 0x00, 0x42, 0x00]), 2, 4);
    expect(reader.terminatedLength(0, 4)).toBe(-1);
    expect(reader.cString(0, 4)).toEqual({ text: '', terminated: false, byteLength: 0 });
    expect(reader.terminatedLength(2, 4)).toBe(2);
    expect(reader.cString(2, 4)).toEqual({ text: 'B', terminated: true, byteLength: 2 });
  });

  // 'A' 'B' NUL 'C' 'D': a name of 3 bytes with its NUL at offset 2.
  const TEXT = Uint8Array.from([0x41, 0x42, 0x00, 0x43, 0x44]);

  it('counts the bytes up to and including the NUL, from any start', () => {
    const reader = new TableReader(TEXT);
    expect(reader.terminatedLength(0, 5)).toBe(3);
    expect(reader.terminatedLength(1, 5)).toBe(2);
    expect(reader.terminatedLength(2, 5)).toBe(1);
  });

  it('is -1 when the NUL lies at or past the limit, the window end or the bytes', () => {
    const reader = new TableReader(TEXT);
    expect(reader.terminatedLength(0, 2)).toBe(-1); // NUL at 2, limit 2: outside [0, 2)
    expect(reader.terminatedLength(0, 3)).toBe(3);
    expect(reader.terminatedLength(3, 99)).toBe(-1);
    expect(new TableReader(TEXT, 0, 2).terminatedLength(0, 5)).toBe(-1);
    expect(new TableReader(TEXT, 0, 3).terminatedLength(0, 5)).toBe(3);
  });

  it('a start before the array is unreadable: unterminated, for the length and the string alike', () => {
    const reader = new TableReader(TEXT);
    expect(reader.terminatedLength(-1, 5)).toBe(-1);
    expect(reader.cString(-1, 5)).toEqual({ text: '', terminated: false, byteLength: 0 });
  });

  it('stops unterminated at a byte that cannot be read (a buffer shrunk after the reader was made)', () => {
    const ResizableArrayBuffer = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer & { resize(length: number): void };
    const buffer = new ResizableArrayBuffer(5, { maxByteLength: 8 });
    const bytes = new Uint8Array(buffer, 0, 5); // fixed length: out of bounds (length 0) once shrunk
    bytes.set([0x41, 0x42, 0x43, 0x00, 0x44]);
    const reader = new TableReader(bytes);
    expect(reader.terminatedLength(0, 5)).toBe(4);
    buffer.resize(3);
    expect(reader.terminatedLength(0, 5)).toBe(-1);
    expect(reader.cString(0, 5)).toEqual({ text: '', terminated: false, byteLength: 0 });
  });
});

describe('ScratchIndex keys that share a half', () => {
  it('a new index is empty and holds keys before its first reset', () => {
    const index = new ScratchIndex();
    expect(index.has(0, 0)).toBe(false);
    for (let key = 0; key < 8; key++) index.set(key, key * 3, key + 10);
    for (let key = 0; key < 8; key++) expect(index.get(key, key * 3)).toBe(key + 10);
  });

  it('tells apart keys equal in their low half, and keys equal in their high half', () => {
    const index = new ScratchIndex();
    index.reset(64);
    for (let high = 0; high < 32; high++) index.set(high, 7, 100 + high);
    for (let low = 0; low < 32; low++) index.set(7, low, 200 + low);
    for (let high = 0; high < 32; high++) if (high !== 7) expect(index.get(high, 7)).toBe(100 + high);
    for (let low = 0; low < 32; low++) expect(index.get(7, low)).toBe(200 + low); // (7, 7) set twice: the second value
    expect(index.get(32, 7)).toBe(-1);
    expect(index.has(7, 32)).toBe(false);
    expect(index.has(31, 7)).toBe(true);
  });

  it('fills the smallest size to the keys it was reset for, and shrinks after a large reset', () => {
    const index = new ScratchIndex();
    index.reset(8); // 16 slots, 8 keys
    for (let key = 0; key < 8; key++) index.set(0, key * 16, key + 1); // low halves a multiple of the size apart
    for (let key = 0; key < 8; key++) expect(index.get(0, key * 16)).toBe(key + 1);
    index.reset(20_000);
    for (let key = 0; key < 20_000; key++) index.set(key, key, key);
    expect(index.get(19_999, 19_999)).toBe(19_999);
    index.reset(4);
    for (let key = 0; key < 4; key++) expect(index.has(key, key)).toBe(false);
    index.set(3, 3, 33);
    expect([index.get(3, 3), index.get(2, 2, -5)]).toEqual([33, -5]);
  });
});

describe('DiagnosticList limits and texts', () => {
  it('a cap of 1 is allowed: one item, then the summary naming the limit and the exact count', () => {
    setFindingCapPerCode(1);
    const list = new DiagnosticList(CODES);
    expect(list.cap).toBe(1);
    list.add('sdt.checksum', 9, 'first');
    list.add('sdt.checksum', 12, 'second');
    list.add('sdt.checksum', 15, 'third');
    expect(list.items.map((item) => item.message)).toEqual(['first', '… and 2 more sdt.checksum finding(s) from here on, not listed (limit 1 per code)']);
    expect(list.items[1]).toMatchObject({ offset: 12, severity: 'warning', ref: 'ACPI §5.2.6', omitted: 2 });
    expect(list.omitted('sdt.checksum')).toBe(2);
    expect(list.omitted('sdt.signature')).toBe(0);
  });

  it('a summary of a code without a citation carries no ref', () => {
    const list = new DiagnosticList(CODES, 1);
    list.add('sdt.length.trailing', 40, 'x');
    list.add('sdt.length.trailing', 41, 'y');
    expect(list.items[1]).not.toHaveProperty('ref');
    expect(list.items[0]).not.toHaveProperty('ref');
  });

  it('rejects caps that are not positive safe integers, naming the value', () => {
    expect(() => setFindingCapPerCode(0)).toThrow('finding cap 0 is not a positive integer');
    expect(() => setFindingCapPerCode(2 ** 53)).toThrow(RangeError);
    expect(() => setFindingCapPerCode(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('an unregistered code throws, naming it', () => {
    const list = new DiagnosticList(CODES);
    expect(() => list.add('sdt.revision.newer' as never, 0, 'x')).toThrow('unregistered diagnostic code sdt.revision.newer');
    expect(list.items).toEqual([]);
  });

  it('hasErrors: only an error-severity item counts', () => {
    const list = new DiagnosticList(CODES);
    expect(list.hasErrors).toBe(false);
    list.add('sdt.checksum', 9, 'w');
    list.add('sdt.length.trailing', 40, 'i');
    expect(list.hasErrors).toBe(false);
    list.add('sdt.signature', 0, 'e');
    expect(list.hasErrors).toBe(true);
  });

  it('a length of 0 is kept; the totals start empty', () => {
    const list = new DiagnosticList(CODES);
    expect(list.omitted('sdt.checksum')).toBe(0); // before anything else touches the totals
    expect(list.totals.size).toBe(0);
    list.add('sdt.checksum', 9, 'w', 0);
    expect(list.items[0]).toStrictEqual({ code: 'sdt.checksum', severity: 'warning', offset: 9, message: 'w', length: 0, ref: 'ACPI §5.2.6' });
    expect(list.totals.get('sdt.checksum')).toBe(1);
  });
});

describe('DiagnosticList.addFormatted: the message built when the items are read', () => {
  const calls: number[] = [];
  const checksumText = (checksum: number, sum: number) => {
    calls.push(checksum);
    return `byte 0x${checksum.toString(16)}, sum 0x${sum.toString(16)}`;
  };

  it('formats nothing while findings are added, each kept one once when the items are first read', () => {
    calls.length = 0;
    const list = new DiagnosticList(CODES);
    list.addFormatted('sdt.checksum', 9, 1, checksumText, 0x12, 0x34);
    list.add('sdt.signature', 0, 'eager', 4);
    list.addFormatted('sdt.checksum', 20, undefined, checksumText, 0x56, 0x78);
    expect(calls).toEqual([]);
    expect(list.hasErrors).toBe(true);
    expect(calls).toEqual([]);
    expect(list.items.map((item) => item.message)).toEqual(['byte 0x12, sum 0x34', 'eager', 'byte 0x56, sum 0x78']);
    expect(list.sorted().map((item) => item.offset)).toEqual([0, 9, 20]);
    expect(calls).toEqual([0x12, 0x56]);
  });

  it('gives the same item, field for field and in JSON key order, as add with the formatted text', () => {
    const lazy = new DiagnosticList(CODES);
    const eager = new DiagnosticList(CODES);
    lazy.addFormatted('sdt.checksum', 9, 1, checksumText, 0xab, 0x01);
    eager.add('sdt.checksum', 9, 'byte 0xab, sum 0x1', 1);
    expect(lazy.items).toStrictEqual(eager.items);
    expect(JSON.stringify(lazy.items)).toBe('[{"code":"sdt.checksum","severity":"warning","offset":9,"message":"byte 0xab, sum 0x1","length":1,"ref":"ACPI §5.2.6"}]');
  });

  it('past the cap a finding is only counted: its formatter never runs', () => {
    calls.length = 0;
    const list = new DiagnosticList(CODES, 2);
    for (let index = 0; index < 50; index++) list.addFormatted('sdt.checksum', index, 1, checksumText, index, 0);
    expect(list.items.map((item) => item.message)).toEqual(['byte 0x0, sum 0x0', 'byte 0x1, sum 0x0', '… and 48 more sdt.checksum finding(s) from here on, not listed (limit 2 per code)']);
    expect(calls).toEqual([0, 1]);
    expect(list.totals.get('sdt.checksum')).toBe(50);
  });

  it('counts stay exact per code when codes alternate, read at any point', () => {
    const list = new DiagnosticList(CODES, 2);
    list.add('sdt.checksum', 1, 'a');
    list.add('sdt.signature', 2, 'b');
    expect(list.omitted('sdt.checksum')).toBe(0);
    list.add('sdt.checksum', 3, 'c');
    list.add('sdt.checksum', 4, 'd');
    expect(Object.fromEntries(list.totals)).toEqual({ 'sdt.checksum': 3, 'sdt.signature': 1 });
    list.add('sdt.signature', 5, 'e');
    list.add('sdt.checksum', 6, 'f');
    list.add('sdt.signature', 7, 'g');
    expect(Object.fromEntries(list.totals)).toEqual({ 'sdt.checksum': 4, 'sdt.signature': 3 });
    expect([list.omitted('sdt.checksum'), list.omitted('sdt.signature')]).toEqual([2, 1]);
    expect(list.items.map((item) => item.message)).toEqual(['a', 'b', 'c', expect.stringContaining('… and 2 more sdt.checksum'), 'e', expect.stringContaining('… and 1 more sdt.signature')]);
  });

  it('sorted() again: the same array, re-sorted only with what was added since', () => {
    const list = new DiagnosticList(CODES);
    list.addFormatted('sdt.checksum', 30, 1, checksumText, 1, 2);
    list.add('sdt.signature', 10, 'b');
    const first = list.sorted();
    expect(first.map((item) => item.offset)).toEqual([10, 30]);
    expect(list.sorted()).toBe(first);
    list.add('sdt.signature', 20, 'c');
    expect(list.sorted().map((item) => item.offset)).toEqual([10, 20, 30]);
    expect(list.sorted()).toBe(first);
  });

  it('findings added after a read are formatted at the next read', () => {
    const list = new DiagnosticList(CODES);
    list.addFormatted('sdt.checksum', 9, 1, checksumText, 1, 2);
    expect(list.items).toHaveLength(1);
    list.addFormatted('sdt.checksum', 10, 1, checksumText, 3, 4);
    expect(list.items.map((item) => item.message)).toEqual(['byte 0x1, sum 0x2', 'byte 0x3, sum 0x4']);
  });
});

describe('asBytes of values that are not bytes', () => {
  it('array elements that are not numbers are 0, even ones JavaScript would convert (true, "7")', () => {
    expect(Array.from(asBytes([true, '7', 300] as unknown as number[]))).toEqual([0, 0, 300 & 0xff]);
  });

  it('works where SharedArrayBuffer is not defined (a browser page without cross-origin isolation)', () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    try {
      expect(Array.from(asBytes([1, 2]))).toEqual([1, 2]);
      expect(Array.from(asBytes(Uint8Array.from([3]).buffer))).toEqual([3]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('an array-like object that is neither an array, a view nor a buffer gives no bytes', () => {
    expect(asBytes({ length: 2, 0: 1, 1: 2 } as unknown as number[]).length).toBe(0);
  });
});

describe('isDetachedBuffer on an engine with ArrayBuffer.prototype.detached', () => {
  it('believes the flag, whatever the length (Node 20 has no flag: simulated with an own property)', () => {
    const flagged = new ArrayBuffer(8);
    Object.defineProperty(flagged, 'detached', { value: true });
    expect(isDetachedBuffer(flagged)).toBe(true);
    const live = new ArrayBuffer(0);
    Object.defineProperty(live, 'detached', { value: false });
    expect(isDetachedBuffer(live)).toBe(false);
  });
});

describe('publicRef of an empty citation', () => {
  it('is no citation at all', () => {
    expect([publicRef(''), publicRef(' ; '), publicRef(undefined)]).toEqual([undefined, undefined, undefined]);
  });
});
