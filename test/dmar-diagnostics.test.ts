/** One hand-built specimen per DMAR diagnostic code, each asserted at its exact offset. */
import { describe, expect, test } from 'vitest';
import { DMAR_CODES, parseDmar, type DmarCode } from '../src/dmar/index.js';
import { andd, dmar, drhd, rhsa, rmrr, scope, segmentStructure, structure, type BuiltTable, type Bytes } from './support/dmar-builder.js';

const ENDPOINT = scope({ type: 1, path: [[2, 0]] });
const BRIDGE = scope({ type: 2, path: [[0x1c, 0]] });
const IOAPIC = scope({ type: 3, enumerationId: 2, startBus: 0xf0, path: [[0x1f, 0]] });
const NAMESPACE = scope({ type: 5, enumerationId: 1, startBus: 0, path: [[0x15, 0]] });

/** Every structure type, in order, all valid: must raise nothing. */
function cleanStructures(): Bytes[] {
  return [
    drhd({ base: 0xfed90000n, scopes: [ENDPOINT] }),
    drhd({ flags: 1, base: 0xfed91000n, scopes: [IOAPIC, NAMESPACE] }),
    rmrr({ scopes: [ENDPOINT] }),
    segmentStructure(2, { scopes: [BRIDGE] }),
    rhsa({ base: 0xfed91000n }),
    andd({ deviceNumber: 1 }),
    segmentStructure(5, { flags: 1, scopes: [ENDPOINT] }),
    segmentStructure(6, { scopes: [scope({ type: 1, flags: 0x1f })] }),
  ];
}

const VALID_DRHD = drhd({ flags: 1, base: 0xfed90000n, scopes: [IOAPIC] });
const DRHD_SIZE = VALID_DRHD.length; // 24
const FIRST = 48;
const SECOND = FIRST + DRHD_SIZE;

interface Specimen {
  table: BuiltTable;
  offset: number;
}

/** Table with one valid DRHD followed by `rest`; offsets of `rest` start at SECOND. */
function afterDrhd(...rest: Bytes[]): BuiltTable {
  return dmar({ structures: [VALID_DRHD, ...rest] });
}

const SPECIMENS: Record<DmarCode, Specimen> = {
  'dmar.length.zero': { table: afterDrhd(structure(1, new Array(20).fill(0), 0)), offset: SECOND },
  'dmar.length.short': { table: afterDrhd(rmrr({ length: 16, scopes: [] }).slice(0, 16)), offset: SECOND },
  'dmar.length.overrun': { table: afterDrhd(rmrr({ length: 64 })), offset: SECOND },
  'dmar.length.long': { table: afterDrhd(rhsa({ extra: [0, 0, 0, 0] })), offset: SECOND },
  'dmar.type.unknown': { table: afterDrhd(structure(7, [0, 0, 0, 0])), offset: SECOND },
  'dmar.order': { table: dmar({ structures: [rmrr(), VALID_DRHD] }), offset: FIRST + rmrr().length },
  'dmar.reserved.nonzero': { table: dmar({ reserved: [0, 0, 0, 5, 0, 0, 0, 0, 0, 0], structures: [VALID_DRHD] }), offset: 41 },
  'dmar.segment.no-drhd': { table: afterDrhd(rmrr({ segment: 1 })), offset: SECOND + 6 },
  'dmar.haw.invalid': { table: dmar({ hawRaw: 0, structures: [VALID_DRHD] }), offset: 36 },
  'dmar.haw.large': { table: dmar({ hawRaw: 64, structures: [VALID_DRHD] }), offset: 36 },
  'dmar.scope.length': { table: dmar({ structures: [drhd({ scopes: [ENDPOINT, scope({ type: 1, length: 4 })] })] }), offset: FIRST + 16 + 8 },
  'dmar.scope.no-path': { table: dmar({ structures: [drhd({ scopes: [scope({ type: 1, path: [] })] })] }), offset: FIRST + 16 },
  'dmar.scope.overrun': { table: dmar({ structures: [drhd({ scopes: [scope({ type: 1, length: 10 })] })] }), offset: FIRST + 16 },
  'dmar.scope.path-odd': { table: dmar({ structures: [drhd({ scopes: [scope({ type: 1, extra: [0] })] })] }), offset: FIRST + 16 },
  'dmar.scope.type': { table: afterDrhd(rmrr({ scopes: [ENDPOINT, IOAPIC] })), offset: SECOND + 24 + 8 },
  'dmar.scope.path-range': { table: dmar({ structures: [drhd({ scopes: [scope({ type: 2, path: [[0x1c, 0], [32, 0]] })] })] }), offset: FIRST + 16 + 8 },
  'dmar.scope.namespace-orphan': { table: dmar({ structures: [drhd({ flags: 1, scopes: [NAMESPACE] })] }), offset: FIRST + 16 + 4 },
  'dmar.drhd.none': { table: dmar({ structures: [rmrr()] }), offset: 0 },
  'dmar.drhd.base-zero': { table: dmar({ structures: [drhd({ flags: 1, base: 0n })] }), offset: FIRST + 8 },
  'dmar.drhd.misaligned': { table: dmar({ structures: [drhd({ flags: 1, base: 0xfed90010n })] }), offset: FIRST + 8 },
  'dmar.drhd.duplicate': { table: dmar({ structures: [drhd({ scopes: [ENDPOINT] }), drhd({ scopes: [BRIDGE] })] }), offset: FIRST + 24 },
  'dmar.drhd.include-all-dup': { table: dmar({ structures: [VALID_DRHD, drhd({ flags: 1, base: 0xfed91000n })] }), offset: SECOND },
  'dmar.drhd.include-all-not-last': { table: afterDrhd(drhd({ base: 0xfed91000n, scopes: [ENDPOINT] })), offset: FIRST },
  'dmar.rmrr.base-after-limit': { table: afterDrhd(rmrr({ base: 0x2000n, limit: 0x1fffn })), offset: SECOND + 8 },
  'dmar.rmrr.misaligned': { table: afterDrhd(rmrr({ base: 0x1000n, limit: 0x17ffn })), offset: SECOND + 16 },
  'dmar.rmrr.no-scope': { table: afterDrhd(rmrr({ scopes: [] })), offset: SECOND },
  'dmar.rmrr.above-haw': { table: afterDrhd(rmrr({ base: 0x80_0000_0000n, limit: 0x80_0000_0fffn })), offset: SECOND + 16 },
  'dmar.rhsa.orphan': { table: afterDrhd(rhsa({ base: 0xfed91000n })), offset: SECOND + 8 },
  'dmar.andd.unterminated': { table: afterDrhd(andd({ terminated: false })), offset: SECOND },
  'dmar.andd.duplicate': { table: afterDrhd(andd({ deviceNumber: 1 }), andd({ deviceNumber: 1 })), offset: SECOND + andd().length + 7 },
};

