/**
 * The DmarTable view (src/dmar/table.ts) and the rules across structures (src/dmar/table-checks.ts)
 * at the edges a mutation can move, through parseDmar only: an unusable header, the flag getters,
 * structure walks by kind, the plain-data form; DRHD repeats across segments, INCLUDE_PCI_ALL
 * order reported once, an RHSA whose base differs only in its high half, which structures name a
 * segment, and the order rule's reserved types. Offsets and texts by hand from the builder's layout
 * (header 48 bytes; each structure's size given beside it) and spec §2.11, §5.
 */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { andd, dmar, drhd, rhsa, rmrr, scope, segmentStructure, structure, type Bytes } from './support/dmar-builder.js';

const ALL = drhd({ flags: 1 }); // 16 bytes
const EP = scope({ type: 1, path: [[2, 0]] }); // 8 bytes
type Row = [code: string, offset: number, length: number | undefined, message: string];
const list = (structures: Bytes[]): Row[] => parseDmar(dmar({ structures }).bytes).diagnostics.map((item) => [item.code, item.offset, item.length, item.message]);

describe('the table view', () => {
  it('a Length shorter than the 48-byte header: no field decoded (though the bytes are there), no structure walked', () => {
    const cut = parseDmar(dmar({ length: 40, hawRaw: 45, flags: 7, reserved: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], structures: [ALL] }).bytes);
    expect(cut.headerUsable).toBe(false);
    expect([cut.hostAddressWidth, cut.hostAddressWidthRaw, cut.usableHostAddressWidth, cut.flags]).toEqual([undefined, undefined, undefined, undefined]);
    expect([cut.interruptRemapping, cut.x2apicOptOut, cut.dmaControlPlatformOptIn]).toEqual([false, false, false]);
    expect(cut.reserved).toHaveLength(0);
    expect(cut.structureOffsets).toEqual([]);
    expect(cut.toJSON()).toMatchObject({ signature: 'DMAR', hostAddressWidth: undefined, flags: undefined, reserved: [], structures: [] });
  });

  it('bytes ending inside the header: the flags byte unread, every flag false', () => {
    const short = parseDmar(dmar({ flags: 7, structures: [ALL] }).bytes.subarray(0, 37));
    expect([short.headerUsable, short.hostAddressWidth, short.flags]).toEqual([true, 39, undefined]);
    expect([short.interruptRemapping, short.x2apicOptOut, short.dmaControlPlatformOptIn]).toEqual([false, false, false]);
  });

  it('a whole header: width = stored + 1, each flag bit on its own, the ten reserved bytes', () => {
    const reserved = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const table = parseDmar(dmar({ hawRaw: 45, flags: 0, reserved, structures: [ALL] }).bytes);
    expect([table.hostAddressWidth, table.hostAddressWidthRaw, table.usableHostAddressWidth]).toEqual([46, 45, 46]);
    expect(Array.from(table.reserved)).toEqual(reserved);
    for (const [flags, expected] of [[0, [false, false, false]], [1, [true, false, false]], [2, [false, true, false]], [4, [false, false, true]]] as const) {
      const view = parseDmar(dmar({ flags, structures: [ALL] }).bytes);
      expect([view.flags, view.interruptRemapping, view.x2apicOptOut, view.dmaControlPlatformOptIn], String(flags)).toEqual([flags, ...expected]);
    }
    expect(table.toJSON()).toMatchObject({ hostAddressWidth: 46, hostAddressWidthRaw: 45, flags: 0, interruptRemapping: false, reserved, structures: [{ kind: 'drhd', offset: 48 }] });
  });

  it('structures in table order; by kind without the others; the flyweight walk visits the same offsets with their index', () => {
    const table = parseDmar(dmar({ structures: [ALL, rmrr({ scopes: [EP] }), rhsa(), rmrr({ base: 0x7d000000n, limit: 0x7d000fffn, scopes: [EP] })] }).bytes);
    // DRHD 16 at 48, RMRR 32 at 64, RHSA 20 at 96, RMRR at 116.
    expect(table.structureOffsets).toEqual([48, 64, 96, 116]);
    expect([...table.structures()].map((item) => [item.kind, item.offset])).toEqual([['drhd', 48], ['rmrr', 64], ['rhsa', 96], ['rmrr', 116]]);
    expect([...table.structuresOfKind('rmrr')].map((item) => [item.offset, item.baseAddress])).toEqual([[64, 0x7c000000n], [116, 0x7d000000n]]);
    expect([...table.structuresOfKind('atsr')]).toEqual([]);
    const visited: [string, number, number][] = [];
    table.forEachStructure((item, index) => visited.push([item.kind, item.offset, index]));
    expect(visited).toEqual([['drhd', 48, 0], ['rmrr', 64, 1], ['rhsa', 96, 2], ['rmrr', 116, 3]]);
    expect(table.toJSON().structures.map((item) => item.offset)).toEqual([48, 64, 96, 116]);
    expect(table.toJSON().diagnostics).toBe(table.diagnostics);
  });
});

