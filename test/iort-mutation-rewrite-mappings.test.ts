/**
 * Boundaries of the one-pass ID mapping checks after the issue 14 speed rewrite (src/iort/
 * validate-mappings.ts, overlap.ts, validate.ts) that mutation testing found untested
 * (docs/mutation.md, "IORT parser after the issue 14 speed rewrite"). The in-order fast path
 * decides whether the overlap sweep runs at all; each case below is one where deciding wrongly
 * loses a finding. Tables come from test/support/iort-builder.ts (first node at 48 = 0x30; a named
 * component's mappings follow its 13 fixed bytes and name, docs/spec.md §3.7; a mapping is 20
 * bytes, §3.4). Expected offsets and messages are worked out by hand from those layouts.
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { cyclicComponents, closingEdges } from '../src/iort/cycles.js';
import { sweepOverlaps } from '../src/iort/overlap.js';
import { buildIort, itsGroup, namedComponent, pmcg, rmr, smmuV3, type MappingSpec, type NodeSpec } from './support/iort-builder.js';

const found = (nodes: NodeSpec[], code: string, revision?: number) =>
  parseIort(buildIort(nodes, revision === undefined ? {} : { revision }).bytes).diagnostics
    .filter((item) => item.code === code).map(({ offset, message }) => ({ offset, message }));

// "\_SB.X" + NUL ends the named component's fixed part at 16 + 13 + 7 = 36: mappings at 0x30 + 0x24 = 0x54.
const component = (mappings: MappingSpec[]) => [namedComponent('\\_SB.X', { mappings }), smmuV3()];

describe('the in-order fast path of the overlap check (spec §5 rule 27)', () => {
  it('a range starting on the ID of a single-ID range listed before it overlaps it (no boundary tolerance for one ID)', () => {
    // [0x10, 0x10] then [0x10, 0x11]: in order (same base, larger last ID), the second starts on the
    // furthest ID seen. iort_id_map()'s off-by-one tolerance needs the earlier range to end past its own start.
    expect(found(component([{ inputBase: 0x10, idCount: 0, target: 1 }, { inputBase: 0x10, idCount: 1, target: 1 }]), 'iort.mapping.overlap')).toEqual([
      { offset: 0x68, message: 'mapping 1 at 0x68: input IDs [0x10, 0x11] overlap mapping 0 [0x10, 0x10]' },
    ]);
  });

  it('in-order ranges that only touch on the shared boundary ID are tolerated, disjoint ones raise nothing', () => {
    expect(found(component([{ inputBase: 0, idCount: 0x10, target: 1 }, { inputBase: 0x10, idCount: 0xf, target: 1 }]), 'iort.mapping.overlap')).toEqual([]);
    expect(found(component([{ inputBase: 0, idCount: 0xf, target: 1 }, { inputBase: 0x10, idCount: 0xf, target: 1 }]), 'iort.mapping.overlap')).toEqual([]);
  });

  it('a range inside the furthest-reaching earlier range is found even when the range just before it ends first', () => {
    // [0x0, 0xff], [0x20, 0x20], [0x30, 0x30]: mapping 2 starts past mapping 1's end but inside mapping 0.
    // Mapping 1 overlaps mapping 0 as well: both reported, each against mapping 0, in table order.
    expect(found(component([{ inputBase: 0, idCount: 0xff, target: 1 }, { inputBase: 0x20, idCount: 0, target: 1 }, { inputBase: 0x30, idCount: 0, target: 1 }]), 'iort.mapping.overlap')).toEqual([
      { offset: 0x68, message: 'mapping 1 at 0x68: input IDs [0x20, 0x20] overlap mapping 0 [0x0, 0xff]' },
      { offset: 0x7c, message: 'mapping 2 at 0x7c: input IDs [0x30, 0x30] overlap mapping 0 [0x0, 0xff]' },
    ]);
  });

  it('a single mapping of a named component translates no input range: it overlaps nothing', () => {
    // iort_id_map() returns output_base for a single mapping of a named component or root complex
    // without looking at the input ID, so its input range is not compared with the others.
    expect(found(component([{ inputBase: 0, idCount: 0xff, target: 1 }, { inputBase: 0x10, idCount: 0, target: 1, flags: 1 }]), 'iort.mapping.overlap')).toEqual([]);
  });

  it('RMR and ITS group mappings are never checked for overlap (Linux translates neither)', () => {
    const overlapping: MappingSpec[] = [{ inputBase: 0, idCount: 0xff, target: 1 }, { inputBase: 0x10, idCount: 0, target: 1 }];
    expect(found([rmr([[0x8000_0000n, 0x1_0000n]], { mappings: overlapping }), smmuV3()], 'iort.mapping.overlap')).toEqual([]);
    expect(found([itsGroup([0], { mappings: overlapping.map((mapping) => ({ ...mapping, target: 0 })) })], 'iort.mapping.overlap')).toEqual([]);
  });
});

describe('the duplicate check keeps every key of a table with more than 32 nodes (spec §5 rule 32)', () => {
  it('the 65th key repeats the 64th: found at node 64', () => {
    // 65 ITS groups of one identifier, 24 bytes each: node n at 0x30 + 24n; node 63 at 0x618, node 64 at 0x630.
    // 65 keys is one past the 64 the key array starts with: the last must not be lost. The ITS IDs
    // (0x1000 + n, each node's last word) differ from every identifier, so only the Identifier field repeats.
    const nodes = Array.from({ length: 65 }, (_, index) => itsGroup([0x1000 + index], { identifier: index === 64 ? 63 : index }));
    expect(found(nodes, 'iort.id.duplicate', 3)).toEqual([
      { offset: 0x634, message: 'Identifier 0x3f is used by the nodes at 0x618, 0x630' },
    ]);
  });
});

describe('references of a node the checks cannot type are still checked', () => {
  // A type 9 node at 0x30 (no fixed part known): mappings at 0x40 and 0x54, Output reference at +12.
  const unknown = (second: MappingSpec) => [{ type: 9, mappings: [{ inputBase: 0, idCount: 0, target: 1 }, second] }, smmuV3({ mappings: [{ inputBase: 0, idCount: 0xff, target: 0 }] })];

  it("a null Output reference in its second mapping is reported at that mapping's reference field, 0x60", () => {
    expect(found(unknown({ inputBase: 1, idCount: 0, reference: 0 }), 'iort.mapping.null-ref').map((item) => item.offset)).toEqual([0x60]);
  });

  it('its references take part in the cycle search (node 0x30 -> SMMUv3 -> node 0x30)', () => {
    expect(found(unknown({ inputBase: 1, idCount: 0, target: 1 }), 'iort.graph.cycle')).toHaveLength(1);
  });
});

describe("a PMCG's node reference is no ID translation edge", () => {
  it('an SMMUv3 mapping to the PMCG that monitors it: a bad target, but no cycle', () => {
    // SMMUv3 at 0x30 (68-byte fixed part) maps to the PMCG at 0x30 + 84 = 0x84; the PMCG monitors the SMMUv3.
    const nodes = [smmuV3({ mappings: [{ inputBase: 0, idCount: 0xff, target: 1 }] }), pmcg(0)];
    expect(found(nodes, 'iort.mapping.target-type').map((item) => item.offset)).toEqual([0x30 + 68 + 12]);
    expect(found(nodes, 'iort.graph.cycle')).toEqual([]);
  });
});

describe('sweepOverlaps sorts ranges listed in strictly descending order (more than 16: the built-in sort)', () => {
  it('17 ranges of 4 IDs, each starting 2 below the one before: every range overlaps the next higher one', () => {
    // Range i is [100 - 2i, 103 - 2i]. Sorted ascending, range i + 1 comes just before range i and,
    // having the furthest end so far, is the one range i is reported against.
    const count = 17;
    const starts = Float64Array.from({ length: count }, (_, index) => 100 - 2 * index);
    const ends = starts.map((value) => value + 3);
    const pairs: [number, number][] = [];
    sweepOverlaps(count, starts, ends, (item, earlier) => pairs.push([item, earlier]));
    expect(pairs).toEqual(Array.from({ length: 16 }, (_, index) => [15 - index, 16 - index]));
  });
});

describe('closingEdges names each cycle by its own first inner edge', () => {
  it('two cycles, an edge out of one and an edge from outside into the other', () => {
    // Edges: 0:0->4, 1:0->1, 2:1->0, 3:4->3, 4:2->3, 5:3->2. Cycles {0,1} and {2,3}; node 4 is in none.
    // The search from node 0 goes 0 -> 4 -> 3 -> 2 first, so {2,3} completes first.
    const edges = { from: [0, 0, 1, 4, 2, 3], to: [4, 1, 0, 3, 3, 2] };
    const components = cyclicComponents(5, edges);
    expect(components).toEqual([[2, 3], [0, 1]]);
    // {2,3}: edge 4 (2->3), not edge 3 (from node 4, outside); {0,1}: edge 1, not edge 0 (to node 4) nor edge 2.
    expect(closingEdges(5, components, edges)).toEqual([4, 1]);
  });
});

describe('RMR descriptor overlaps with equal end addresses (validate-rmr.ts ranks)', () => {
  it('equal ends rank equal: a descriptor is reported against the last of the ranges sharing the furthest end', () => {
    // Descriptors at 0x30 + 28 + 20i (spec §3.12): 0 = [0x20000, 0x2ffff] at 0x4c, 1 = [0x10000, 0x2ffff]
    // at 0x60, 2 = [0x0, 0x2ffff] at 0x74. By base: 2, 1, 0. Descriptor 1 overlaps 2; ending where 2
    // does, it becomes the furthest-reaching one (sweepOverlaps: on a tie, the one sorted last), so 0 is
    // reported against 1.
    const nodes = [rmr([[0x2_0000n, 0x1_0000n], [0x1_0000n, 0x2_0000n], [0n, 0x3_0000n]])];
    expect(found(nodes, 'iort.rmr.overlap')).toEqual([
      { offset: 0x4c, message: 'RMR descriptor 0 at 0x4c [0x20000, 0x2ffff] overlaps descriptor 1 at 0x60; Linux continues anyway' },
      { offset: 0x60, message: 'RMR descriptor 1 at 0x60 [0x10000, 0x2ffff] overlaps descriptor 2 at 0x74; Linux continues anyway' },
    ]);
  });
});
