/**
 * IORT framing bounds not pinned by iort-frame-messages (src/iort/walk.ts): a node of exactly
 * 16 bytes ending at the table end is a node; a capture of exactly 36 bytes holds no byte of
 * the header extension (Number of nodes at 0x24), so the finding points at Length (+4).
 * An array of 0 items has no bytes (src/iort/validate-kinds.ts), so a stale reference beside
 * a count of 0 is neither outside the node nor overlapping its fixed part.
 * Offsets by hand: header 48 bytes, an ITS group with one ID 24 bytes (spec §3.2, §3.6).
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { buildIort, itsGroup, namedComponent, rmr, rootComplex, smmuV1V2 } from './support/iort-builder.js';

describe('IORT framing at the table end', () => {
  it('a 16-byte node that ends exactly at the table end is framed, with no finding', () => {
    const table = parseIort(buildIort([itsGroup([0]), { type: 9, length: 16 }]).bytes);
    expect(table.nodeOffsets).toEqual([48, 72]);
    expect(table.diagnostics.filter((item) => item.code.startsWith('iort.length') || item.code === 'iort.node.count')).toEqual([]);
  });

  it('a capture cut at 36 bytes points at the Length field; one of 37 at Number of nodes', () => {
    const at = (size: number) =>
      parseIort(buildIort([itsGroup([0])]).bytes.slice(0, size))
        .diagnostics.filter((item) => item.code === 'iort.header.truncated')
        .map(({ offset, message }) => ({ offset, message }));
    expect(at(36)).toEqual([{ offset: 4, message: 'only 36 bytes: the IORT header extension at 0x24..0x2f is cut off; no node is read' }]);
    expect(at(37)).toEqual([{ offset: 36, message: 'only 37 bytes: the IORT header extension at 0x24..0x2f is cut off; no node is read' }]);
  });
});

describe('IORT arrays of zero items', () => {
  it('an SMMUv1/v2 PMU interrupt count of 0 with a reference into the 76-byte fixed part is no finding', () => {
    // PMU interrupt count at +52 stays 0; its reference at +56 is patched to 20 (inside the fixed part).
    const table = parseIort(buildIort([smmuV1V2({ patch32: [[56, 20]] })]).bytes);
    expect(table.diagnostics.filter((item) => item.code.startsWith('iort.array'))).toEqual([]);
  });
});

describe('IORT framing: the byte counts each finding spans', () => {
  const spans = (bytes: Uint8Array, code: string) =>
    parseIort(bytes).diagnostics.filter((item) => item.code === code).map(({ offset, length }) => ({ offset, length }));

  it('Number of nodes 0 with an array offset below the header counts from 0x30: 24 bytes', () => {
    expect(spans(buildIort([itsGroup([0])], { nodeCount: 0, nodeArrayOffset: 0 }).bytes, 'iort.node.count')).toEqual([{ offset: 48, length: 24 }]);
  });

  it('a node header cut by the end spans the 15 bytes left; trailing bytes after the last node span themselves', () => {
    expect(spans(buildIort([itsGroup([0])], { nodeCount: 2, trailing: 15 }).bytes, 'iort.length.overrun')).toEqual([{ offset: 72, length: 15 }]);
    expect(spans(buildIort([itsGroup([0])], { trailing: 5 }).bytes, 'iort.node.count')).toEqual([{ offset: 72, length: 5 }]);
  });
});

describe('IORT node views of types 8 and above', () => {
  it('a 16-byte node of type 8 or 9 is an unknown view, from nodes() and forEachNode()', () => {
    for (const type of [8, 9]) {
      const table = parseIort(buildIort([{ type, length: 16 }, itsGroup([0])]).bytes);
      expect([...table.nodes()].map((node) => node.kind)).toEqual(['unknown', 'its-group']);
      const kinds: string[] = [];
      table.forEachNode((node) => kinds.push(node.kind));
      expect(kinds).toEqual(['unknown', 'its-group']);
    }
  });
});

describe('IORT duplicate identifiers need table revision 3', () => {
  // Two root complexes with segment 0 and identifier 7 each: the segment always repeats
  // (spec §5 #32); each is 40 bytes (revision 4), so they sit at 0x30 and 0x58; the identifier counts only from table revision 3 (E.b).
  const codes = (revision: number) =>
    parseIort(buildIort([rootComplex(0, { identifier: 7 }), rootComplex(0, { identifier: 7 })], { revision }).bytes)
      .diagnostics.filter((item) => item.code === 'iort.id.duplicate')
      .map((item) => item.message);
  it('revision 2: the segment only; revision 3: the identifier and the segment', () => {
    expect(codes(2)).toEqual(['PCI segment 0x0000 has root complexes at 0x30, 0x58; Linux uses the first']);
    expect(codes(3)).toEqual(['Identifier 0x7 is used by the nodes at 0x30, 0x58', 'PCI segment 0x0000 has root complexes at 0x30, 0x58; Linux uses the first']);
  });
});

describe('IORT duplicates at their edges', () => {
  const duplicates = (bytes: Uint8Array) => parseIort(bytes).diagnostics.filter((item) => item.code === 'iort.id.duplicate').map((item) => item.message);
  it('revision 3, identifiers only: two 24-byte ITS groups with identifier 5', () => {
    expect(duplicates(buildIort([itsGroup([0], { identifier: 5 }), itsGroup([1], { identifier: 5 })], { revision: 3 }).bytes)).toEqual(['Identifier 0x5 is used by the nodes at 0x30, 0x48']);
  });
  it('root complexes of exactly their 32-byte revision-0 fixed part share segment 2', () => {
    expect(duplicates(buildIort([rootComplex(2, { size: 32 }), rootComplex(2, { size: 32 })], { revision: 2 }).bytes)).toEqual(['PCI segment 0x0002 has root complexes at 0x30, 0x50; Linux uses the first']);
  });
});

describe('IORT RMR and name edges', () => {
  const found = (bytes: Uint8Array, code: string) => parseIort(bytes).diagnostics.filter((item) => item.code === code).map(({ offset, message }) => ({ offset, message }));

  it('an RMR with descriptor count 0 but a reference of 48 has no ranges (count at +20 of the node at 0x30)', () => {
    // Patch the reference (+24) to 48 after the builder wrote 0; the count stays 0.
    const bytes = buildIort([rmr([], { mappings: [{ inputBase: 0, idCount: 0, outputBase: 0 }], patch32: [[24, 48]] })]).bytes;
    expect(found(bytes, 'iort.rmr.no-ranges')).toEqual([{ offset: 68, message: 'RMR node at 0x30: descriptor count 0, reference 0x30; Linux skips it' }]);
  });

  it('RMR ID mappings are never translated, so two that overlap are no mapping overlap', () => {
    const mappings = [{ inputBase: 0, idCount: 0xff }, { inputBase: 0x10, idCount: 0xff }];
    expect(found(buildIort([rmr([[0x8000_0000n, 0x1_0000n]], { mappings })]).bytes, 'iort.mapping.overlap')).toEqual([]);
  });

  it('an empty device name (NUL at +25) is terminated', () => {
    expect(found(buildIort([namedComponent('')]).bytes, 'iort.nc.unterminated')).toEqual([]);
  });
});
