/**
 * What the DMAR parser tells the user, number by number (issue 12: a wrong number in a message
 * is a real bug), and the boundaries of its bounds checks: the structure walk, scope framing,
 * HAW limits, RMRR alignment and width. Every expected list is the complete diagnostic list of
 * the table, stated from the VT-d layout (48-byte header; DRHD 16, RMRR 24, ATSR/SATC/SIDP 8,
 * RHSA 20, ANDD 8 + name; scope 6 + 2 per hop) and the rule texts of docs/spec.md §5.
 */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { andd, dmar, drhd, rhsa, rmrr, scope, segmentStructure, structure, type Bytes, type TableSpec } from './support/dmar-builder.js';

const ALL = drhd({ flags: 1 }); // 16 bytes at 48; the next structure is at 64 (0x40)
const EP = scope({ type: 1, path: [[2, 0]] });

type Row = [code: string, offset: number, length: number | undefined, message: string];
const list = (spec: TableSpec | Bytes[]): Row[] =>
  parseDmar(dmar(Array.isArray(spec) ? { structures: spec } : spec).bytes).diagnostics.map((item) => [item.code, item.offset, item.length, item.message]);

describe('DMAR header: width, flags, reserved bytes', () => {
  it('HAW byte 10 is rejected, 11 is the smallest accepted; 0 gets its note', () => {
    expect(list({ hawRaw: 10, structures: [ALL] })).toEqual([['dmar.haw.invalid', 36, 1, 'Host Address Width byte is 10, i.e. 11 bits; Linux needs at least 11 ("Invalid DMAR haw") and rejects the whole table']]);
    expect(list({ hawRaw: 0, structures: [ALL] })).toEqual([['dmar.haw.invalid', 36, 1, 'Host Address Width byte is 0 (0 would mean a 1-bit width), i.e. 1 bits; Linux needs at least 11 ("Invalid DMAR haw") and rejects the whole table']]);
    expect(list({ hawRaw: 11, structures: [ALL] })).toEqual([]);
    const accepted = parseDmar(dmar({ hawRaw: 11, structures: [ALL] }).bytes);
    expect([accepted.hostAddressWidth, accepted.usableHostAddressWidth]).toEqual([12, 12]);
    const rejected = parseDmar(dmar({ hawRaw: 10, structures: [ALL] }).bytes);
    expect([rejected.hostAddressWidth, rejected.usableHostAddressWidth]).toEqual([11, undefined]);
  });

  it('63 bits is plausible, 64 is not', () => {
    expect(list({ hawRaw: 62, structures: [ALL] })).toEqual([]);
    expect(list({ hawRaw: 63, structures: [ALL] })).toEqual([['dmar.haw.large', 36, 1, 'Host Address Width is 64 bits (stored 63); more than 63 bits is implausible']]);
  });

  it('flag bits 7:3 are reserved; bits 2:0 are not', () => {
    expect(list({ flags: 0x07, structures: [ALL] })).toEqual([]);
    expect(list({ flags: 0x09, structures: [ALL] })).toEqual([['dmar.reserved.nonzero', 37, 1, 'DMAR Flags bits 7:3 is 0x9; reserved bits should be 0']]);
  });

  it('reserved bytes 38..47: one finding at the first non-zero byte, covering the rest', () => {
    expect(list({ reserved: [0, 0, 0, 7, 0, 9, 0, 0, 0, 0], structures: [ALL] })).toEqual([['dmar.reserved.nonzero', 41, 7, 'DMAR header Reserved bytes 0x26..0x2f are not all zero (first non-zero byte at 0x29)']]);
    expect(list({ reserved: [5, 0, 0, 0, 0, 0, 0, 0, 0, 0], structures: [ALL] })).toEqual([['dmar.reserved.nonzero', 38, 10, 'DMAR header Reserved bytes 0x26..0x2f are not all zero (first non-zero byte at 0x26)']]);
    expect(list({ reserved: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1], structures: [ALL] })).toEqual([['dmar.reserved.nonzero', 47, 1, 'DMAR header Reserved bytes 0x26..0x2f are not all zero (first non-zero byte at 0x2f)']]);
  });
});