describe('rules across structures', () => {
  it('a register base repeated on another segment is no repeat; the same segment and base is, named against the first', () => {
    const seg = (segment: number, flags = 0) => drhd({ flags, segment, base: 0xfed91000n, scopes: [EP] }); // 24 bytes
    // 48 seg 0, 72 seg 1, 96 seg 0 again, 120 seg 1 again.
    expect(list([seg(0), seg(1), seg(0), seg(1), ALL, drhd({ flags: 1, segment: 1 })]).filter((row) => row[0] === 'dmar.drhd.duplicate')).toEqual([
      ['dmar.drhd.duplicate', 96, undefined, 'DRHD for segment 0x0000 at register base 0xfed91000 repeats the DRHD at 0x30; Linux ignores the repeat'],
      ['dmar.drhd.duplicate', 120, undefined, 'DRHD for segment 0x0001 at register base 0xfed91000 repeats the DRHD at 0x48; Linux ignores the repeat'],
    ]);
    // Bases that differ only in the high 32 bits are two units.
    expect(list([drhd({ base: 0xfed91000n, scopes: [EP] }), drhd({ base: 0x1_fed91000n, scopes: [EP] }), ALL])).toEqual([]);
  });

  it('INCLUDE_PCI_ALL not last is reported once; a second one still names the first\'s offset', () => {
    const follower = (base: bigint) => drhd({ base, scopes: [EP] }); // 24 bytes
    // 48 ALL, 64 follower, 88 follower, 112 ALL.
    expect(list([ALL, follower(0xfed91000n), follower(0xfed92000n), drhd({ flags: 1, base: 0xfed93000n })])).toEqual([
      ['dmar.drhd.include-all-not-last', 48, undefined, 'INCLUDE_PCI_ALL DRHD for segment 0x0000 is followed by the DRHD at 0x40 of the same segment; the spec wants it last (Linux tolerates this)'],
      ['dmar.drhd.include-all-dup', 112, undefined, 'second INCLUDE_PCI_ALL DRHD for segment 0x0000; the first is at 0x30'],
    ]);
    // Three INCLUDE_PCI_ALL units: each later one names the first.
    expect(list([ALL, drhd({ flags: 1, base: 0xfed91000n }), drhd({ flags: 1, base: 0xfed92000n })]).map((row) => row[3])).toEqual([
      'second INCLUDE_PCI_ALL DRHD for segment 0x0000; the first is at 0x30',
      'second INCLUDE_PCI_ALL DRHD for segment 0x0000; the first is at 0x30',
    ]);
  });

  it('an RHSA matches a DRHD on both halves of the base', () => {
    // DRHD 16 at 48, RHSA at 64: its base field at 64 + 8.
    expect(list([drhd({ flags: 1, base: 0x2_fed90000n }), rhsa({ base: 0xfed90000n })])).toEqual([
      ['dmar.rhsa.orphan', 72, 8, 'RHSA names register base 0xfed90000, which no DRHD has ("RHSA refers to non-existent DMAR unit")'],
    ]);
    expect(list([drhd({ flags: 1, base: 0x2_fed90000n }), rhsa({ base: 0x2_fed90000n })])).toEqual([]);
  });

  it('RMRR, ATSR, SATC and SIDP name a segment; RHSA, ANDD and reserved types do not', () => {
    // DRHD 16 at 48; then ATSR (8) at 64, SATC (8) at 72, SIDP (8) at 80, RMRR (24 + 8) at 88; segment field at +6.
    expect(list([ALL, segmentStructure(2, { segment: 2 }), segmentStructure(5, { segment: 2 }), segmentStructure(6, { segment: 2 }), rmrr({ segment: 2, scopes: [EP] })]).filter((row) => row[0] === 'dmar.segment.no-drhd')).toEqual([
      ['dmar.segment.no-drhd', 70, 2, 'ATSR names PCI segment 0x0002, which no DRHD covers'],
      ['dmar.segment.no-drhd', 78, 2, 'SATC names PCI segment 0x0002, which no DRHD covers'],
      ['dmar.segment.no-drhd', 86, 2, 'SIDP names PCI segment 0x0002, which no DRHD covers'],
      ['dmar.segment.no-drhd', 94, 2, 'RMRR names PCI segment 0x0002, which no DRHD covers'],
    ]);
    // A reserved type 9 whose bytes at +6 read 2, an RHSA and an ANDD: no segment finding.
    expect(list([ALL, rhsa(), andd({ deviceNumber: 1 }), structure(9, [0, 0, 2, 0])]).filter((row) => row[0] === 'dmar.segment.no-drhd')).toEqual([]);
  });

  it('order: a known type after a higher one; reserved types neither raise nor break the order', () => {
    // RMRR (32) at 48, DRHD at 80.
    expect(list([rmrr({ scopes: [EP] }), ALL]).filter((row) => row[0] === 'dmar.order')).toEqual([
      ['dmar.order', 80, undefined, 'DRHD follows a RMRR; the spec lists structures in ascending type order'],
    ]);
    expect(list([ALL, structure(9, [0, 0, 0, 0]), rmrr({ scopes: [EP] })]).filter((row) => row[0] === 'dmar.order')).toEqual([]);
    // SIDP (type 6) is the highest ordered type: a SATC after it is out of order.
    expect(list([ALL, segmentStructure(6), segmentStructure(5)]).filter((row) => row[0] === 'dmar.order').map((row) => row[1])).toEqual([72]);
  });

  it('namespace scopes are checked against every ANDD, wherever it is', () => {
    const ns = (number: number) => scope({ type: 5, enumerationId: number });
    // DRHD with two namespace scopes (8 bytes each, one path entry) at 48: enumeration IDs at 48 + 16 + 4 and 48 + 24 + 4.
    expect(list([drhd({ flags: 1, scopes: [ns(4), ns(6)] }), andd({ deviceNumber: 4 })])).toEqual([
      ['dmar.scope.namespace-orphan', 76, 1, 'ACPI namespace device scope names ACPI device number 0x6, which no ANDD declares'],
    ]);
  });
});
