/**
 * The allocation-light internals of parsing (issue 14): the header decoded on demand, the
 * unrolled checksum, byte-indexed reads and the reused scratch index of the cross-structure
 * checks. Expected values are written from the byte layouts built here, not from the code.
 */
import { describe, expect, it } from 'vitest';
import { jsonReplacer } from '../src/bytes/hex.js';
import { le16, le32, leN } from '../src/bytes/le.js';
import { TableReader } from '../src/bytes/reader.js';
import { ScratchIndex } from '../src/bytes/scratch-index.js';
import { SdtHeaderView, plainHeader } from '../src/bytes/sdt-header.js';
import { checksumOf, readSdtHeaderFields, SDT_CODES } from '../src/bytes/sdt.js';
import { DiagnosticList } from '../src/bytes/diagnostics.js';
import { parseDmar } from '../src/dmar/index.js';
import { cyclicComponents } from '../src/iort/cycles.js';
import { dmar, drhd, rmrr, scope } from './support/dmar-builder.js';

/** A 36-byte SDT header written field by field (ACPI §5.2.6 layout). */
function header(): Uint8Array {
  const bytes = new Uint8Array(40);
  bytes.set([...'DMAR'].map((c) => c.charCodeAt(0)), 0);
  new DataView(bytes.buffer).setUint32(4, 40, true);
  bytes[8] = 2;
  bytes[9] = 0xab;
  bytes.set([...'OEMID'].map((c) => c.charCodeAt(0)), 10); // 5 of 6 bytes: one trailing NUL
  bytes.set([...'TABLEID1'].map((c) => c.charCodeAt(0)), 16);
  new DataView(bytes.buffer).setUint32(24, 0x01020304, true);
  bytes.set([...'CRTR'].map((c) => c.charCodeAt(0)), 28);
  new DataView(bytes.buffer).setUint32(32, 0xfffffffe, true);
  return bytes;
}

const EXPECTED_HEADER = {
  signature: 'DMAR', length: 40, revision: 2, checksum: 0xab, oemId: 'OEMID', oemTableId: 'TABLEID1',
  oemRevision: 0x01020304, creatorId: 'CRTR', creatorRevision: 0xfffffffe,
};

describe('SdtHeaderView', () => {
  it('reads every field, and serialises as the plain header object in field order', () => {
    const view = readSdtHeaderFields(new TableReader(header()))!;
    expect(view).toBeInstanceOf(SdtHeaderView);
    for (const [name, value] of Object.entries(EXPECTED_HEADER)) expect(view[name as keyof typeof EXPECTED_HEADER]).toBe(value);
    expect(JSON.stringify(view)).toBe(JSON.stringify(EXPECTED_HEADER));
    expect(plainHeader(view)).toEqual(EXPECTED_HEADER);
    expect(Object.keys(plainHeader(view)!)).toEqual(Object.keys(EXPECTED_HEADER));
    expect(plainHeader(undefined)).toBeUndefined();
  });

  it('decodes a string field the same way each time it is read', () => {
    const view = readSdtHeaderFields(new TableReader(header()))!;
    expect(view.oemTableId).toBe(view.oemTableId);
    expect(view.oemId).toBe('OEMID');
  });

  it('compares the signature bytes without decoding them', () => {
    const view = readSdtHeaderFields(new TableReader(header()))!;
    expect(view.signatureIs('DMAR')).toBe(true);
    expect(view.signatureIs('DMAS')).toBe(false);
    expect(view.signatureIs('IORT')).toBe(false);
  });

  it("is undefined below 36 bytes, and a table's toJSON carries the plain header", () => {
    expect(readSdtHeaderFields(new TableReader(header().subarray(0, 35)))).toBeUndefined();
    const table = parseDmar(header());
    const json = table.toJSON();
    expect(json.header).not.toBeInstanceOf(SdtHeaderView);
    expect(json.header).toEqual(EXPECTED_HEADER);
    expect(JSON.stringify(table.header, jsonReplacer)).toBe(JSON.stringify(EXPECTED_HEADER));
  });
});

