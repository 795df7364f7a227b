/**
 * The shortcuts of the one-pass IORT validation (issue 14) give the findings of the full checks:
 * out-of-order ID ranges are checked for overlaps without a sort when no ID repeats, the cycle
 * search runs whenever a reference does not climb from devices to SMMUs to ITS groups (and finds
 * cycles formed after well-ranked references), and the overlap sweep keeps its documented order.
 * Expected values are stated from the builder's layout (mapping entries right after a node's fixed
 * part; a named component's fixed part is its 13 bytes and name, padded by the builder).
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { sweepOverlaps } from '../src/iort/overlap.js';
import { buildIort, itsGroup, namedComponent, rootComplex, smmuV3, type NodeSpec } from './support/iort-builder.js';

const FULL = { inputBase: 0, idCount: 0xffff };
const hex = (value: number) => `0x${value.toString(16)}`;

function findings(nodes: NodeSpec[], code: string) {
  const built = buildIort(nodes);
  const entry = (node: number, index = 0) => built.offsets[node]! + 16 + (nodes[node]!.fixed?.length ?? 0) + 20 * index;
  const found = parseIort(built.bytes).diagnostics.filter((item) => item.code === code).map(({ offset, message }) => ({ offset, message }));
  return { at: built.offsets, entry, found };
}

describe('overlaps among ID ranges listed out of order', () => {
  // Stream-ID ranges as Qualcomm firmware lists them: not by input base.
  const component = (ranges: [number, number][]) => [
    itsGroup([0]),
    smmuV3({ mappings: [{ ...FULL, target: 0 }] }),
    namedComponent('\\_SB.GPU0', { mappings: ranges.map(([inputBase, idCount]) => ({ inputBase, idCount, target: 1 })) }),
  ];

  it('narrow disjoint ranges in any order raise nothing', () => {
    expect(findings(component([[0x30, 0], [0x10, 1], [0x20, 3], [0x12, 0]]), 'iort.mapping.overlap').found).toEqual([]);
  });

  it('a narrow range inside an earlier-listed wider one is reported against it', () => {
    // [0x10, 0x12] (mapping 1) holds 0x11 (mapping 2); mapping 0 [0x30, 0x30] is apart.
    const { entry, found } = findings(component([[0x30, 0], [0x10, 2], [0x11, 0]]), 'iort.mapping.overlap');
    expect(found).toEqual([{ offset: entry(2, 2), message: `mapping 2 at ${hex(entry(2, 2))}: input IDs [0x11, 0x11] overlap mapping 1 [0x10, 0x12]` }]);
  });

  it('a range listed before the one it overlaps is reported at the later input base', () => {
    // Sorted by input base: mapping 1 [0x8, 0xb] comes first, mapping 0 [0xa, 0xa] overlaps it.
    const { entry, found } = findings(component([[0xa, 0], [0x8, 3]]), 'iort.mapping.overlap');
    expect(found).toEqual([{ offset: entry(2, 0), message: `mapping 0 at ${hex(entry(2, 0))}: input IDs [0xa, 0xa] overlap mapping 1 [0x8, 0xb]` }]);
  });

  it('the boundary ID Linux tolerates stays tolerated out of order', () => {
    // [0x10, 0x11] then [0x11, ...]: iort_id_map()'s off-by-one workaround.
    expect(findings(component([[0x11, 0], [0x10, 1]]), 'iort.mapping.overlap').found).toEqual([]);
  });
});

describe('the cycle search when references do not climb', () => {
  it('an SMMU feeding another SMMU is no cycle', () => {
    const nodes = [itsGroup([0]), smmuV3({ mappings: [{ ...FULL, target: 0 }] }), smmuV3({ mappings: [{ ...FULL, target: 1 }] }), rootComplex(0, { mappings: [{ ...FULL, target: 2 }] })];
    expect(findings(nodes, 'iort.graph.cycle').found).toEqual([]);
  });

  it('a cycle between SMMUs reached from a root complex is found, at its first reference', () => {
    // Root complex → SMMU 2 (climbs), then SMMU 1 ⇄ SMMU 2: the first edge inside the cycle is SMMU 1's mapping.
    const nodes = [rootComplex(0, { mappings: [{ ...FULL, target: 2 }] }), smmuV3({ mappings: [{ ...FULL, target: 2 }] }), smmuV3({ mappings: [{ ...FULL, target: 1 }] })];
    const { at, entry, found } = findings(nodes, 'iort.graph.cycle');
    expect(found).toEqual([
      { offset: entry(1) + 12, message: `output references form a cycle through the nodes at ${hex(at[1]!)} → ${hex(at[2]!)}; Linux's walk would not terminate` },
    ]);
  });

  it('several mappings of one node to the same target still close a cycle at the first of them', () => {
    const nodes = [
      smmuV3({ mappings: [{ inputBase: 0, idCount: 0xff, target: 1 }, { inputBase: 0x100, idCount: 0xff, target: 1 }] }),
      smmuV3({ mappings: [{ ...FULL, target: 0 }] }),
    ];
    const { at, entry, found } = findings(nodes, 'iort.graph.cycle');
    expect(found).toEqual([
      { offset: entry(0) + 12, message: `output references form a cycle through the nodes at ${hex(at[0]!)} → ${hex(at[1]!)}; Linux's walk would not terminate` },
    ]);
  });
});

describe('sweepOverlaps', () => {
  /** What the sweep promises: in (start, end, index) order, each item starting at or before the furthest end so far, with the item holding that end (the last on a tie). */
  function promised(starts: number[], ends: number[]): [number, number][] {
    const order = starts.map((_, item) => item).sort((a, b) => starts[a]! - starts[b]! || ends[a]! - ends[b]! || a - b);
    const pairs: [number, number][] = [];
    order.forEach((item, position) => {
      if (position === 0) return;
      const before = order.slice(0, position);
      const furthest = before.reduce((best, other) => (ends[other]! >= ends[best]! ? other : best));
      if (starts[item]! <= ends[furthest]!) pairs.push([item, furthest]);
    });
    return pairs;
  }

  function swept(starts: number[], ends: number[]): [number, number][] {
    const pairs: [number, number][] = [];
    sweepOverlaps(starts.length, Float64Array.from(starts), Float64Array.from(ends), (item, earlier) => pairs.push([item, earlier]));
    return pairs;
  }

  it('reports by hand-checked pairs: nothing for disjoint ranges, the covering range for a nested one', () => {
    expect(swept([5, 1, 3], [5, 2, 4])).toEqual([]);
    expect(swept([0, 10, 2], [3, 12, 2])).toEqual([[2, 0]]);
    // Equal starts: ordered by end, then index.
    expect(swept([7, 7, 7], [9, 8, 9])).toEqual([[0, 1], [2, 0]]);
  });

  it('keeps its promise on random narrow, wide, tied and large ranges, call after call', () => {
    let seed = 12345;
    const next = (bound: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % bound;
    };
    for (let round = 0; round < 400; round++) {
      const count = 2 + next(round % 50 === 0 ? 200 : 30);
      const span = [8, 64, 1 << 20, 2 ** 32][next(4)]!;
      const starts = Array.from({ length: count }, () => next(span) + (span === 2 ** 32 ? 2 ** 32 : 0));
      const ends = starts.map((start) => start + [0, 1, 3, 200, 0x10000][next(5)]!);
      expect(swept(starts, ends)).toEqual(promised(starts, ends));
    }
  });
});
