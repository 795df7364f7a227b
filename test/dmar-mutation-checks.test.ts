/**
 * Survivors of the StrykerJS 10 run over the DMAR parser after the issue 14 speed rewrite
 * (src/dmar/checks.ts, table-checks.ts, walk.ts, device-scope.ts; docs/mutation.md, last section).
 * Every expected list is the table's complete diagnostic list, stated from the VT-d layout
 * (48-byte header; DRHD 16, RMRR 24, RHSA 20, ATSR/SIDP 8; scope 6 + 2 per hop; the builder's
 * RMRR carries one 8-byte endpoint scope, so it is 32 bytes) and the rules of docs/spec.md §5.
 * The cross-structure rules keep their indexes from parse to parse (table-checks.ts), so some
 * cases parse a first table whose leftovers must not leak into the second.
 */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { dmar, drhd, rhsa, rmrr, scope, segmentStructure, type Bytes } from './support/dmar-builder.js';

type Row = [code: string, offset: number, length: number | undefined, message: string];
const parse = (structures: Bytes[]) => parseDmar(dmar({ structures }).bytes);
const list = (structures: Bytes[]): Row[] => parse(structures).diagnostics.map((item) => [item.code, item.offset, item.length, item.message]);
const EP = scope({ type: 1, path: [[2, 0]] });
const BASE_A = 0xfed90000n;
const BASE_B = 0xfed91000n;
const BASE_C = 0xfed92000n;

describe('scope types (checks.ts)', () => {
  it('a namespace scope (type 5) in an RMRR is "not allowed", not "reserved"', () => {
    // RMRR at 0x40 after a 16-byte DRHD, its scope at 0x58; the scope's enumeration ID (byte 4) names ANDD number 0.
    expect(list([drhd({ flags: 1 }), rmrr({ scopes: [scope({ type: 5 })] })])).toEqual([
      ['dmar.scope.type', 88, 8, 'device scope type 5 is not allowed in RMRR (allowed: 1, 2)'],
      ['dmar.scope.namespace-orphan', 92, 1, 'ACPI namespace device scope names ACPI device number 0x0, which no ANDD declares'],
    ]);
  });

  it('scope type 37 is reserved although 1 << 37 wraps to the namespace bit a DRHD allows', () => {
    expect(list([drhd({ scopes: [scope({ type: 37 })] })])).toEqual([['dmar.scope.type', 64, 8, 'device scope type 37 is reserved; Linux skips it ("Unsupported device scope")']]);
  });
});

describe('per-structure rules (checks.ts)', () => {
  it('an ATSR names a segment no DRHD covers', () => {
    // ATSR at 0x40: Segment at +6.
    expect(list([drhd({ flags: 1 }), segmentStructure(2, { segment: 1, scopes: [scope({ type: 2 })] })])).toEqual([['dmar.segment.no-drhd', 70, 2, 'ATSR names PCI segment 0x0001, which no DRHD covers']]);
  });

  it("a masked reserved field reports only its reserved bits: INCLUDE_PCI_ALL (Flags bit 0) is not reserved when Size bits 7:4 are set", () => {
    expect(list([drhd({ flags: 1, size: 0x10 })])).toEqual([['dmar.reserved.nonzero', 53, 1, 'DRHD Size bits 7:4 is 0x10; reserved bits should be 0']]);
  });
});

describe('the structure walk (walk.ts)', () => {
  it('a SIDP (type 6) takes part in the order rule', () => {
    // SIDP at 0x40 (8 bytes), RMRR at 0x48.
    expect(list([drhd({ flags: 1 }), segmentStructure(6), rmrr()])).toEqual([['dmar.order', 72, undefined, 'RMRR follows a SIDP; the spec lists structures in ascending type order']]);
  });

  it('a structure that overruns the table is not listed among the framed ones', () => {
    expect(parse([drhd({ flags: 1 }), rmrr({ length: 45 })]).structureOffsets).toEqual([48]);
  });
});

describe('segments covered by a DRHD (table-checks.ts)', () => {
  it('an RMRR before any DRHD, naming segment 1, is not covered by the DRHD of segment 0', () => {
    // RMRR at 0x30 (segment at 0x36), DRHD at 0x50.
    expect(list([rmrr({ segment: 1 }), drhd({ flags: 1 })])).toEqual([
      ['dmar.segment.no-drhd', 54, 2, 'RMRR names PCI segment 0x0001, which no DRHD covers'],
      ['dmar.order', 80, undefined, 'DRHD follows a RMRR; the spec lists structures in ascending type order'],
    ]);
  });

  it('a segment whose DRHD is not the last one is still covered', () => {
    expect(list([drhd({ segment: 1, flags: 1, base: BASE_A }), drhd({ segment: 0, flags: 1, base: BASE_B }), rmrr({ segment: 1 })])).toEqual([]);
  });

  it("a segment covered in the previous table is not covered in this one", () => {
    expect(list([drhd({ segment: 5, flags: 1 })])).toEqual([]);
    expect(list([rmrr({ segment: 5 }), drhd({ flags: 1 })])).toEqual([
      ['dmar.segment.no-drhd', 54, 2, 'RMRR names PCI segment 0x0005, which no DRHD covers'],
      ['dmar.order', 80, undefined, 'DRHD follows a RMRR; the spec lists structures in ascending type order'],
    ]);
    expect(list([drhd({ segment: 5, flags: 1 })])).toEqual([]);
    expect(list([drhd({ flags: 1 }), rmrr({ segment: 5 })])).toEqual([['dmar.segment.no-drhd', 70, 2, 'RMRR names PCI segment 0x0005, which no DRHD covers']]);
  });
});

