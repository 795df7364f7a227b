/**
 * Reference checks and cycle edges after the issue 14 rewrite (src/iort/graph.ts), cases that
 * mutation testing found untested (docs/mutation.md, "IORT files re-measured after the issue 14
 * rewrite"): the one-entry resolution cache, the type ranks that decide whether the cycle search
 * runs at all, and the edges collected for it (their array's growth, the bytes past a node's last
 * mapping, null references, a stale slot of an earlier parse). Spec §5 rule 25: output references
 * must not form a cycle; rule 23/24: a reference names the start of a node of a valid type, never
 * the node itself. Layouts by hand from test/support/iort-builder.ts (docs/spec.md §3): first node
 * at 0x30, a node's mappings right after its fixed part, i.e. at node + 68 for an SMMUv3, + 76 for
 * an SMMUv1/v2, + 31 for a named component 'A' (flags, memory access, limit, "A" and NUL), + 24 for an
 * ITS group of one ID, + 16 for an unknown type; 20 bytes each, the output reference at +12. A cycle finding names the cycle's nodes in table order and points at the first
 * reference, in node and mapping order, from one of them to another (the edge that closes it).
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { Bytes, buildIort, itsGroup, namedComponent, smmuV1V2, smmuV3, type MappingSpec, type NodeSpec } from './support/iort-builder.js';

const FULL = { inputBase: 0, idCount: 0xffff };
const hex = (value: number) => `0x${value.toString(16)}`;
const found = (nodes: NodeSpec[], code: string) =>
  parseIort(buildIort(nodes).bytes).diagnostics.filter((item) => item.code === code).map(({ offset, message }) => ({ offset, message }));
const cycle = (offset: number, nodes: number[]) => ({
  offset, message: `output references form a cycle through the nodes at ${nodes.map(hex).join(' → ')}; Linux's walk would not terminate`,
});
/** A node of an unknown type: header only, then its mappings (mapping k at node + 16 + 20k). */
const unknown = (type: number, mappings: MappingSpec[], extra: Partial<NodeSpec> = {}): NodeSpec => ({ type, mappings, ...extra });

describe('the resolution cache never answers for a reference it did not resolve', () => {
  it('a node naming itself is reported although an earlier node resolved the same offset cleanly', () => {
    // ITS group 0x30 (24 bytes), named component 'A' at 0x48 (16 + 15 + 20 = 51 bytes) naming the
    // SMMUv3 at 0x7b, whose own mapping (at 0x7b + 68 = 0xbf, reference at 0xcb) names 0x7b again: the node itself.
    const nodes = [itsGroup([0]), namedComponent('A', { mappings: [{ ...FULL, target: 2 }] }), smmuV3({ mappings: [{ inputBase: 0, idCount: 0, target: 2 }] })];
    expect(found(nodes, 'iort.mapping.target-type')).toEqual([
      { offset: 0xcb, message: 'node at 0x7b: reference at 0xcb names the node itself at 0x7b, not a valid target' },
    ]);
  });

  it("a reference is resolved again in the next table: the previous table's clean resolution does not carry over", () => {
    // Table 1: the named component at 0x74 (after the 68-byte SMMUv3 at 0x30) names the SMMUv3.
    // Table 2: the same layout, its reference (mapping at 0x74 + 31 = 0x93, reference at 0x9f) is 0x1,
    // inside the table header: not a node.
    parseIort(buildIort([smmuV3(), namedComponent('A', { mappings: [{ ...FULL, target: 0 }] })]).bytes);
    expect(found([smmuV3(), namedComponent('A', { mappings: [{ ...FULL, reference: 1 }] })], 'iort.mapping.target-not-a-node')).toEqual([
      { offset: 0x9f, message: 'node at 0x74: reference at 0x9f is 0x1, which is not the start of a node' },
    ]);
  });
});

describe('the ranks: a reference that does not climb from named components to SMMUs to ITS groups runs the cycle search', () => {
  it('SMMUs naming each other form a cycle even when both references repeat a resolution cached from a named component', () => {
    // Named component 'A' at 0x30 (51 bytes), SMMUv3 at 0x63 (68 + 20 = 88 bytes), named component
    // 'B' at 0xbb, SMMUv1/v2 at 0xee: A → SMMUv1/v2, SMMUv3 → SMMUv1/v2, B → SMMUv3, SMMUv1/v2 → SMMUv3.
    // Checked in node order, the SMMU → SMMU references each repeat the named component's reference
    // just before them; both go sideways (rank 1 → 1), so the search must run and find the cycle.
    const nodes = [
      namedComponent('A', { mappings: [{ ...FULL, target: 3 }] }),
      smmuV3({ mappings: [{ ...FULL, target: 3 }] }),
      namedComponent('B', { mappings: [{ ...FULL, target: 1 }] }),
      smmuV1V2({ mappings: [{ ...FULL, target: 1 }] }),
    ];
    // SMMUv3 mapping at 0x63 + 68 = 0xa7 (reference 0xb3), the first edge between the two SMMUs.
    expect(found(nodes, 'iort.graph.cycle')).toEqual([cycle(0xb3, [0x63, 0xee])]);
  });

  it('a node of type 8, the first unknown type, ranks above everything: its cycle with an SMMU is found', () => {
    // Type 8 at 0x30 (16 + 20 = 36 bytes) → SMMUv3 at 0x54 → the type 8 node (an invalid target, still an edge).
    const nodes = [unknown(8, [{ inputBase: 0, idCount: 0, target: 1 }]), smmuV3({ mappings: [{ inputBase: 0, idCount: 0, target: 0 }] })];
    expect(found(nodes, 'iort.graph.cycle')).toEqual([cycle(0x4c, [0x30, 0x54])]);
  });
});

