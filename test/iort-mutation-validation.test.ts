/**
 * IORT validation boundaries that mutation testing found untested (docs/mutation.md, "Left" of
 * the IORT parser bounds): the node-kind checks (src/iort/validate-kinds.ts), the ID mapping
 * checks (validate-mappings.ts), the RMR descriptor checks (validate-rmr.ts) and the table pass
 * (validate.ts). Tables come from test/support/iort-builder.ts, the first node at 48 (0x30);
 * every offset and message below is worked out by hand from the spec's layouts (docs/spec.md
 * §3.3 node header: count at +8, reference at +12; §3.4 a 20-byte mapping, flags at +16; §3.6
 * ITS identifiers at 20; §3.7 named-component name at 29; §3.9 SMMUv1/v2 PMU count/reference at
 * 52/56; §3.10 SMMUv3 reserved word 28; §3.11 PMCG page 0 at 16, overflow GSIV at 24; §3.12
 * RMR descriptors: base, length, reserved word at +16).
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { Bytes, TYPE, buildIort, itsGroup, namedComponent, pmcg, rmr, rootComplex, smmuV1V2, smmuV3, type MappingSpec, type NodeSpec } from './support/iort-builder.js';

const parse = (nodes: NodeSpec[]) => parseIort(buildIort(nodes).bytes).diagnostics;
const found = (nodes: NodeSpec[], code: string) =>
  parse(nodes).filter((item) => item.code === code).map(({ offset, message }) => ({ offset, message }));
const codes = (nodes: NodeSpec[]) => parse(nodes).map((item) => item.code);

// Two mappings whose input ranges [0x0, 0xff] and [0x10, 0x10] overlap; the second also sets a reserved flag bit.
const OVERLAPPING: MappingSpec[] = [{ inputBase: 0, idCount: 0xff, target: 1 }, { inputBase: 0x10, idCount: 0, target: 1, flags: 2 }];

describe('ID mapping scratch arrays grow for a long mapping list', () => {
  it('an overlap between mappings 98 and 99 of 100 is found', () => {
    // Disjoint ranges of 0x100 IDs, then mapping 99 = the single ID 0x6280 inside mapping 98 [0x6200, 0x62ff].
    const mappings: MappingSpec[] = Array.from({ length: 99 }, (_, index) => ({ inputBase: index * 0x100, idCount: 0xff, target: 1 }));
    mappings.push({ inputBase: 98 * 0x100 + 0x80, idCount: 0, target: 1 });
    // The name "\_SB.X" ends at 36 (29 + 7 bytes), where the mappings start: mapping 99 at 48 + 36 + 99 × 20 = 2064 = 0x810.
    expect(found([namedComponent('\\_SB.X', { mappings }), smmuV3()], 'iort.mapping.overlap')).toEqual([
      { offset: 0x810, message: 'mapping 99 at 0x810: input IDs [0x6280, 0x6280] overlap mapping 98 [0x6200, 0x62ff]' },
    ]);
  });
});

describe('ID mapping checks run only on typed nodes', () => {
  it('a named component reports the overlap and the reserved flag bit', () => {
    // Mappings at 48 + 36; mapping 1 at 0x68.
    const nodes = [namedComponent('\\_SB.X', { mappings: OVERLAPPING }), smmuV3()];
    expect(found(nodes, 'iort.mapping.overlap')).toEqual([{ offset: 0x68, message: 'mapping 1 at 0x68: input IDs [0x10, 0x10] overlap mapping 0 [0x0, 0xff]' }]);
    expect(found(nodes, 'iort.reserved.nonzero')).toEqual([{ offset: 0x78, message: 'mapping 1 at 0x68: reserved flag bits 31:1 are 0x1' }]);
  });

  it('a node of unknown type with the same mappings gets neither (its layout is unknown)', () => {
    const nodes: NodeSpec[] = [{ type: 9, mappings: OVERLAPPING }, smmuV3()];
    expect(codes(nodes)).toContain('iort.node.unknown');
    expect(found(nodes, 'iort.mapping.overlap')).toEqual([]);
    expect(found(nodes, 'iort.reserved.nonzero')).toEqual([]);
  });

  it('an ITS group carrying mappings: reported as such, never as overlapping', () => {
    const nodes = [itsGroup([0], { mappings: OVERLAPPING.map((mapping) => ({ ...mapping, flags: 0 })) }), smmuV3()];
    expect(found(nodes, 'iort.its.has-mappings').map((item) => item.offset)).toEqual([56]);
    expect(found(nodes, 'iort.mapping.overlap')).toEqual([]);
  });
});

describe("an SMMUv3's own DeviceID mapping is left out of the mapping checks", () => {
  // SMMUv3 revision 4: the DeviceID index is in effect unless all four GSIVs are wired (spec §3.10).
  const own = (gsivs: [number, number, number, number], flags: number) =>
    [smmuV3({ gsivs, index: 1, mappings: [{ inputBase: 0, idCount: 0xff, target: 1 }, { inputBase: 0x10, idCount: 0, target: 1, flags }] }), itsGroup([0])];
  // Mappings at 48 + 68: mapping 1 at 0x88, its flags at 0x98.

  it('index 1 in effect (PRI GSIV 0): mapping 1 neither overlaps nor misuses the single flag', () => {
    expect(found(own([100, 0, 102, 103], 0), 'iort.mapping.overlap')).toEqual([]);
    expect(found(own([100, 0, 102, 103], 1), 'iort.mapping.single-misuse')).toEqual([]);
  });

  it('all GSIVs wired (index not in effect): mapping 1 is an ordinary mapping', () => {
    expect(found(own([100, 101, 102, 103], 0), 'iort.mapping.overlap')).toEqual([{ offset: 0x88, message: 'mapping 1 at 0x88: input IDs [0x10, 0x10] overlap mapping 0 [0x0, 0xff]' }]);
    expect(found(own([100, 101, 102, 103], 1), 'iort.mapping.single-misuse')).toEqual([{ offset: 0x98, message: 'mapping 1 at 0x88: single-mapping flag on a type 4 node; Linux skips the entry' }]);
  });
});

describe('ITS group extents and mapping fields', () => {
  it('the fixed part ends after the identifiers: 20 + 4 × 2 = 0x1c', () => {
    const nodes = [itsGroup([0, 1], { mappings: [{ inputBase: 0, idCount: 0, target: 0 }], mappingOffset: 24 })];
    expect(found(nodes, 'iort.array.overlap')).toEqual([{ offset: 60, message: 'node at 0x30: ID mapping array [0x18, 0x2c) overlaps the fixed part [0x0, 0x1c)' }]);
  });

  it('a mapping count with a zero reference is reported', () => {
    expect(found([itsGroup([0], { mappingCount: 1, mappingOffset: 0 })], 'iort.its.has-mappings')).toEqual([{ offset: 56, message: 'ITS group at 0x30 has 1 ID mappings at reference 0x0; both must be 0' }]);
  });
});

describe('IWB device name', () => {
  it('is searched from +26 (not the named component\'s +29): an unterminated one is reported there', () => {
    // Config frame base (8), IWB index (2), then the name at 26..31 without NUL; Length 32 = 0x20.
    const fixed = new Bytes().u64(0x2f00_0000n).u16(1).ascii('\\_SB.I', false).done();
    expect(found([{ type: TYPE.iwb, revision: 1, fixed }], 'iort.nc.unterminated')).toEqual([{ offset: 74, message: 'node at 0x30: device name "\\_SB.I" has no NUL before offset 0x20 of the node' }]);
  });
});

describe('the ID mapping array as an extent', () => {
  it('a zero count with a reference inside the fixed part is no array', () => {
    expect(found([namedComponent('\\_SB.X', { mappingCount: 0, mappingOffset: 20 })], 'iort.array.overlap')).toEqual([]);
  });

  it('an array outside the node is reported as such, not as overlapping', () => {
    // One mapping at 20 needs 40 bytes; the node is 36 long.
    const nodes = [namedComponent('\\_SB.X', { mappingCount: 1, mappingOffset: 20, length: 36 })];
    expect(found(nodes, 'iort.mapping.outside-node')).toEqual([{ offset: 60, message: 'node at 0x30: 1 ID mappings at reference 0x14 do not fit inside its Length 36; not read' }]);
    expect(found(nodes, 'iort.array.overlap')).toEqual([]);
  });
});

describe('PMCG: overflow GSIV 0 needs one single mapping', () => {
  const message = (count: number) => `PMCG at 0x30: ${count} ID mappings and overflow GSIV 0 (needs one single mapping for its MSI); at most one expected`;

  it('no mappings: reported, even when the bytes where mapping 0 would be have the single bit', () => {
    // With reference 0, "mapping 0" would be the node itself: its flags word is page 0's low word (+16), made odd here.
    expect(found([pmcg(1, { patch32: [[16, 0x1000_0001]] }), smmuV3()], 'iort.pmcg.mappings')).toEqual([{ offset: 56, message: message(0) }]);
  });

  it('a mapping outside the node is not read: reported, though the bytes past the node have the bit', () => {
    // Mapping 0 at +40 of a 40-byte PMCG: its flags would be the next node's +16 (the SMMUv3 base, made odd).
    const nodes = [pmcg(1, { mappingCount: 1, mappingOffset: 40 }), smmuV3({ patch32: [[16, 0x0900_0001]] })];
    expect(found(nodes, 'iort.pmcg.mappings')).toEqual([{ offset: 56, message: message(1) }]);
  });

  it('one mapping inside: reported unless it is single', () => {
    const one = (flags: number) => [pmcg(1, { mappings: [{ inputBase: 0, idCount: 0, target: 2, flags }] }), smmuV3(), itsGroup([0])];
    expect(found(one(0), 'iort.pmcg.mappings')).toEqual([{ offset: 56, message: message(1) }]);
    expect(found(one(1), 'iort.pmcg.mappings')).toEqual([]);
  });
});

describe('SMMUv1/v2 PMU interrupt array', () => {
  it('is bounds-checked like the context array, by its own count', () => {
    // Context interrupt at 76, PMU interrupts at 84..100; Length 99 cuts the PMU array.
    expect(found([smmuV1V2({ context: [40], pmu: [50, 51], length: 99 })], 'iort.array.outside-node')).toEqual([
      { offset: 104, message: 'node at 0x30: PMU interrupt array (2 × 8 bytes at 0x54) is not inside its Length 99; not read' },
    ]);
  });

  it('is named in an overlap with the context array', () => {
    // PMU reference moved from 84 to 80: [0x50, 0x60) against the context array [0x4c, 0x54).
    expect(found([smmuV1V2({ context: [40], pmu: [50, 51], patch32: [[56, 80]] })], 'iort.array.overlap')).toEqual([
      { offset: 104, message: 'node at 0x30: PMU interrupt array [0x50, 0x60) overlaps the context interrupt array [0x4c, 0x54)' },
    ]);
  });
});

describe('RMR descriptors outside the node are not read', () => {
  it('only the array finding; the cut descriptor is not checked', () => {
    // Two descriptors at 28..68 in a 67-byte node (the last of the table): descriptor 1 (base at
    // +48, misaligned) lies partly outside, its reserved word past the table end.
    const nodes = [rmr([[0x1_0000n, 0x1_0000n], [0x2_0001n, 0x1_0000n]], { length: 67 })];
    expect(found(nodes, 'iort.array.outside-node')).toEqual([{ offset: 72, message: 'node at 0x30: memory range descriptor array (2 × 20 bytes at 0x1c) is not inside its Length 67; not read' }]);
    const read = codes(nodes).filter((code) => code.startsWith('iort.rmr.') && code !== 'iort.rmr.no-mappings');
    expect(read).toEqual([]);
    expect(found(nodes, 'iort.reserved.nonzero')).toEqual([]);
  });
});

describe('table pass: short nodes and duplicate keys', () => {
  it('a typed node shorter than its fixed part gets no per-type checks', () => {
    // SMMUv3 revision 4 needs 68 bytes; at 60 its reserved word (+28, set to 5) is not checked.
    const nodes = [smmuV3({ length: 60, patch32: [[28, 5]] })];
    expect(found(nodes, 'iort.length.short')).toEqual([{ offset: 48, message: 'type 4 revision 4 node at 0x30 has Length 60, less than its 68-byte fixed part; kept as unknown' }]);
    expect(found(nodes, 'iort.reserved.nonzero')).toEqual([]);
  });

  it('a root complex shorter than 32 bytes has no segment: the next node header is not read as one', () => {
    // Nodes at 0x30, 0x58, 0x80 (28 bytes, so its +28 is the next node's header), 0x9c. The header
    // word of the node at 0x9c is type 2, Length 40, revision 4 = 0x04002802, also that node's segment.
    const nodes = [rootComplex(7), rootComplex(7), rootComplex(9, { length: 28 }), rootComplex(0x0400_2802)];
    expect(found(nodes, 'iort.id.duplicate')).toEqual([{ offset: 0x58 + 28, message: 'PCI segment 0x0007 has root complexes at 0x30, 0x58; Linux uses the first' }]);
  });

  it('sixteen root complexes with distinct identifiers and segments: no duplicate', () => {
    // 32 keys (16 identifiers, 16 segments) in the index: it must be sized for them.
    const nodes = Array.from({ length: 16 }, (_, index) => rootComplex(index));
    expect(found(nodes, 'iort.id.duplicate')).toEqual([]);
    nodes.push(rootComplex(3));
    expect(found(nodes, 'iort.id.duplicate').map((item) => item.message)).toEqual([`PCI segment 0x0003 has root complexes at 0x${(48 + 3 * 40).toString(16)}, 0x${(48 + 16 * 40).toString(16)}; Linux uses the first`]);
  });
});
