/**
 * Per-type node checks (src/iort/validate-kinds.ts; spec §3.6–3.13, §5 rules 20, 21, 28–30, 34,
 * 35) with their messages. Nodes come from test/support/iort-builder.ts, the first at 48; offsets
 * inside a node are the spec's (ITS identifiers at 20; named-component name at 29; root complex
 * reserved byte 35 and Flags 36, revision < 4 reserved bytes 33–35; SMMUv1/v2 global interrupts
 * at 60, context count/offset at 44/48; SMMUv3 reserved word 28; PMCG overflow GSIV 24).
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { Bytes, TYPE, buildIort, itsGroup, namedComponent, pmcg, rmr, rootComplex, smmuV1V2, smmuV3, type NodeSpec } from './support/iort-builder.js';

const FULL = { inputBase: 0, idCount: 0xffff };
const found = (nodes: NodeSpec[], code: string) =>
  parseIort(buildIort(nodes).bytes)
    .diagnostics.filter((item) => item.code === code)
    .map(({ offset, message }) => ({ offset, message }));

describe('ITS groups', () => {
  it('ID mappings, or only a mapping reference, are reported with both values', () => {
    expect(found([itsGroup([0], { mappings: [{ ...FULL, target: 0 }] })], 'iort.its.has-mappings')).toEqual([{ offset: 56, message: 'ITS group at 0x30 has 1 ID mappings at reference 0x18; both must be 0' }]);
    expect(found([itsGroup([0], { mappingOffset: 24 })], 'iort.its.has-mappings')).toEqual([{ offset: 56, message: 'ITS group at 0x30 has 0 ID mappings at reference 0x18; both must be 0' }]);
    expect(found([itsGroup([0])], 'iort.its.has-mappings')).toEqual([]);
  });

  it('identifiers that do not fit the Length; exactly fitting ones are read', () => {
    expect(found([itsGroup([0, 1], { length: 27 })], 'iort.array.outside-node')).toEqual([{ offset: 64, message: 'ITS group at 0x30: 2 identifiers do not fit in its Length 27; not read' }]);
    expect(found([itsGroup([0, 1], { length: 28 })], 'iort.array.outside-node')).toEqual([]);
  });
});

describe('named components', () => {
  it('a name without NUL before the node end (or the mapping array)', () => {
    const fixed = new Bytes().u32(0).u32(1).u32(0).u8(48).ascii('\\_SB.X', false).done();
    expect(found([{ type: TYPE.nc, revision: 4, fixed }], 'iort.nc.unterminated')).toEqual([{ offset: 77, message: 'node at 0x30: device name "\\_SB.X" has no NUL before offset 0x23 of the node' }]);
  });

  it('a node that ends where the name would start is reported at the node', () => {
    const fixed = new Bytes().u32(0).u32(1).u32(0).u8(48).done();
    expect(found([{ type: TYPE.nc, revision: 4, fixed }], 'iort.nc.unterminated')).toEqual([{ offset: 48, message: 'node at 0x30: device name "" has no NUL before offset 0x1d of the node' }]);
  });

  it('the name ends at the mapping array (space rule); an array inside the fixed fields overlaps them', () => {
    // The mapping array at 36 cuts the name "\_SB.ABCD" (29..38): unterminated, no overlap.
    const cut = namedComponent('\\_SB.ABCD', { mappings: [{ ...FULL, target: 1 }], mappingOffset: 36, length: 60 });
    expect(found([cut, smmuV3()], 'iort.array.overlap')).toEqual([]);
    expect(found([cut, smmuV3()], 'iort.nc.unterminated')).toEqual([{ offset: 77, message: 'node at 0x30: device name "\\_SB.AB" has no NUL before offset 0x24 of the node' }]);
    // At 20 the array covers the memory access fields: the fixed part is [0, 29) with an empty name.
    const inside = namedComponent('\\_SB.ABCD', { mappings: [{ ...FULL, target: 1 }], mappingOffset: 20, length: 60 });
    expect(found([inside, smmuV3()], 'iort.array.overlap')).toEqual([{ offset: 60, message: 'node at 0x30: ID mapping array [0x14, 0x28) overlaps the fixed part [0x0, 0x1d)' }]);
  });
});

describe('root complexes', () => {
  it('revision 4: byte 35 is reserved, PASID bytes 33–34 are not', () => {
    expect(found([rootComplex(0, { patch32: [[32, 0x0700_0040]] })], 'iort.reserved.nonzero')).toEqual([{ offset: 83, message: 'root complex at 0x30: reserved byte at +0x23 is 0x7' }]);
    expect(found([rootComplex(0, { pasid: 5 })], 'iort.reserved.nonzero')).toEqual([]);
  });

  it('revisions 1–3: bytes 33–35 are reserved; the first non-zero one is reported', () => {
    expect(found([rootComplex(0, { size: 36, pasid: 0x0500 })], 'iort.reserved.nonzero')).toEqual([{ offset: 82, message: 'root complex at 0x30: reserved byte at +0x22 is 0x5' }]);
    expect(found([rootComplex(0, { size: 36, pasid: 0x0201 })], 'iort.reserved.nonzero').map((item) => item.offset)).toEqual([81]);
  });

  it('Flags bits above bit 0 are reserved; bit 1 gets the EDK2 note', () => {
    expect(found([rootComplex(0, { flags: 2 })], 'iort.reserved.nonzero')).toEqual([{ offset: 84, message: 'root complex at 0x30: Flags 0x2 has reserved bits set (bit 1 was "PASID supported" in EDK2 before 2025)' }]);
    expect(found([rootComplex(0, { flags: 4 })], 'iort.reserved.nonzero').map((item) => item.message)).toEqual(['root complex at 0x30: Flags 0x4 has reserved bits set']);
    expect(found([rootComplex(0, { flags: 1 })], 'iort.reserved.nonzero')).toEqual([]);
  });
});

describe('SMMUv1/v2 interrupt arrays', () => {
  it('an array past the Length is not read', () => {
    expect(found([smmuV1V2({ context: [40, 41], length: 91 })], 'iort.array.outside-node')).toEqual([{ offset: 96, message: 'node at 0x30: context interrupt array (2 × 8 bytes at 0x4c) is not inside its Length 91; not read' }]);
    expect(found([smmuV1V2({ context: [40, 41], length: 92 })], 'iort.array.outside-node')).toEqual([]);
  });

  it('arrays must not overlap each other or the fixed part', () => {
    expect(found([smmuV1V2({ context: [40, 41], patch32: [[48, 68]] })], 'iort.array.overlap')).toEqual([{ offset: 96, message: 'node at 0x30: context interrupt array [0x44, 0x54) overlaps the global interrupt array [0x3c, 0x4c)' }]);
    expect(found([smmuV1V2({ context: [40, 41], patch32: [[40, 56]] })], 'iort.array.overlap')).toEqual([{ offset: 88, message: 'node at 0x30: global interrupt array [0x38, 0x48) overlaps the fixed part [0x0, 0x3c)' }]);
    expect(found([smmuV1V2({ context: [40], pmu: [50] })], 'iort.array.overlap')).toEqual([]);
  });
});

describe('SMMUv3, PMCG and RMR nodes', () => {
  it('SMMUv3 reserved word at +28', () => {
    expect(found([smmuV3({ patch32: [[28, 9]] })], 'iort.reserved.nonzero')).toEqual([{ offset: 76, message: 'SMMUv3 at 0x30: reserved word at +0x1c is 0x9' }]);
  });

  it('a PMCG with more than one mapping, or overflow GSIV 0 without a single mapping', () => {
    expect(found([smmuV3(), pmcg(0, { gsiv: 5, mappings: [{ target: 0, flags: 1 }, { target: 0, flags: 1 }] })], 'iort.pmcg.mappings')).toEqual([{ offset: 124, message: 'PMCG at 0x74: 2 ID mappings; at most one expected' }]);
    expect(found([smmuV3(), pmcg(0, { gsiv: 0 })], 'iort.pmcg.mappings')).toEqual([{ offset: 124, message: 'PMCG at 0x74: 0 ID mappings and overflow GSIV 0 (needs one single mapping for its MSI); at most one expected' }]);
    expect(found([itsGroup([0]), pmcg(2, { gsiv: 0, mappings: [{ ...FULL, target: 0 }] }), smmuV3()], 'iort.pmcg.mappings').map((item) => item.offset)).toEqual([80]);
    expect(found([itsGroup([0]), pmcg(2, { gsiv: 0, mappings: [{ target: 0, flags: 1 }] }), smmuV3()], 'iort.pmcg.mappings')).toEqual([]);
    expect(found([smmuV3(), pmcg(0, { gsiv: 5 })], 'iort.pmcg.mappings')).toEqual([]);
  });

  it('an RMR descriptor array past the Length', () => {
    // RMR at 116: 28-byte fixed part, one mapping at 28, two descriptors at 48 would end at 88.
    expect(found([smmuV3(), rmr([[0x1_0000n, 0x1_0000n], [0x2_0000n, 0x1_0000n]], { mappings: [{ target: 0 }], length: 87 })], 'iort.array.outside-node')).toEqual([
      { offset: 140, message: 'node at 0x74: memory range descriptor array (2 × 20 bytes at 0x30) is not inside its Length 87; not read' },
    ]);
  });
});