describe('the structure walk', () => {
  it('1 to 3 bytes left cannot hold a structure header; 4 can', () => {
    expect(list([ALL, [0, 0, 0]])).toEqual([['dmar.length.overrun', 64, 3, '3 byte(s) left at the table end cannot hold a 4-byte structure header']]);
    expect(list([ALL, [7]])).toEqual([['dmar.length.overrun', 64, 1, '1 byte(s) left at the table end cannot hold a 4-byte structure header']]);
    expect(list([ALL, structure(9, [])])).toEqual([['dmar.type.unknown', 64, 4, 'structure type 9 is not defined by the VT-d spec this parser knows; skipped by its Length 4']]);
  });

  it('Length 0, 1–3, and past the end stop the walk, each saying how much is left', () => {
    expect(list([ALL, structure(1, new Array(20).fill(0), 0), ALL])).toEqual([['dmar.length.zero', 64, 40, 'RMRR has Length 0; the walk stops here and the 40 remaining bytes are not parsed (Linux stops silently)']]);
    expect(list([ALL, structure(12, [0, 0], 0)])).toEqual([['dmar.length.zero', 64, 6, 'type 12 has Length 0; the walk stops here and the 6 remaining bytes are not parsed (Linux stops silently)']]);
    expect(list([ALL, structure(3, [0, 0, 0, 0], 3)])).toEqual([['dmar.length.short', 64, 8, 'RHSA Length 3 is shorter than the 4-byte structure header; the walk cannot advance and stops']]);
    expect(list([ALL, structure(0, [0, 0, 0, 0], 1)])).toEqual([['dmar.length.short', 64, 8, 'DRHD Length 1 is shorter than the 4-byte structure header; the walk cannot advance and stops']]);
    expect(list([ALL, rmrr({ length: 45 })])).toEqual([['dmar.length.overrun', 64, 32, 'RMRR Length 45 runs 13 bytes past the table end at 0x60; the walk stops (Linux: "Record passes table end", DMAR rejected)']]);
  });

  it('a structure ending exactly at the table end is whole', () => {
    const table = parseDmar(dmar({ structures: [ALL, rmrr({ scopes: [EP] })] }).bytes);
    expect(table.diagnostics).toEqual([]);
    expect([...table.structures()].map((item) => [item.kind, item.offset, item.length])).toEqual([['drhd', 48, 16], ['rmrr', 64, 32]]);
  });

  it('a Length below the fixed part keeps the structure as unknown (Length = fixed part is fine)', () => {
    expect(list([ALL, structure(1, new Array(20).fill(0))]).map((row) => row[0])).not.toContain('dmar.length.short');
    expect(list([ALL, structure(1, new Array(19).fill(0))]).filter((row) => row[0] === 'dmar.length.short')).toEqual([['dmar.length.short', 64, 23, 'RMRR Length 23 is shorter than its 24-byte fixed part; kept as an unknown structure']]);
    expect(list([ALL, structure(3, new Array(15).fill(0))])).toEqual([['dmar.length.short', 64, 19, 'RHSA Length 19 is shorter than its 20-byte fixed part; kept as an unknown structure']]);
    const kinds = (structures: Bytes[]) => [...parseDmar(dmar({ structures }).bytes).structures()].map((item) => item.kind);
    expect(kinds([ALL, structure(3, new Array(15).fill(0))])).toEqual(['drhd', 'unknown']);
    expect(kinds([ALL, rhsa({ base: 0xfed90000n })])).toEqual(['drhd', 'rhsa']);
  });

  it('structures out of ascending type order are named; unknown types do not count', () => {
    expect(list([ALL, rhsa({ base: 0xfed90000n }), rmrr({ scopes: [EP] })])).toEqual([['dmar.order', 84, undefined, 'RMRR follows a RHSA; the spec lists structures in ascending type order']]);
    expect(list([ALL, structure(9, []), rmrr({ scopes: [EP] })]).map((row) => row[0])).toEqual(['dmar.type.unknown']);
    // Equal types in a row are in order.
    expect(list([ALL, drhd({ flags: 0, base: 0xfed91000n, scopes: [EP] })]).map((row) => row[0])).toEqual(['dmar.drhd.include-all-not-last']);
  });
});