describe('checksumOf', () => {
  it('is the byte sum mod 256 for every length around the eight-byte unrolling, and stops at `length`', () => {
    for (let size = 0; size <= 40; size++) {
      const bytes = Uint8Array.from({ length: size }, (_, index) => (index * 73 + 11) & 0xff);
      let sum = 0;
      for (const byte of bytes) sum += byte;
      expect(checksumOf(bytes)).toBe(sum % 256);
      expect(checksumOf(bytes, 3)).toBe(size === 0 ? 0 : bytes.subarray(0, 3).reduce((a, b) => a + b, 0) % 256);
    }
  });

  it('sums long tables word-wise at any byte alignment, stopping at `length` inside or past a word block', () => {
    // 0xff bytes from an LCG: lanes fill as fast as they can; the subarray start moves the word alignment.
    const backing = new Uint8Array(6000);
    let seed = 7;
    for (let index = 0; index < backing.length; index++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      backing[index] = index % 3 === 0 ? 0xff : seed >>> 24;
    }
    for (const start of [0, 1, 2, 3, 5]) {
      for (const size of [255, 256, 257, 300, 511, 1024, 1027, 1039, 4096 + 17, 5990]) {
        const bytes = backing.subarray(start, start + size);
        let sum = 0;
        for (const byte of bytes) sum += byte;
        expect(checksumOf(bytes)).toBe(sum % 256);
        let prefix = 0;
        for (const byte of bytes.subarray(0, size - 5)) prefix += byte;
        expect(checksumOf(bytes, size - 5)).toBe(prefix % 256);
      }
    }
  });

  it('keeps the low eight bits when the running sum passes 2^31', () => {
    const bytes = new Uint8Array(9_000_000).fill(0xff); // 0xff × 9e6 = 2 295 000 000 > 2^31
    expect(checksumOf(bytes)).toBe((9_000_000 * 0xff) % 256);
  });
});

describe('TableReader reads', () => {
  const bytes = Uint8Array.from([0x78, 0x56, 0x34, 0x12, 0xf0, 0xde, 0xbc, 0x9a, 0x01, 0x00, 0x00, 0x00, 0x00]);
  const reader = new TableReader(bytes);

  it('decodes little-endian 16-, 32- and 64-bit fields, with the high half above 2^31 and zero', () => {
    expect(reader.u16(0)).toBe(0x5678);
    expect(reader.u32(0)).toBe(0x12345678);
    expect(reader.u32(4)).toBe(0x9abcdef0);
    expect(reader.u64(0)).toBe(0x9abcdef012345678n);
    expect(reader.u64(4)).toBe(0x1_9abcdef0n);
    expect(reader.u64(5)).toBe(0x019abcden);
  });

  it('gives undefined outside the window', () => {
    expect(reader.u64(6)).toBeUndefined();
    expect(reader.window(0, 4).u32(1)).toBeUndefined();
    expect(reader.u8(-1)).toBeUndefined();
  });
});

describe('ScratchIndex', () => {
  it('maps 64-bit keys to values, forgets them on reset, and grows past its first size', () => {
    const index = new ScratchIndex();
    index.reset(2);
    index.set(0, 5, 48);
    index.set(1, 5, 64);
    expect(index.get(0, 5)).toBe(48);
    expect(index.get(1, 5)).toBe(64);
    expect(index.get(2, 5)).toBe(-1);
    expect(index.has(1, 5)).toBe(true);
    index.reset(1000);
    expect(index.has(0, 5)).toBe(false);
    for (let key = 0; key < 1000; key++) index.set(key >>> 3, key * 4096, key);
    for (let key = 0; key < 1000; key++) expect(index.get(key >>> 3, key * 4096)).toBe(key);
    expect(index.get(0, 1)).toBe(-1);
    index.reset(3);
    expect(index.get(0, 0)).toBe(-1);
    index.set(0, 0, 7);
    expect(index.get(0, 0, 99)).toBe(7);
  });
});