describe('the edges of the cycle search', () => {
  it('bytes after the last mapping of a node are no edge, even when they read as a reference', () => {
    // Type 9 at 0x30 (36 bytes) → SMMUv3 at 0x54 → ITS group; the SMMUv3's 20 bytes after its one
    // mapping hold 0x30 where a second mapping's reference would be. Counted as a mapping, they close a cycle.
    const after = new Bytes().u32(0x100).u32(0).u32(0).u32(0x30).u32(0).done();
    const nodes = (mappingCount: number) => [
      unknown(9, [{ inputBase: 0, idCount: 0, target: 1 }]),
      smmuV3({ mappings: [{ inputBase: 0, idCount: 0, target: 2 }], tail: after, mappingCount }),
      itsGroup([0]),
    ];
    expect(found(nodes(1), 'iort.graph.cycle')).toEqual([]);
    // The SMMUv3's second mapping at 0x54 + 68 + 20 = 0xac, its reference at 0xb8; the type 9 node's reference at 0x4c comes first.
    expect(found(nodes(2), 'iort.graph.cycle')).toEqual([cycle(0x4c, [0x30, 0x54])]);
  });

  it('a null reference is no edge', () => {
    // ITS group 0x30, SMMUv3 at 0x48 (88 bytes) → type 9 at 0xa0 (reference 0 there, at 0xbc), type 9 at 0xc4 → ITS group
    // (a reference that does not climb: the search runs). Naming the SMMUv3 instead of 0 closes a cycle.
    const nodes = (reference: MappingSpec) => [
      itsGroup([0]),
      smmuV3({ mappings: [{ inputBase: 0, idCount: 0, target: 2 }] }),
      unknown(9, [{ inputBase: 0, idCount: 0, ...reference }]),
      unknown(9, [{ inputBase: 0, idCount: 0, target: 0 }]),
    ];
    expect(found(nodes({ reference: 0 }), 'iort.graph.cycle')).toEqual([]);
    // SMMUv3 mapping at 0x48 + 68 = 0x8c, reference at 0x98: the first edge between the two.
    expect(found(nodes({ target: 1 }), 'iort.graph.cycle')).toEqual([cycle(0x98, [0x48, 0xa0])]);
  });

  it('an edge is kept when the previous table left an edge from the same node further along the reused arrays', () => {
    // A node's consecutive references to one target are one edge: the test compares with the edge
    // stored just before, never with a slot a previous table left beyond it.
    // Table 1: type 9 at 0x30 (two mappings, 56 bytes) → SMMUv3 at 0x68 (one mapping, 88 bytes) and
    // → SMMUv3 at 0xc0 (no mappings); 0x68 → 0xc0. Edges (0,1), (0,2), (1,2): no cycle.
    const first = [unknown(9, [{ inputBase: 0, idCount: 0, target: 1 }, { inputBase: 1, idCount: 0, target: 2 }]), smmuV3({ mappings: [{ inputBase: 0, idCount: 0, target: 2 }] }), smmuV3()];
    expect(found(first, 'iort.graph.cycle')).toEqual([]);
    // Table 2: type 9 at 0x30 (36 bytes) → SMMUv3 at 0xac; SMMUv3 at 0x54 → 0xac; 0xac → 0x54.
    // Edges (0,2), (1,2), (2,1): the cycle 0x54 ↔ 0xac closes at 0x54's reference (mapping at 0x98, reference at 0xa4).
    const second = [unknown(9, [{ inputBase: 0, idCount: 0, target: 2 }]), smmuV3({ mappings: [{ inputBase: 0, idCount: 0, target: 2 }] }), smmuV3({ mappings: [{ inputBase: 0, idCount: 0, target: 1 }] })];
    expect(found(second, 'iort.graph.cycle')).toEqual([cycle(0xa4, [0x54, 0xac])]);
  });

  it('a cycle among the 66th and 67th edges is found (the edge arrays start with 64 entries)', () => {
    // ITS groups 0x30 and 0x48; type 9 at 0x60 with 65 mappings alternating between them (65 edges:
    // consecutive references differ), 16 + 1300 = 1316 bytes; SMMUv3 at 0x584 (88 bytes) → type 9 at 0x5dc → SMMUv3.
    const many = Array.from({ length: 65 }, (_, index): MappingSpec => ({ inputBase: index, idCount: 0, target: index % 2 }));
    const nodes = [itsGroup([0]), itsGroup([1]), unknown(9, many), smmuV3({ mappings: [{ inputBase: 0, idCount: 0, target: 4 }] }), unknown(9, [{ inputBase: 0, idCount: 0, target: 3 }])];
    // SMMUv3 mapping at 0x584 + 68 = 0x5c8, reference at 0x5d4.
    expect(found(nodes, 'iort.graph.cycle')).toEqual([cycle(0x5d4, [0x584, 0x5dc])]);
  });
});