describe('device scopes', () => {
  const inDrhd = (...scopes: Bytes[]) => list([drhd({ flags: 1, scopes })]);

  it('a scope Length below 6 ends the scan with what is left; 6 frames', () => {
    expect(inDrhd(EP, scope({ type: 1, length: 5 }))).toEqual([['dmar.scope.length', 72, 8, 'device scope Length 5 in DRHD is below the 6-byte scope header; the remaining 8 bytes of the structure are not scanned']]);
    expect(inDrhd(scope({ type: 1, path: [] }))).toEqual([['dmar.scope.no-path', 64, 6, 'device scope Length 6 leaves no complete path entry, so it names no device']]);
  });

  it('a stray byte or a scope past the structure end: overrun, with the numbers', () => {
    expect(list([drhd({ flags: 1, scopes: [EP, [1]] })])).toEqual([['dmar.scope.overrun', 72, 1, '1 stray byte(s) at the end of DRHD cannot hold a device scope']]);
    expect(inDrhd(scope({ type: 1, length: 11 }))).toEqual([['dmar.scope.overrun', 64, 8, 'device scope Length 11 runs 3 bytes past the end of its DRHD at 0x48; scanning stops']]);
  });

  it('7 bytes hold no path entry, 9 half of one, 8 and 10 whole ones', () => {
    expect(inDrhd(scope({ type: 1, path: [], extra: [1] }))).toEqual([['dmar.scope.no-path', 64, 7, 'device scope Length 7 leaves no complete path entry, so it names no device']]);
    expect(inDrhd(scope({ type: 1, path: [[2, 0]], extra: [1] }))).toEqual([['dmar.scope.path-odd', 64, 9, 'device scope Length 9 leaves half a path entry; the stray byte is ignored as Linux does']]);
    expect(inDrhd(scope({ type: 2, path: [[0x1c, 0], [0, 0]] }))).toEqual([]);
  });

  it('reserved and disallowed scope types', () => {
    expect(inDrhd(scope({ type: 0 }))).toEqual([['dmar.scope.type', 64, 8, 'device scope type 0 is reserved; Linux skips it ("Unsupported device scope")']]);
    expect(inDrhd(scope({ type: 6 }))).toEqual([['dmar.scope.type', 64, 8, 'device scope type 6 is reserved; Linux skips it ("Unsupported device scope")']]);
    expect(list([ALL, rmrr({ scopes: [scope({ type: 4 })] })])).toEqual([['dmar.scope.type', 88, 8, 'device scope type 4 is not allowed in RMRR (allowed: 1, 2)']]);
    expect(list([ALL, segmentStructure(2, { scopes: [scope({ type: 1 })] })])).toEqual([['dmar.scope.type', 72, 8, 'device scope type 1 is not allowed in ATSR (allowed: 2)']]);
  });

  it('path entries: device 31 and function 7 are the largest; each bad entry is named at its offset', () => {
    expect(inDrhd(scope({ type: 2, path: [[31, 7], [0, 0]] }))).toEqual([]);
    expect(inDrhd(scope({ type: 2, path: [[32, 0], [0, 8]] }))).toEqual([
      ['dmar.scope.path-range', 70, 2, 'path entry (32, 0) is not a PCI device/function (device ≤ 31, function ≤ 7)'],
      ['dmar.scope.path-range', 72, 2, 'path entry (0, 8) is not a PCI device/function (device ≤ 31, function ≤ 7)'],
    ]);
    // The stray odd byte is no entry: 0xff there is not checked.
    expect(inDrhd(scope({ type: 1, path: [[2, 0]], extra: [0xff] })).map((row) => row[0])).toEqual(['dmar.scope.path-odd']);
  });

  it('scope Flags and Reserved bytes are reserved, except SIDP Flags bits 4:0', () => {
    expect(inDrhd(scope({ type: 1, flags: 1, reserved: 2 }))).toEqual([
      ['dmar.reserved.nonzero', 66, 1, 'DRHD device scope Flags is 0x1; reserved bits should be 0'],
      ['dmar.reserved.nonzero', 67, 1, 'DRHD device scope Reserved is 0x2; reserved bits should be 0'],
    ]);
    expect(list([ALL, segmentStructure(6, { scopes: [scope({ type: 1, flags: 0x1f })] })])).toEqual([]);
    expect(list([ALL, segmentStructure(6, { scopes: [scope({ type: 1, flags: 0x3f })] })])).toEqual([['dmar.reserved.nonzero', 74, 1, 'SIDP device scope Flags bits 7:5 is 0x3f; reserved bits should be 0']]);
  });

  it('scope views decode every field and the path', () => {
    const table = parseDmar(dmar({ structures: [drhd({ flags: 1, scopes: [scope({ type: 3, enumerationId: 9, startBus: 0xf0, path: [[0x1f, 7], [3, 1]] })] })] }).bytes);
    const [unit] = table.structuresOfKind('drhd');
    expect([...unit!.deviceScopes()].map((item) => item.toJSON())).toEqual([
      { type: 3, kind: 'ioapic', offset: 64, length: 10, flags: 0, reserved: 0, enumerationId: 9, startBusNumber: 0xf0, path: [{ device: 0x1f, function: 7 }, { device: 3, function: 1 }] },
    ]);
  });
});