describe('RMRR rules on u32 halves match 64-bit arithmetic', () => {
  // Reference: the rules as written in docs/kernel-semantics.md §10 / rmrr_sanity_check(), in BigInt.
  const codesFor = (base: bigint, limit: bigint, width: number): string[] => {
    const codes: string[] = [];
    if (base >= limit) codes.push('dmar.rmrr.base-after-limit');
    if (base % 0x1000n !== 0n) codes.push('dmar.rmrr.misaligned');
    if (BigInt.asUintN(64, limit + 1n) % 0x1000n !== 0n) codes.push('dmar.rmrr.misaligned');
    if (width < 64 && limit >> BigInt(width) !== 0n) codes.push('dmar.rmrr.above-haw');
    return codes.sort();
  };
  const cases: [bigint, bigint][] = [
    [0x2_0000_0000n, 0x1_ffff_ffffn], // high halves decide although base's low half is smaller
    [0x1_0000_1000n, 0x1_0000_0fffn], // same high half, low halves decide
    [0x1000n, 0xffff_ffff_ffff_ffffn], // Limit + 1 wraps to 0: aligned
    [0x1000n, 0x7f_ffff_ffffn], // exactly 39 bits
    [0x1000n, 0x80_0000_0fffn], // one past 39 bits
    [0x1000n, 0xffff_ffffn], // exactly 32 bits
    [0x1000n, 0x1_0000_0fffn], // one past 32 bits
    [0x1001n, 0x1800n],
  ];
  it.each([39, 32, 48, 64])('host address width %i', (width) => {
    for (const [base, limit] of cases) {
      const table = dmar({ hawRaw: width - 1, structures: [drhd({ flags: 1, base: 0xfed90000n, scopes: [scope({ type: 3, enumerationId: 2, startBus: 0xf0, path: [[0x1f, 0]] })] }), rmrr({ base, limit, scopes: [scope({ type: 1, path: [[2, 0]] })] })] });
      const found = parseDmar(table.bytes).diagnostics.map((item) => item.code).filter((code) => code.startsWith('dmar.rmrr.')).sort();
      expect(found, `[${base.toString(16)}, ${limit.toString(16)}] width ${width}`).toEqual(codesFor(base, limit, width));
    }
  });
});

describe('cyclicComponents on reused working arrays', () => {
  /** Reference: nodes u, v share a cycle when each reaches the other (transitive closure, small n). */
  function naiveCycles(n: number, from: number[], to: number[]): number[][] {
    const reach = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
    from.forEach((source, edge) => (reach[source]![to[edge]!] = true));
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (reach[i]![k] && reach[k]![j]) reach[i]![j] = true;
    const groups = new Map<string, number[]>();
    for (let node = 0; node < n; node++) {
      if (!reach[node]![node]) continue;
      const members = Array.from({ length: n }, (_, other) => other).filter((other) => other === node || (reach[node]![other] && reach[other]![node]));
      groups.set(members.join(','), members);
    }
    return [...groups.values()].sort((a, b) => a[0]! - b[0]!);
  }

  it('finds the same cycles as a transitive closure, call after call, large graphs then small', () => {
    let seed = 7;
    const next = (limit: number) => (seed = (Math.imul(seed, 48271) + 11) >>> 0) % limit;
    for (const n of [3, 200, 5, 90, 1, 2, 130, 4]) {
      const edgeCount = next(2 * n + 1);
      const from = Array.from({ length: edgeCount }, () => next(n));
      const to = Array.from({ length: edgeCount }, () => next(n));
      // Extra entries past `edgeCount` must be ignored, as in the parser's reused edge arrays.
      const found = cyclicComponents(n, { from: [...from, 0, 0], to: [...to, 0, 0] }, edgeCount);
      expect([...found].sort((a, b) => a[0]! - b[0]!), `n=${n}`).toEqual(naiveCycles(n, from, to));
    }
  });
});

describe('unchecked little-endian reads of framed fields', () => {
  it('reads 1- to 4-byte fields, the top bit of a 32-bit one included', () => {
    const bytes = Uint8Array.from([0x01, 0x02, 0x03, 0x84]);
    expect([1, 2, 3, 4].map((size) => leN(bytes, 0, size as 1 | 2 | 3 | 4))).toEqual([0x01, 0x0201, 0x030201, 0x84030201]);
    expect(le16(bytes, 2)).toBe(0x8403);
    expect(le32(bytes, 0)).toBe(0x84030201);
  });
});

describe('DiagnosticList.sorted', () => {
  it('orders by offset, then severity, then code, in place', () => {
    const list = new DiagnosticList({ ...SDT_CODES });
    list.add('sdt.length.trailing', 40, 'info at 40');
    list.add('sdt.checksum', 9, 'warning at 9');
    list.add('sdt.signature', 9, 'error at 9');
    expect(list.sorted().map((item) => item.message)).toEqual(['error at 9', 'warning at 9', 'info at 40']);
    expect(list.sorted()).toBe(list.items);
    const one = new DiagnosticList({ ...SDT_CODES });
    one.add('sdt.checksum', 9, 'only');
    expect(one.sorted().map((item) => item.message)).toEqual(['only']);
  });
});