describe('RHSA register bases (table-checks.ts)', () => {
  it('an RHSA before its DRHD is settled by it', () => {
    // RHSA at 0x30 (20 bytes), DRHD at 0x44.
    expect(list([rhsa({ base: BASE_A }), drhd({ flags: 1, base: BASE_A })])).toEqual([['dmar.order', 68, undefined, 'DRHD follows a RHSA; the spec lists structures in ascending type order']]);
  });

  it('the base is matched on both 32-bit halves', () => {
    expect(list([drhd({ flags: 1, base: 0x1_fed9_0000n }), rhsa({ base: 0x1_fed9_0000n })])).toEqual([]);
  });

  it("a base known in the previous table does not settle an RHSA of this one", () => {
    expect(list([drhd({ flags: 1, base: BASE_A })])).toEqual([]);
    // The RHSA's base field is at 0x30 + 8.
    expect(list([rhsa({ base: BASE_A })])).toEqual([
      ['dmar.drhd.none', 0, undefined, 'the table has no DRHD; Linux reports "No DRHD structure found" and finds no DMAR units, so the IOMMU stays off'],
      ['dmar.rhsa.orphan', 56, 8, 'RHSA names register base 0xfed90000, which no DRHD has ("RHSA refers to non-existent DMAR unit")'],
    ]);
  });
});

describe('DRHD repeats and INCLUDE_PCI_ALL placement (table-checks.ts)', () => {
  it('a repeat is told against the earlier DRHD of its own segment, not the first with that base', () => {
    // DRHDs at 0x30 (segment 0), 0x40 and 0x50 (segment 1), all at BASE_A.
    expect(list([drhd({ flags: 1, base: BASE_A }), drhd({ segment: 1, flags: 1, base: BASE_A }), drhd({ segment: 1, flags: 1, base: BASE_A })])).toEqual([
      ['dmar.drhd.duplicate', 80, undefined, 'DRHD for segment 0x0001 at register base 0xfed90000 repeats the DRHD at 0x40; Linux ignores the repeat'],
      ['dmar.drhd.include-all-dup', 80, undefined, 'second INCLUDE_PCI_ALL DRHD for segment 0x0001; the first is at 0x40'],
    ]);
  });

  it('after "not last", a second INCLUDE_PCI_ALL DRHD still names the first by its offset', () => {
    // INCLUDE_PCI_ALL at 0x30, a scoped DRHD at 0x40 (24 bytes), INCLUDE_PCI_ALL again at 0x58.
    expect(list([drhd({ flags: 1, base: BASE_A }), drhd({ scopes: [EP], base: BASE_B }), drhd({ flags: 1, base: BASE_C })])).toEqual([
      ['dmar.drhd.include-all-not-last', 48, undefined, 'INCLUDE_PCI_ALL DRHD for segment 0x0000 is followed by the DRHD at 0x40 of the same segment; the spec wants it last (Linux tolerates this)'],
      ['dmar.drhd.include-all-dup', 88, undefined, 'second INCLUDE_PCI_ALL DRHD for segment 0x0000; the first is at 0x30'],
    ]);
  });

  it('two INCLUDE_PCI_ALL DRHDs, then a scoped one: the first is not last, the second a repeat', () => {
    // 0x30 and 0x40 INCLUDE_PCI_ALL, the scoped DRHD at 0x50.
    expect(list([drhd({ flags: 1, base: BASE_A }), drhd({ flags: 1, base: BASE_B }), drhd({ scopes: [EP], base: BASE_C })])).toEqual([
      ['dmar.drhd.include-all-not-last', 48, undefined, 'INCLUDE_PCI_ALL DRHD for segment 0x0000 is followed by the DRHD at 0x50 of the same segment; the spec wants it last (Linux tolerates this)'],
      ['dmar.drhd.include-all-dup', 64, undefined, 'second INCLUDE_PCI_ALL DRHD for segment 0x0000; the first is at 0x30'],
    ]);
  });

  it("another segment's INCLUDE_PCI_ALL DRHD does not make a later DRHD \"not last\"", () => {
    expect(list([drhd({ segment: 1, flags: 1, base: BASE_A }), drhd({ scopes: [EP], base: BASE_B })])).toEqual([]);
  });
});

describe('scope cursors (device-scope.ts)', () => {
  it('forEachDeviceScope counts scopes from 0 and decodes each path at its own offset', () => {
    const table = parse([drhd({ flags: 1 }), rmrr({ scopes: [EP, scope({ type: 1, path: [[3, 1]] })] })]);
    const seen: [number, number, unknown][] = [];
    table.forEachStructure((structure) => {
      if (structure.kind === 'rmrr') structure.forEachDeviceScope((item, index) => seen.push([index, item.offset, item.path]));
    });
    expect(seen).toEqual([[0, 88, [{ device: 2, function: 0 }]], [1, 96, [{ device: 3, function: 1 }]]]);
  });
});

describe('index sizing (table-checks.ts)', () => {
  it('4,100 DRHDs, each in its own segment with its own base, are all kept apart', () => {
    // More keys than an index keeps between parses (4,096 slots): each index must be sized from
    // the table, or its probe finds no free slot. Every segment has one INCLUDE_PCI_ALL DRHD: no finding.
    const units = Array.from({ length: 4100 }, (_, index) => drhd({ segment: index, flags: 1, base: 0xf000_0000n + BigInt(index) * 0x1000n }));
    expect(list(units)).toEqual([]);
  });
});