describe('structure rules', () => {
  it('DRHD register base: 0 rejected, unaligned named; reserved Flags and Size bits', () => {
    expect(list([drhd({ flags: 1, base: 0n })])).toEqual([['dmar.drhd.base-zero', 56, 8, 'DRHD Register Base Address is 0; Linux rejects this unit ("Your BIOS is broken; DMAR reported at address 0")']]);
    expect(list([drhd({ flags: 1, base: 0xfed90800n })])).toEqual([['dmar.drhd.misaligned', 56, 8, 'DRHD Register Base Address 0xfed90800 is not 4 KiB aligned']]);
    expect(list([drhd({ flags: 3, size: 0x25 })])).toEqual([
      ['dmar.reserved.nonzero', 52, 1, 'DRHD Flags bits 7:1 is 0x3; reserved bits should be 0'],
      ['dmar.reserved.nonzero', 53, 1, 'DRHD Size bits 7:4 is 0x25; reserved bits should be 0'],
    ]);
  });

  it('DRHD views: INCLUDE_PCI_ALL from bit 0, register set pages from Size bits 3:0', () => {
    const [unit] = parseDmar(dmar({ structures: [drhd({ flags: 3, size: 0x23, segment: 2, base: 0xfed90000n })] }).bytes).structuresOfKind('drhd');
    expect(unit!.toJSON()).toMatchObject({ flags: 3, includePciAll: true, size: 0x23, registerSetPages: 8, segmentNumber: 2, registerBaseAddress: 0xfed90000n, deviceScopes: [] });
    const [plain] = parseDmar(dmar({ structures: [drhd({ flags: 2 })] }).bytes).structuresOfKind('drhd');
    expect(plain!.includePciAll).toBe(false);
  });

  it('DRHD repeats and INCLUDE_PCI_ALL order, with the offsets named', () => {
    const second = drhd({ flags: 0, base: 0xfed91000n, scopes: [EP] }); // 24 bytes
    expect(list([ALL, second, drhd({ flags: 0, base: 0xfed92000n, scopes: [EP] })])).toEqual([
      ['dmar.drhd.include-all-not-last', 48, undefined, 'INCLUDE_PCI_ALL DRHD for segment 0x0000 is followed by the DRHD at 0x40 of the same segment; the spec wants it last (Linux tolerates this)'],
    ]);
    expect(list([ALL, drhd({ flags: 1, base: 0xfed91000n })])).toEqual([['dmar.drhd.include-all-dup', 64, undefined, 'second INCLUDE_PCI_ALL DRHD for segment 0x0000; the first is at 0x30']]);
    expect(list([second, drhd({ flags: 0, base: 0xfed91000n, scopes: [EP] }), ALL])).toEqual([
      ['dmar.drhd.duplicate', 72, undefined, 'DRHD for segment 0x0000 at register base 0xfed91000 repeats the DRHD at 0x30; Linux ignores the repeat'],
    ]);
    // Another segment's INCLUDE_PCI_ALL is no second one, and its DRHD no follower.
    expect(list([ALL, drhd({ flags: 1, segment: 1, base: 0xfed91000n }), drhd({ flags: 0, segment: 1, base: 0xfed92000n, scopes: [EP] })]).map((row) => [row[0], row[1]])).toEqual([['dmar.drhd.include-all-not-last', 64]]);
  });

  it('RMRR: base not below limit, each misalignment, scope-less, above the width', () => {
    expect(list([ALL, rmrr({ base: 0x2000n, limit: 0x1fffn, scopes: [EP] })])).toEqual([
      ['dmar.rmrr.base-after-limit', 72, 16, 'RMRR [0x2000, 0x1fff]: Base is not below Limit; Linux reports a bad RMRR and still uses it as given'],
    ]);
    expect(list([ALL, rmrr({ base: 0x2000n, limit: 0x2000n, scopes: [EP] })])).toEqual([
      ['dmar.rmrr.base-after-limit', 72, 16, 'RMRR [0x2000, 0x2000]: Base is not below Limit; Linux reports a bad RMRR and still uses it as given'],
      ['dmar.rmrr.misaligned', 80, 8, 'RMRR [0x2000, 0x2000]: Limit + 1 is not 4 KiB aligned'],
    ]);
    expect(list([ALL, rmrr({ base: 0x2800n, limit: 0x3fffn, scopes: [EP] })])).toEqual([['dmar.rmrr.misaligned', 72, 8, 'RMRR [0x2800, 0x3fff]: Base is not 4 KiB aligned']]);
    expect(list([ALL, rmrr({ base: 0x2000n, limit: 0x2fffn, scopes: [] })])).toEqual([['dmar.rmrr.no-scope', 64, undefined, 'RMRR [0x2000, 0x2fff] lists no device scope, so no device receives it']]);
    // 39 bits: a last byte of 2^39 − 1 fits, 2^39 + 4095 does not.
    expect(list([ALL, rmrr({ base: 0x7fffff0000n, limit: 0x7fffffffffn, scopes: [EP] })])).toEqual([]);
    expect(list([ALL, rmrr({ base: 0x8000000000n, limit: 0x8000000fffn, scopes: [EP] })])).toEqual([
      ['dmar.rmrr.above-haw', 80, 8, 'RMRR [0x8000000000, 0x8000000fff] reaches beyond the 39-bit host address width; Linux 6.1 crashes at boot if a device present at boot receives it and it ends at or below 2^57 ("iommu width (39) is not sufficient for the mapped address")'],
    ]);
    // Limit 2^64 − 1: Limit + 1 wraps to 0, aligned as the kernel's u64 sees it; a 64-bit width has nothing above it.
    expect(list({ hawRaw: 63, structures: [ALL, rmrr({ base: 0xfffffffffffff000n, limit: 0xffffffffffffffffn, scopes: [EP] })] }).map((row) => row[0])).toEqual(['dmar.haw.large']);
    expect(list({ hawRaw: 62, structures: [ALL, rmrr({ base: 0xfffffffffffff000n, limit: 0xffffffffffffffffn, scopes: [EP] })] }).map((row) => row[0])).toEqual(['dmar.rmrr.above-haw']);
  });

  it('RHSA: extra bytes, orphan base, fields', () => {
    expect(list([ALL, rhsa({ base: 0xfed90000n, extra: [0, 0, 0, 0] })])).toEqual([['dmar.length.long', 64, 24, 'RHSA Length is 24; the structure is exactly 20 bytes and the 4 extra bytes are ignored']]);
    expect(list([ALL, rhsa({ base: 0xfed91000n })])).toEqual([['dmar.rhsa.orphan', 72, 8, 'RHSA names register base 0xfed91000, which no DRHD has ("RHSA refers to non-existent DMAR unit")']]);
    const [affinity] = parseDmar(dmar({ structures: [ALL, rhsa({ base: 0xfed90000n, proximityDomain: 0x01020304 })] }).bytes).structuresOfKind('rhsa');
    expect(affinity!.toJSON()).toMatchObject({ reserved: 0, registerBaseAddress: 0xfed90000n, proximityDomain: 0x01020304 });
  });

  it('ANDD: name, number, 24-bit reserved field, unterminated and duplicate numbers', () => {
    const name = andd({ deviceNumber: 3, name: '\\_SB.I2C1' }); // 8 + 10 bytes
    name[4] = 1;
    name[6] = 2;
    const table = parseDmar(dmar({ structures: [ALL, name] }).bytes);
    expect([...table.structuresOfKind('andd')].map((item) => item.toJSON())).toEqual([
      { type: 4, kind: 'andd', offset: 64, length: 18, reserved: 0x020001, acpiDeviceNumber: 3, objectName: '\\_SB.I2C1', objectNameTerminated: true },
    ]);
    expect(table.diagnostics.map((item) => [item.code, item.offset, item.length, item.message])).toEqual([['dmar.reserved.nonzero', 68, 3, 'ANDD Reserved is 0x20001; reserved bits should be 0']]);
    const open = andd({ name: 'AB', terminated: false });
    expect(list([ALL, open])).toEqual([
      ['dmar.andd.unterminated', 64, 10, 'ANDD object name has no NUL inside the structure; Linux ("ANDD object name is not NUL-terminated") then fails the whole DMAR parse and leaves the IOMMU off'],
    ]);
    const [unterminated] = parseDmar(dmar({ structures: [ALL, open] }).bytes).structuresOfKind('andd');
    expect([unterminated!.objectName, unterminated!.objectNameTerminated]).toEqual(['AB', false]);
    expect(list([ALL, andd({ deviceNumber: 5, name: 'A' }), andd({ deviceNumber: 5, name: 'B' })])).toEqual([
      ['dmar.andd.duplicate', 64 + 10 + 7, 1, 'ANDD declares ACPI device number 0x5, already declared by the ANDD at 0x40'],
    ]);
  });

  it('segments no DRHD covers and namespace scopes no ANDD declares', () => {
    expect(list([ALL, rmrr({ segment: 3, scopes: [EP] })])).toEqual([['dmar.segment.no-drhd', 70, 2, 'RMRR names PCI segment 0x0003, which no DRHD covers']]);
    expect(list([drhd({ flags: 1, scopes: [scope({ type: 5, enumerationId: 4 })] })])).toEqual([['dmar.scope.namespace-orphan', 68, 1, 'ACPI namespace device scope names ACPI device number 0x4, which no ANDD declares']]);
    expect(list([drhd({ flags: 1, scopes: [scope({ type: 5, enumerationId: 4 })] }), andd({ deviceNumber: 4 })])).toEqual([]);
    expect(list([rmrr({ scopes: [EP] })])).toEqual([['dmar.drhd.none', 0, undefined, 'the table has no DRHD; Linux reports "No DRHD structure found" and finds no DMAR units, so the IOMMU stays off']]);
  });

  it('2 bytes left in a structure are read as a scope Length; 1 byte is a stray even when a structure follows', () => {
    // DRHD (16 + 8 + 2 = 26 bytes) at 48: the last two bytes at 72 are a scope header cut short.
    expect(list([drhd({ flags: 1, scopes: [EP, [1, 8]] })])).toEqual([['dmar.scope.overrun', 72, 2, 'device scope Length 8 runs 6 bytes past the end of its DRHD at 0x4a; scanning stops']]);
    expect(list([drhd({ flags: 1, scopes: [EP, [1, 4]] })])).toEqual([['dmar.scope.length', 72, 2, 'device scope Length 4 in DRHD is below the 6-byte scope header; the remaining 2 bytes of the structure are not scanned']]);
    // One stray byte, then an RMRR (type 1): its first byte is not read as the scope's Length.
    expect(list([drhd({ flags: 1, scopes: [EP, [1]] }), rmrr({ scopes: [EP] })])).toEqual([['dmar.scope.overrun', 72, 1, '1 stray byte(s) at the end of DRHD cannot hold a device scope']]);
  });

  it('only an ANDD gets the NUL check: an ATSR without a zero byte after its header is no ANDD', () => {
    const noZero = scope({ type: 2, flags: 1, reserved: 1, enumerationId: 1, startBus: 1, path: [[0x1c, 1]] });
    expect(list([ALL, segmentStructure(2, { flags: 1, reserved: 1, scopes: [noZero] })]).map((row) => row[0])).not.toContain('dmar.andd.unterminated');
  });

  it('a scope path is decoded once per view', () => {
    const [unit] = parseDmar(dmar({ structures: [drhd({ flags: 1, scopes: [EP] })] }).bytes).structuresOfKind('drhd');
    const [first] = unit!.deviceScopes();
    expect(first!.path).toBe(first!.path);
  });

  it('a header cut before its HAW byte has no width; an invalid HAW leaves RMRRs unchecked against it', () => {
    const cut = dmar({ structures: [ALL] }).bytes.slice(0, 36);
    const table = parseDmar(cut);
    expect(table.headerUsable).toBe(true);
    expect([table.hostAddressWidth, table.usableHostAddressWidth]).toEqual([undefined, undefined]);
    expect(list({ hawRaw: 5, structures: [ALL, rmrr({ base: 0x8000000000n, limit: 0x8000000fffn, scopes: [EP] })] }).map((row) => row[0])).toEqual(['dmar.haw.invalid']);
  });
});