describe('DMAR diagnostics', () => {
  test('a clean table with every structure type raises nothing', () => {
    const table = parseDmar(dmar({ structures: cleanStructures() }).bytes);
    expect(table.diagnostics).toEqual([]);
    expect([...table.structures()].map((item) => item.kind)).toEqual(['drhd', 'drhd', 'rmrr', 'atsr', 'rhsa', 'andd', 'satc', 'sidp']);
  });

  test('every code in DMAR_CODES has a specimen', () => {
    const missing = Object.keys(DMAR_CODES).filter((code) => !(code in SPECIMENS));
    expect(missing).toEqual([]);
  });

  test.each(Object.entries(SPECIMENS))('%s is raised at its offset, and nothing else is', (code, specimen) => {
    const table = parseDmar(specimen.table.bytes);
    expect(table.diagnostics.map((item) => [item.code, item.offset])).toEqual([[code, specimen.offset]]);
    expect(table.diagnostics[0]!.severity).toBe(DMAR_CODES[code as DmarCode].severity);
  });
});

describe('DMAR framing details', () => {
  test('a structure shorter than its fixed part is kept as unknown and the walk continues', () => {
    const short = rmrr({ length: 16, scopes: [] }).slice(0, 16);
    const table = parseDmar(dmar({ structures: [VALID_DRHD, short, rhsa()] }).bytes);
    expect([...table.structures()].map((item) => item.kind)).toEqual(['drhd', 'unknown', 'rhsa']);
  });

  test('a Length below 4 stops the walk and keeps what came before', () => {
    const table = parseDmar(afterDrhd(structure(1, [0, 0, 0, 0], 2), rhsa()).bytes);
    expect([...table.structures()].map((item) => item.kind)).toEqual(['drhd']);
    expect(table.diagnostics.map((item) => [item.code, item.offset])).toContainEqual(['dmar.length.short', SECOND]);
  });

  test('a zero-length structure stops the walk; later structures are not parsed', () => {
    const table = parseDmar(afterDrhd(structure(1, [0, 0, 0, 0], 0), rhsa()).bytes);
    expect([...table.structures()].map((item) => item.offset)).toEqual([FIRST]);
  });

  test('scope framing: a no-path scope is kept, an overrunning scope ends the scan', () => {
    const table = parseDmar(dmar({ structures: [drhd({ scopes: [scope({ type: 1, path: [] }), ENDPOINT, scope({ type: 1, length: 12 })] })] }).bytes);
    const [unit] = table.structuresOfKind('drhd');
    expect([...unit!.deviceScopes()].map((item) => [item.offset, item.length, item.path.length])).toEqual([
      [FIRST + 16, 6, 0],
      [FIRST + 22, 8, 1],
    ]);
  });

  test('fewer than 4 bytes left at the table end is an overrun at that offset', () => {
    const table = parseDmar(afterDrhd([0, 0]).bytes);
    expect(table.diagnostics.map((item) => [item.code, item.offset])).toEqual([['dmar.length.overrun', SECOND]]);
  });

  test('an empty buffer and a bare header report at offset 0 and never throw', () => {
    expect(parseDmar(new Uint8Array()).diagnostics.map((item) => [item.code, item.offset])).toEqual([['sdt.header.truncated', 0]]);
    const bare = parseDmar(dmar({ structures: [] }).bytes);
    expect(bare.diagnostics.map((item) => [item.code, item.offset])).toEqual([['dmar.drhd.none', 0]]);
    expect(bare.toJSON().structures).toEqual([]);
  });

  test('a DRHD repeats one with the same segment and base only: same base on another segment is not a repeat', () => {
    // Offsets: 48, 72, 96, 120, 144 (24-byte DRHDs with one 8-byte scope each).
    const structures = [
      drhd({ segment: 0, base: 0xfed90000n, scopes: [ENDPOINT] }),
      drhd({ segment: 1, base: 0xfed90000n, scopes: [ENDPOINT] }),
      drhd({ segment: 1, base: 0xfed91000n, scopes: [ENDPOINT] }),
      drhd({ segment: 1, base: 0xfed91000n, scopes: [ENDPOINT] }),
      drhd({ segment: 0, base: 0xfed90000n, scopes: [ENDPOINT] }),
    ];
    const duplicates = parseDmar(dmar({ structures }).bytes).diagnostics.filter((item) => item.code === 'dmar.drhd.duplicate');
    expect(duplicates.map((item) => [item.offset, /repeats the DRHD at (0x[0-9a-f]+)/.exec(item.message)?.[1]])).toEqual([[120, '0x60'], [144, '0x30']]);
  });

  test('repeated bases and RHSA bases are found among many DRHDs too (past the short scan)', () => {
    // Ten DRHDs with bases 0x1000..0xa000 at 48 + 24·i, then repeats of 0x2000 (first at 72) and
    // 0xa000 (first at 264), then RHSAs at 336 (0xa000: a DRHD has it) and 356 (0xb000: none has).
    const structures = [
      ...Array.from({ length: 10 }, (_, index) => drhd({ base: BigInt(0x1000 * (index + 1)), scopes: [ENDPOINT] })),
      drhd({ base: 0x2000n, scopes: [ENDPOINT] }),
      drhd({ base: 0xa000n, scopes: [ENDPOINT] }),
      rhsa({ base: 0xa000n }),
      rhsa({ base: 0xb000n }),
    ];
    const diagnostics = parseDmar(dmar({ structures }).bytes).diagnostics;
    const found = diagnostics.filter((item) => item.code === 'dmar.drhd.duplicate' || item.code === 'dmar.rhsa.orphan');
    expect(found.map((item) => [item.code, item.offset, /(?:repeats the DRHD at|names register base) (0x[0-9a-f]+)/.exec(item.message)?.[1]])).toEqual([
      ['dmar.drhd.duplicate', 288, '0x48'],
      ['dmar.drhd.duplicate', 312, '0x108'],
      ['dmar.rhsa.orphan', 364, '0xb000'],
    ]);
  });

  test('segments covered by a DRHD are found among many segments too (past the short scan)', () => {
    // An RMRR of segment 9 at 48 (settled after the walk), DRHDs of segments 0..9 at 80 + 24·i,
    // then RMRRs of segment 3 at 320 (covered) and segment 20 at 352 (not: Segment field at 358).
    const structures = [
      rmrr({ segment: 9, scopes: [ENDPOINT] }),
      ...Array.from({ length: 10 }, (_, segment) => drhd({ segment, scopes: [ENDPOINT] })),
      rmrr({ segment: 3, scopes: [ENDPOINT] }),
      rmrr({ segment: 20, scopes: [ENDPOINT] }),
    ];
    const found = parseDmar(dmar({ structures }).bytes).diagnostics.filter((item) => item.code === 'dmar.segment.no-drhd');
    expect(found.map((item) => [item.offset, /PCI segment (0x[0-9a-f]+)/.exec(item.message)?.[1]])).toEqual([[358, '0x0014']]);
  });

  test('header flags decode per Linux (bit 2 is platform opt-in)', () => {
    const table = parseDmar(dmar({ flags: 0b111, structures: [VALID_DRHD] }).bytes);
    expect([table.interruptRemapping, table.x2apicOptOut, table.dmaControlPlatformOptIn]).toEqual([true, true, true]);
    expect(table.hostAddressWidth).toBe(39);
    expect(table.hostAddressWidthRaw).toBe(38);
  });
});
