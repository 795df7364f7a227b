/**
 * IORT node framing and validation (src/iort/walk.ts, validate.ts, validate-mappings.ts,
 * validate-rmr.ts) at their boundaries, with the text each diagnostic shows: the node, the
 * offset and the numbers are stated by hand from the builder's layout (header 48 bytes, nodes
 * one after another; an ITS group with one ID is 24 bytes, an SMMUv3 68 + 20 per mapping, a root
 * complex 40 + 20 per mapping, an RMR 28 + 20 per mapping + 20 per descriptor). Spec §3, §5.
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { buildIort, fixChecksum, itsGroup, rmr, rootComplex, smmuV3, writeU32, type BuildOptions, type NodeSpec } from './support/iort-builder.js';

const FULL = { inputBase: 0, idCount: 0xffff };
const found = (nodes: NodeSpec[], options: BuildOptions = {}, code?: string) =>
  parseIort(buildIort(nodes, options).bytes)
    .diagnostics.filter((item) => code === undefined || item.code === code)
    .map(({ code: name, offset, message }) => ({ code: name, offset, message }));

describe('framing the node array', () => {
  it('a capture cut inside the header extension names its size and points at the first missing field', () => {
    // Length still says 72; only 40 bytes were captured.
    const table = parseIort(buildIort([itsGroup([0])]).bytes.slice(0, 40));
    expect(table.diagnostics.filter((item) => item.code === 'iort.header.truncated').map(({ offset, message }) => ({ offset, message }))).toEqual([
      { offset: 36, message: 'only 40 bytes: the IORT header extension at 0x24..0x2f is cut off; no node is read' },
    ]);
  });

  it('Number of nodes 0 with bytes after the header: counted from the node array offset when it is inside', () => {
    expect(found([itsGroup([0])], { nodeCount: 0 }, 'iort.node.count')).toEqual([{ code: 'iort.node.count', offset: 48, message: 'Number of nodes is 0 but 24 bytes follow the header' }]);
    expect(found([itsGroup([0])], { nodeCount: 0, nodeArrayOffset: 56 }, 'iort.node.count')).toEqual([{ code: 'iort.node.count', offset: 56, message: 'Number of nodes is 0 but 16 bytes follow the header' }]);
    expect(found([itsGroup([0])], { nodeCount: 0, nodeArrayOffset: 72 }, 'iort.node.count')).toEqual([]);
    expect(found([itsGroup([0])], { nodeCount: 0, nodeArrayOffset: 73 }, 'iort.node.count')).toEqual([{ code: 'iort.node.count', offset: 48, message: 'Number of nodes is 0 but 24 bytes follow the header' }]);
    expect(found([], { nodeCount: 0 })).toEqual([]);
  });

  it('a node array offset before the header end or at the table end is outside', () => {
    expect(found([itsGroup([0])], { nodeArrayOffset: 47 }, 'iort.node.array-offset')).toEqual([{ code: 'iort.node.array-offset', offset: 40, message: 'node array offset 0x2f is outside [0x30, 0x48)' }]);
    expect(found([itsGroup([0])], { nodeArrayOffset: 72 }, 'iort.node.array-offset').map((item) => item.message)).toEqual(['node array offset 0x48 is outside [0x30, 0x48)']);
    expect(parseIort(buildIort([itsGroup([0])]).bytes).nodeOffsets).toEqual([48]);
  });

  it('more nodes declared than fit', () => {
    expect(found([itsGroup([0]), itsGroup([1])], { nodeCount: 3 }, 'iort.node.overflow')).toEqual([{ code: 'iort.node.overflow', offset: 36, message: 'Number of nodes is 3 but only 2 nodes fit before the table end' }]);
  });

  it('a node whose 16-byte header crosses the end', () => {
    expect(found([itsGroup([0])], { nodeCount: 2, trailing: 15 }, 'iort.length.overrun')).toEqual([{ code: 'iort.length.overrun', offset: 72, message: 'node 1 at 0x48: its 16-byte header runs past the table end 0x57' }]);
    // Sixteen bytes of zeros make a node header with Length 0 instead.
    expect(found([itsGroup([0])], { nodeCount: 2, trailing: 16 }).map((item) => item.code)).toEqual(['iort.length.zero']);
  });

  it('Length 0, below 16, and past the end stop the walk; exactly 16 is a node', () => {
    expect(found([itsGroup([0])], { trailing: 16, nodeCount: 2 }, 'iort.length.zero')).toEqual([{ code: 'iort.length.zero', offset: 72, message: 'node 1 at 0x48 has Length 0; walk stopped' }]);
    expect(found([{ type: 9, length: 15 }, itsGroup([0])], {}, 'iort.length.short')).toEqual([{ code: 'iort.length.short', offset: 48, message: 'node 0 at 0x30 has Length 15, less than the 16-byte node header; walk stopped' }]);
    expect(parseIort(buildIort([{ type: 9, length: 16 }, itsGroup([0])]).bytes).nodeOffsets).toEqual([48, 64]);
    const cut = buildIort([itsGroup([0]), smmuV3()]).bytes.slice(0, 100);
    writeU32(cut, 4, 100);
    expect(parseIort(fixChecksum(cut)).diagnostics.filter((item) => item.code === 'iort.length.overrun').map(({ offset, message }) => ({ offset, message }))).toEqual([
      { offset: 72, message: 'node 1 at 0x48 (Length 68) runs past the table end 0x64; walk stopped' },
    ]);
  });

  it('bytes after the last declared node suggest a count too small', () => {
    expect(found([itsGroup([0]), itsGroup([1])], { nodeCount: 1 }, 'iort.node.count')).toEqual([{ code: 'iort.node.count', offset: 72, message: '24 bytes follow the last of the 1 nodes; Number of nodes may be too small' }]);
  });
});

describe('node validation', () => {
  it('deprecated and withdrawn table revisions', () => {
    expect(found([itsGroup([0])], { revision: 4 }, 'iort.revision.deprecated').map((item) => item.message)).toEqual(['table revision 4 (E.c, deprecated); decoded with the E.d layout']);
    expect(found([itsGroup([0])], { revision: 2 }, 'iort.revision.deprecated').map((item) => item.message)).toEqual(['table revision 2 (withdrawn); decoded with the E.d layout']);
    expect(found([itsGroup([0])], { revision: 3 }, 'iort.revision.deprecated')).toEqual([]);
  });

  it('a non-zero header reserved word shows its value', () => {
    const built = buildIort([itsGroup([0])]);
    writeU32(built.bytes, 44, 0x1a);
    expect(parseIort(fixChecksum(built.bytes)).diagnostics.map(({ code, offset, message }) => ({ code, offset, message }))).toEqual([{ code: 'iort.reserved.nonzero', offset: 44, message: 'header reserved word is 0x1a' }]);
  });

  it('unknown type 8 and up; a newer node revision; an RMR node revision 2', () => {
    expect(found([itsGroup([0]), { type: 8, length: 20 }], {}, 'iort.node.unknown')).toEqual([{ code: 'iort.node.unknown', offset: 72, message: 'node at 0x48 has unknown type 8; kept and skipped by its Length 20' }]);
    expect(found([itsGroup([0], { revision: 2 })], {}, 'iort.node.revision-newer')).toEqual([{ code: 'iort.node.revision-newer', offset: 51, message: 'type 0 node at 0x30 has revision 2, newer than 1; known fields decoded' }]);
    expect(found([itsGroup([0], { revision: 1 })], {}, 'iort.node.revision-newer')).toEqual([]);
    expect(found([rmr([[0x1_0000n, 0x1_0000n]], { revision: 2, mappings: [{ target: 1 }] }), smmuV3()], {}, 'iort.revision.deprecated')).toEqual([{ code: 'iort.revision.deprecated', offset: 51, message: 'RMR node at 0x30 has revision 2 (E.c, deprecated)' }]);
  });

  it('a node shorter than its fixed part is kept as unknown; exactly the fixed part is typed', () => {
    expect(found([itsGroup([0]), smmuV3({ length: 67 })], {}, 'iort.length.short')).toEqual([{ code: 'iort.length.short', offset: 72, message: 'type 4 revision 4 node at 0x48 has Length 67, less than its 68-byte fixed part; kept as unknown' }]);
    const exact = parseIort(buildIort([itsGroup([0]), smmuV3({ length: 68 })]).bytes);
    expect(exact.nodeAt(72)?.kind).toBe('smmu-v3');
    // Revision 0 SMMUv3 nodes end at 60 (no DeviceID index, spec §3.10).
    expect(found([smmuV3({ revision: 0, length: 60 })], {}, 'iort.length.short')).toEqual([]);
  });

  it('duplicate identifiers (table revision 3 and later) and duplicate root-complex segments', () => {
    const nodes = [itsGroup([0], { identifier: 5 }), smmuV3({ identifier: 5, mappings: [{ ...FULL, target: 0 }] })];
    expect(found(nodes, {}, 'iort.id.duplicate')).toEqual([{ code: 'iort.id.duplicate', offset: 76, message: 'Identifier 0x5 is used by the nodes at 0x30, 0x48' }]);
    expect(found(nodes, { revision: 2 }, 'iort.id.duplicate')).toEqual([]);
    const segments = [smmuV3(), rootComplex(3, { mappings: [{ ...FULL, target: 0 }] }), rootComplex(3, { mappings: [{ ...FULL, target: 0 }] })];
    // SMMUv3 at 48 (68 bytes), root complexes at 116 and 176 (60 bytes each).
    expect(found(segments, {}, 'iort.id.duplicate')).toEqual([{ code: 'iort.id.duplicate', offset: 204, message: 'PCI segment 0x0003 has root complexes at 0x74, 0xb0; Linux uses the first' }]);
  });
});

describe('ID mapping checks', () => {
  // SMMUv3 at 48 (68 bytes), root complex at 116 with its mappings from 156.
  const rc = (mappings: NodeSpec['mappings'], extra: Partial<NodeSpec> = {}) => found([smmuV3(), rootComplex(0, { mappings, ...extra })]);

  it('an array that does not fit the node', () => {
    expect(found([smmuV3(), rootComplex(0, { mappings: [{ ...FULL, target: 0 }], mappingCount: 2 })], {}, 'iort.mapping.outside-node')).toEqual([
      { code: 'iort.mapping.outside-node', offset: 128, message: 'node at 0x74: 2 ID mappings at reference 0x28 do not fit inside its Length 60; not read' },
    ]);
  });

  it('input or output base + count past 0xffffffff; exactly 0xffffffff is fine', () => {
    expect(rc([{ inputBase: 0xffff_0000, idCount: 0x1_0000, target: 0 }])).toEqual([{ code: 'iort.mapping.id-overflow', offset: 156, message: 'mapping 0 at 0x9c: input 0xffff0000 or output 0x0 + 0x10000 passes 0xffffffff' }]);
    expect(rc([{ inputBase: 0, idCount: 0x1_0000, outputBase: 0xffff_0000, target: 0 }]).map((item) => item.code)).toEqual(['iort.mapping.id-overflow']);
    expect(rc([{ inputBase: 0xffff_0000, idCount: 0xffff, outputBase: 0xffff_0000, target: 0 }])).toEqual([]);
  });

  it('reserved flag bits show their value; the single flag on an SMMUv3 is misuse', () => {
    expect(rc([{ ...FULL, target: 0, flags: 5 }])).toEqual([{ code: 'iort.reserved.nonzero', offset: 172, message: 'mapping 0 at 0x9c: reserved flag bits 31:1 are 0x2' }]);
    const smmu = found([itsGroup([0]), smmuV3({ mappings: [{ ...FULL, target: 0, flags: 1 }] })]);
    expect(smmu).toEqual([{ code: 'iort.mapping.single-misuse', offset: 72 + 68 + 16, message: 'mapping 0 at 0x8c: single-mapping flag on a type 4 node; Linux skips the entry' }]);
  });

  it('the single flag is not misuse on a root complex, an RMR, or the SMMUv3\'s own DeviceID mapping', () => {
    expect(rc([{ target: 0, flags: 1 }])).toEqual([]);
    expect(found([smmuV3(), rmr([[0x1_0000n, 0x1_0000n]], { mappings: [{ target: 0, flags: 1 }] })])).toEqual([]);
    expect(found([itsGroup([0]), smmuV3({ gsivs: [0, 0, 0, 0], index: 0, mappings: [{ target: 0, flags: 1 }, { ...FULL, target: 0 }] })])).toEqual([]);
  });

  it('overlapping input ranges name both mappings; the off-by-one pattern (end of one = start of the next) is exempt', () => {
    expect(rc([{ inputBase: 0, idCount: 0xff, target: 0 }, { inputBase: 0x80, idCount: 0xff, target: 0 }])).toEqual([
      { code: 'iort.mapping.overlap', offset: 176, message: 'mapping 1 at 0xb0: input IDs [0x80, 0x17f] overlap mapping 0 [0x0, 0xff]' },
    ]);
    expect(rc([{ inputBase: 0, idCount: 0x100, target: 0 }, { inputBase: 0x100, idCount: 0xff, target: 0 }])).toEqual([]);
    expect(rc([{ inputBase: 0, idCount: 0xff, target: 0 }, { inputBase: 0x100, idCount: 0xff, target: 0 }])).toEqual([]);
    // A one-ID range [5, 5] and a range starting at 5: a real overlap, not the workaround.
    expect(rc([{ inputBase: 5, idCount: 0, target: 0 }, { inputBase: 5, idCount: 3, target: 0 }]).map((item) => item.message)).toEqual(['mapping 1 at 0xb0: input IDs [0x5, 0x8] overlap mapping 0 [0x5, 0x5]']);
  });

  it('single mappings and the DeviceID mapping take no part in the overlap check', () => {
    expect(rc([{ target: 0, flags: 1 }, { ...FULL, target: 0 }])).toEqual([]);
  });
});

describe('RMR node checks', () => {
  // SMMUv3 at 48; the RMR at 116, one mapping at 144, descriptors from 164.
  const rmrFound = (ranges: [bigint, bigint][], options: BuildOptions = {}, extra: Partial<NodeSpec> = {}) =>
    found([smmuV3(), rmr(ranges, { mappings: [{ target: 0 }], ...extra })], options).filter((item) => item.code.startsWith('iort.rmr') || item.code === 'iort.reserved.nonzero');

  it('a table revision below 5', () => {
    expect(rmrFound([[0x1_0000n, 0x1_0000n]], { revision: 3 })).toEqual([{ code: 'iort.rmr.table-revision', offset: 116, message: 'RMR node at 0x74 in a revision 3 table: Linux reads RMR nodes only from revision 5 (E.d) and ignores it' }]);
  });

  it('no mappings; no descriptors', () => {
    expect(found([smmuV3(), rmr([[0x1_0000n, 0x1_0000n]])], {}, 'iort.rmr.no-mappings')).toEqual([{ code: 'iort.rmr.no-mappings', offset: 124, message: 'RMR node at 0x74 has no ID mappings; Linux skips it ("Invalid ID mapping, skipping RMR node")' }]);
    expect(rmrFound([])).toEqual([{ code: 'iort.rmr.no-ranges', offset: 136, message: 'RMR node at 0x74: descriptor count 0, reference 0x0; Linux skips it' }]);
    expect(rmrFound([[0x1_0000n, 0x1_0000n]], {}, { patch32: [[24, 0]] }).map((item) => item.message)).toEqual(['RMR node at 0x74: descriptor count 1, reference 0x0; Linux skips it']);
  });

  it('zero length, misalignment and a reserved word, per descriptor', () => {
    expect(rmrFound([[0x1_0000n, 0x1_0000n], [0x5_0000n, 0n], [0x6_1000n, 0x1_0000n], [0x8_0000n, 0x1000n]])).toEqual([
      { code: 'iort.rmr.zero-length', offset: 192, message: 'RMR descriptor 1 at 0xb8 (base 0x50000) has length 0; Linux continues anyway' },
      { code: 'iort.rmr.misaligned', offset: 204, message: 'RMR descriptor 2 at 0xcc: base 0x61000 / length 0x10000 not 64 KiB aligned; Linux rounds it out to pages' },
      { code: 'iort.rmr.misaligned', offset: 224, message: 'RMR descriptor 3 at 0xe0: base 0x80000 / length 0x1000 not 64 KiB aligned; Linux rounds it out to pages' },
    ]);
    expect(rmrFound([[0x1_0000n, 0x1_0000n]], {}, { patch32: [[28 + 20 + 16, 9]] })).toEqual([{ code: 'iort.reserved.nonzero', offset: 180, message: 'RMR descriptor 0 at 0xa4: reserved word is not 0' }]);
  });

  it('overlapping descriptors name both; touching ones do not overlap; a zero-length one takes no part', () => {
    expect(rmrFound([[0x1_0000n, 0x2_0000n], [0x2_0000n, 0x1_0000n]])).toEqual([
      { code: 'iort.rmr.overlap', offset: 184, message: 'RMR descriptor 1 at 0xb8 [0x20000, 0x2ffff] overlaps descriptor 0 at 0xa4; Linux continues anyway' },
    ]);
    expect(rmrFound([[0x1_0000n, 0x1_0000n], [0x2_0000n, 0x1_0000n]])).toEqual([]);
    expect(rmrFound([[0x1_0000n, 0x1_0000n], [0x1_0000n, 0n]]).map((item) => item.code)).toEqual(['iort.rmr.zero-length']);
  });
});
