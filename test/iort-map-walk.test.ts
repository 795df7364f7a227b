/**
 * The IORT ID walk (src/iort/map-id.ts, map-step.ts) stop by stop, on small tables built with
 * test/support/iort-builder.ts, against Linux's `iort_node_map_id()`, `iort_id_map()`,
 * `iort_node_map_platform_id()` and `iort_node_get_id()` (drivers/acpi/arm64/iort.c;
 * docs/kernel-semantics.md §4.2, §8.10). Mapping entries sit right after a node's fixed part
 * (builder layout), so an entry's table offset is node + 16 + fixed part + 20 × index.
 */
import { describe, expect, it } from 'vitest';
import { IORT_MSI_TYPES, mapId, mapPlatformId, parseIort, translate, type IortTable } from '../src/iort/index.js';
import { buildIort, itsGroup, namedComponent, pmcg, rootComplex, smmuV1V2, smmuV3, type NodeSpec } from './support/iort-builder.js';

function build(nodes: NodeSpec[]): { table: IortTable; at: number[]; entry: (node: number, index: number) => number } {
  const built = buildIort(nodes);
  const entry = (node: number, index: number) => built.offsets[node]! + 16 + (nodes[node]!.fixed?.length ?? 0) + 20 * index;
  return { table: parseIort(built.bytes), at: built.offsets, entry };
}

const IOMMU_MASK = (1 << 3) | (1 << 4);
const hex = (value: number) => `0x${value.toString(16)}`;

describe('where a walk starts and ends', () => {
  const { table, at } = build([itsGroup([0]), smmuV3({ mappings: [{ inputBase: 0, idCount: 0xffff, target: 0 }] }), smmuV1V2()]);

  it('an offset that is not a node start: no walk, the input ID unchanged', () => {
    const walk = mapId(table, at[1]! + 1, 5);
    expect(walk).toEqual({ startNodeOffset: at[1]! + 1, inputId: 5, typeMask: IOMMU_MASK, hops: [], final: undefined, outputId: 5, stop: 'no-start-node', diagnostics: [] });
  });

  it('a start node already of a masked type is reached without a hop; an SMMUv1/v2 gets a stream ID', () => {
    const walk = mapId(table, at[2]!, 7);
    expect(walk.stop).toBe('reached');
    expect(walk.hops).toEqual([]);
    expect(walk.final).toEqual({ nodeOffset: at[2]!, nodeKind: 'smmu-v1v2', nodeType: 3, id: 7 });
    expect([walk.outputId, walk.streamId, walk.deviceId]).toEqual([7, 7, undefined]);
  });

  it('an ITS group gets a device ID and no stream ID', () => {
    const walk = mapId(table, at[1]!, 9, IORT_MSI_TYPES);
    expect(walk.final).toEqual({ nodeOffset: at[0]!, nodeKind: 'its-group', nodeType: 0, id: 9 });
    expect([walk.deviceId, walk.streamId]).toEqual([9, undefined]);
  });

  it('the input ID is taken as a u32', () => {
    expect(mapId(table, at[1]!, -1, IORT_MSI_TYPES).inputId).toBe(0xffff_ffff);
  });

  it('a node without mappings fails (fail_map): the output is the input ID', () => {
    const walk = mapId(table, at[0]!, 3);
    expect([walk.stop, walk.outputId, walk.final]).toEqual(['no-mappings', 3, undefined]);
  });
});

describe('stops inside the walk', () => {
  it('a mapping count with a zero array reference counts as no mappings', () => {
    const { table, at } = build([smmuV3(), namedComponent('A', { mappings: [{ inputBase: 0, idCount: 9, target: 0 }], mappingOffset: 0 })]);
    expect(mapId(table, at[1]!, 1).stop).toBe('no-mappings');
  });

  it('an ID array outside the node is not read', () => {
    const { table, at } = build([smmuV3(), namedComponent('A', { mappings: [{ inputBase: 0, idCount: 9, target: 0 }], mappingOffset: 200 })]);
    expect(mapId(table, at[1]!, 1).stop).toBe('mappings-outside-node');
    expect(mapPlatformId(table, at[1]!, 0).stop).toBe('mappings-outside-node');
  });

  it('Linux checks only the first entry for a NULL parent: a null first entry stops before translating', () => {
    const { table, at } = build([smmuV3(), namedComponent('A', { mappings: [{ inputBase: 0x100, idCount: 1, reference: 0 }, { inputBase: 0, idCount: 9, target: 0 }] })]);
    const walk = mapId(table, at[1]!, 1);
    expect([walk.stop, walk.hops]).toEqual(['null-reference', []]);
  });

  it('a later matching entry with a null reference is taken, then stops', () => {
    const { table, at, entry } = build([smmuV3(), namedComponent('A', { mappings: [{ inputBase: 0x100, idCount: 1, target: 0 }, { inputBase: 0, idCount: 9, reference: 0 }] })]);
    const walk = mapId(table, at[1]!, 1);
    expect(walk.stop).toBe('null-reference');
    expect(walk.hops.map((hop) => [hop.mappingIndex, hop.mappingOffset, hop.targetOffset])).toEqual([[1, entry(1, 1), 0]]);
  });

  it('no mapping accepts the ID: no-match, the ID unchanged', () => {
    const { table, at } = build([smmuV3(), namedComponent('A', { mappings: [{ inputBase: 0x10, idCount: 0xf, target: 0 }] })]);
    expect([0x0f, 0x10, 0x1f, 0x20].map((id) => mapId(table, at[1]!, id).stop)).toEqual(['no-match', 'reached', 'reached', 'no-match']);
    expect(mapId(table, at[1]!, 0x20).outputId).toBe(0x20);
  });

  it('an output reference that is not a node start: the hop is kept, then target-not-a-node', () => {
    const { table, at } = build([smmuV3(), namedComponent('A', { mappings: [{ inputBase: 0, idCount: 9, reference: 49 }] })]);
    const walk = mapId(table, at[1]!, 1);
    expect([walk.stop, walk.hops.length, walk.hops[0]!.targetOffset]).toEqual(['target-not-a-node', 1, 49]);
  });
});

describe('cycles and the step cap (Linux has no guard, §8.10)', () => {
  // A → B → A with the ID unchanged: the same (node, ID) comes back.
  const cycle = build([namedComponent('A', { mappings: [{ inputBase: 0, idCount: 0xff, outputBase: 0, target: 1 }] }), namedComponent('B', { mappings: [{ inputBase: 0, idCount: 0xff, outputBase: 0, target: 0 }] })]);
  // A adds 1 to the ID, B keeps it: never the same (node, ID) twice.
  const ladder = build([namedComponent('A', { mappings: [{ inputBase: 0, idCount: 0xff, outputBase: 1, target: 1 }] }), namedComponent('B', { mappings: [{ inputBase: 0, idCount: 0xff, outputBase: 0, target: 0 }] })]);

  it('a returning (node, ID) is a cycle, reported at the reference of the last hop', () => {
    const walk = mapId(cycle.table, cycle.at[0]!, 5);
    expect(walk.stop).toBe('cycle');
    expect(walk.hops.map((hop) => [hop.nodeOffset, hop.targetOffset])).toEqual([[cycle.at[0], cycle.at[1]], [cycle.at[1], cycle.at[0]]]);
    expect(walk.diagnostics.map(({ code, offset, message }) => ({ code, offset, message }))).toEqual([
      { code: 'iort.graph.cycle', offset: cycle.entry(1, 0) + 12, message: `walk from ${hex(cycle.at[0]!)} returned to node ${hex(cycle.at[0]!)} with ID 0x5; stopped (Linux has no guard)` },
    ]);
    expect(walk.outputId).toBe(5);
  });

  it('by default a walk may take as many hops as the table has nodes', () => {
    const walk = mapId(ladder.table, ladder.at[0]!, 0);
    expect(walk.stop).toBe('step-limit');
    expect(walk.hops.map((hop) => hop.inputId)).toEqual([0, 1]);
    expect(walk.diagnostics.map(({ offset, message }) => ({ offset, message }))).toEqual([{ offset: ladder.entry(1, 0) + 12, message: `walk from ${hex(ladder.at[0]!)} exceeded 2 hops; stopped (Linux has no guard)` }]);
  });

  it('maxSteps sets the cap; with 0 the walk stops at the start node, reported there', () => {
    expect(mapId(ladder.table, ladder.at[0]!, 0, IOMMU_MASK, { maxSteps: 5 }).hops).toHaveLength(5);
    const walk = mapId(ladder.table, ladder.at[0]!, 0, IOMMU_MASK, { maxSteps: 0 });
    expect([walk.stop, walk.hops.length]).toEqual(['step-limit', 0]);
    expect(walk.diagnostics.map(({ offset, message }) => [offset, message])).toEqual([[ladder.at[0], `walk from ${hex(ladder.at[0]!)} exceeded 0 hops; stopped (Linux has no guard)`]]);
  });
});

describe('iort_id_map() on one entry', () => {
  it('a single mapping gives its output base whatever the ID, on a named component', () => {
    const { table, at } = build([smmuV3(), namedComponent('A', { mappings: [{ inputBase: 0x50, outputBase: 0x77, target: 0, flags: 1 }] })]);
    const walk = mapId(table, at[1]!, 3);
    expect([walk.stop, walk.streamId, walk.hops[0]!.singleMapping, walk.hops[0]!.inputRange]).toEqual(['reached', 0x77, true, [0x50, 0x50]]);
  });

  it('…and is skipped on an SMMUv3 (Linux: single mappings only on NC and RC)', () => {
    const { table, at } = build([itsGroup([0]), smmuV3({ mappings: [{ outputBase: 0x77, target: 0, flags: 1 }] })]);
    expect(mapId(table, at[1]!, 0, IORT_MSI_TYPES).stop).toBe('no-match');
  });

  it('output IDs wrap at 32 bits', () => {
    const { table, at } = build([smmuV3(), namedComponent('A', { mappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0xffff_ff00, target: 0 }] })]);
    expect(mapId(table, at[1]!, 0x101).streamId).toBe(1);
  });

  it('a range whose end passes 0xffffffff matches nothing (u32 sum in C)', () => {
    const { table, at } = build([smmuV3(), namedComponent('A', { mappings: [{ inputBase: 0xffff_ff00, idCount: 0x200, target: 0 }] })]);
    expect([0xffff_ff00, 0xffff_ff10, 0x10].map((id) => mapId(table, at[1]!, id).stop)).toEqual(['no-match', 'no-match', 'no-match']);
  });

  it('an ID count of 0 is one ID, matched without the off-by-one tentativeness', () => {
    const { table, at } = build([smmuV3(), namedComponent('A', { mappings: [{ inputBase: 5, idCount: 0, outputBase: 0x40, target: 0 }] })]);
    expect([4, 5, 6].map((id) => mapId(table, at[1]!, id).streamId)).toEqual([undefined, 0x40, undefined]);
    expect(mapId(table, at[1]!, 5).hops[0]!.offByOne).toBeUndefined();
  });
});

describe('the off-by-one workaround', () => {
  // Mapping 0 covers 0x000–0x200 inclusive (to the SMMU), mapping 1 starts or merely contains 0x200 (to the ITS).
  const graph = (second: { inputBase: number; idCount: number }) =>
    build([itsGroup([0]), smmuV3({ mappings: [{ inputBase: 0, idCount: 0xffff, target: 0 }] }), rootComplex(0, { mappings: [{ inputBase: 0, idCount: 0x200, target: 1 }, { ...second, outputBase: 0x5000, target: 0 }] })]);

  it('a later range starting at the ID supersedes the end-of-range match', () => {
    const { table, at, entry } = graph({ inputBase: 0x200, idCount: 0xff });
    const walk = mapId(table, at[2]!, 0x200, IORT_MSI_TYPES);
    expect(walk.hops.map((hop) => [hop.mappingOffset, hop.outputId, hop.offByOne])).toEqual([[entry(2, 1), 0x5000, 'superseded']]);
    expect(walk.deviceId).toBe(0x5000);
  });

  it('a later range merely containing the ID is ignored ("conflicting"): the end-of-range match is kept', () => {
    const { table, at, entry } = graph({ inputBase: 0x100, idCount: 0x1ff });
    const walk = mapId(table, at[2]!, 0x200);
    expect(walk.hops.map((hop) => [hop.mappingIndex, hop.mappingOffset, hop.inputId, hop.outputId, hop.targetOffset, hop.offByOne])).toEqual([[0, entry(2, 0), 0x200, 0x200, at[1], 'kept']]);
    expect(walk.streamId).toBe(0x200);
  });

  it('IDs inside the first range take it directly', () => {
    const { table, at } = graph({ inputBase: 0x200, idCount: 0xff });
    expect(mapId(table, at[2]!, 0x1ff).hops[0]!.offByOne).toBeUndefined();
    expect(mapId(table, at[2]!, 0x1ff).streamId).toBe(0x1ff);
  });
});

describe('the DeviceID mapping an SMMUv3 skips while translating', () => {
  // Node rev 4, the DeviceID index (0) is in effect when a GSIV is 0 (spec §3.10).
  const graph = (gsivs: [number, number, number, number]) =>
    build([itsGroup([0]), smmuV3({ gsivs, index: 0, mappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0x1000, target: 0 }, { inputBase: 0, idCount: 0xffff, outputBase: 0x2000, target: 0 }] })]);

  it('in effect: mapping 0 is skipped', () => {
    const { table, at } = graph([0, 101, 102, 103]);
    expect(mapId(table, at[1]!, 5, IORT_MSI_TYPES).deviceId).toBe(0x2005);
  });

  it('not in effect (all GSIVs wired): mapping 0 translates', () => {
    const { table, at } = graph([100, 101, 102, 103]);
    expect(mapId(table, at[1]!, 5, IORT_MSI_TYPES).deviceId).toBe(0x1005);
  });
});

describe('by-index single mappings (iort_node_map_platform_id)', () => {
  it('takes the output base of the entry, then walks from its parent', () => {
    const { table, at, entry } = build([itsGroup([0]), smmuV3({ mappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0x100, target: 0 }] }), namedComponent('A', { mappings: [{ outputBase: 7, target: 1, flags: 1 }] })]);
    const walk = mapPlatformId(table, at[2]!, 0, IORT_MSI_TYPES);
    expect(walk.inputId).toBeUndefined();
    expect(walk.hops.map((hop) => [hop.mappingOffset, hop.inputId, hop.outputId])).toEqual([[entry(2, 0), undefined, 7], [entry(1, 0), 7, 0x107]]);
    expect([walk.stop, walk.deviceId]).toEqual(['reached', 0x107]);
  });

  it('a parent already of a masked type is reached with the fetched ID', () => {
    const { table, at } = build([smmuV3(), namedComponent('A', { mappings: [{ outputBase: 7, target: 0, flags: 1 }] })]);
    expect(mapPlatformId(table, at[1]!, 0).final).toEqual({ nodeOffset: at[0]!, nodeKind: 'smmu-v3', nodeType: 4, id: 7 });
  });

  it('an index at or past the mapping count, or a node without mappings, has no more mappings', () => {
    const { table, at } = build([smmuV3(), namedComponent('A', { mappings: [{ outputBase: 7, target: 0, flags: 1 }] }), namedComponent('B')]);
    expect(mapPlatformId(table, at[1]!, 1).stop).toBe('no-more-mappings');
    expect(mapPlatformId(table, at[2]!, 0).stop).toBe('no-more-mappings');
    expect(mapPlatformId(table, at[1]! + 2, 0).stop).toBe('no-start-node');
  });

  it('a null reference, a range, or a node type iort_node_get_id() refuses: no ID', () => {
    const { table, at } = build([
      smmuV3(),
      namedComponent('A', { mappings: [{ outputBase: 7, reference: 0, flags: 1 }] }),
      namedComponent('B', { mappings: [{ inputBase: 0, idCount: 4, target: 0 }] }),
      smmuV1V2({ mappings: [{ outputBase: 7, target: 0, flags: 1 }] }),
    ]);
    expect([1, 2, 3].map((node) => mapPlatformId(table, at[node]!, 0).stop)).toEqual(['null-reference', 'not-single', 'not-single']);
  });

  it('RC, SMMUv3 and PMCG single mappings are fetched', () => {
    const { table, at } = build([
      itsGroup([0]),
      rootComplex(0, { mappings: [{ outputBase: 1, target: 0, flags: 1 }] }),
      smmuV3({ mappings: [{ outputBase: 2, target: 0, flags: 1 }] }),
      pmcg(2, { gsiv: 5, mappings: [{ outputBase: 3, target: 0, flags: 1 }] }),
    ]);
    expect([1, 2, 3].map((node) => mapPlatformId(table, at[node]!, 0, IORT_MSI_TYPES).deviceId)).toEqual([1, 2, 3]);
  });

  it('a reference that is not a node start stops after the fetch hop', () => {
    const { table, at } = build([smmuV3(), namedComponent('A', { mappings: [{ outputBase: 7, reference: 50, flags: 1 }] })]);
    const walk = mapPlatformId(table, at[1]!, 0);
    expect([walk.stop, walk.hops.length]).toEqual(['target-not-a-node', 1]);
  });
});

describe('translate()', () => {
  const { table, at } = build([
    smmuV3(),
    namedComponent('\\_SB.A', { mappings: [{ outputBase: 7, target: 0, flags: 1 }, { outputBase: 9, target: 0, flags: 1 }] }),
    rootComplex(2, { mappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0x10000, target: 0 }] }),
    rootComplex(2, { mappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0x20000, target: 0 }] }),
    namedComponent('\\_SB.A', { mappings: [{ outputBase: 11, target: 0, flags: 1 }] }),
  ]);

  it('a named component without ID: every index until the first that fails (here: past the last)', () => {
    const result = translate(table, { deviceName: '\\_SB.A' });
    expect(result.startNodeOffset).toBe(at[1]);
    expect(result.walks.map((walk) => walk.stop)).toEqual(['reached', 'reached', 'no-more-mappings']);
    expect(result.results.map((final) => final.id)).toEqual([7, 9]);
    expect(result.stop).toBe('no-more-mappings');
  });

  it('the first node of a segment or a name wins (iort_scan_node order)', () => {
    expect(translate(table, { segment: 2, requesterId: 5 }).results).toEqual([{ nodeOffset: at[0]!, nodeKind: 'smmu-v3', nodeType: 4, id: 0x10005 }]);
    expect(translate(table, { deviceName: '\\_SB.A', id: 0 }).startNodeOffset).toBe(at[1]);
  });

  it('a node offset with an ID walks once; an offset that is no node, or an unknown name, has no start', () => {
    expect(translate(table, { nodeOffset: at[3]!, id: 1 }).results.map((final) => final.id)).toEqual([0x20001]);
    expect(translate(table, { nodeOffset: at[3]! + 4, id: 1 })).toEqual({ startNodeOffset: at[3]! + 4, walks: [], results: [], stop: 'no-start-node' });
    expect(translate(table, { deviceName: '\\_SB.B' })).toEqual({ startNodeOffset: undefined, walks: [], results: [], stop: 'no-start-node' });
  });

  it('the type mask is passed on', () => {
    expect(translate(table, { segment: 2, requesterId: 5 }, { typeMask: IORT_MSI_TYPES }).stop).toBe('no-mappings');
  });
});

describe('hop details the walk reports', () => {
  it('a node of unknown type (≥ 8) or cut short is of kind unknown', () => {
    const { table, at } = build([smmuV3(), { type: 9, mappings: [{ inputBase: 0, idCount: 0xff, target: 0 }] }]);
    expect(mapId(table, at[1]!, 5).hops.map((hop) => [hop.nodeKind, hop.nodeType])).toEqual([['unknown', 9]]);
    const cut = build([smmuV3({ length: 64 }), namedComponent('A', { mappings: [{ inputBase: 0, idCount: 0xff, target: 0 }] })]);
    expect(mapId(cut.table, cut.at[1]!, 5).final).toEqual({ nodeOffset: cut.at[0]!, nodeKind: 'unknown', nodeType: 4, id: 5 });
  });

  it('the input range is base … base + count, and a single mapping is never an off-by-one match', () => {
    const { table, at } = build([smmuV3(), namedComponent('A', { mappings: [{ inputBase: 0x10, idCount: 0x20, target: 0 }, { outputBase: 3, target: 0, flags: 1 }] })]);
    expect(mapId(table, at[1]!, 0x11).hops[0]!.inputRange).toEqual([0x10, 0x30]);
    const single = mapId(table, at[1]!, 0x99).hops[0]!;
    expect([single.mappingIndex, single.outputId, single.offByOne]).toEqual([1, 3, undefined]);
  });

  it('a by-index fetch may start at the first node of the table', () => {
    const { table, at } = build([namedComponent('A', { mappings: [{ outputBase: 7, target: 1, flags: 1 }] }), smmuV3()]);
    expect(mapPlatformId(table, at[0]!, 0).streamId).toBe(7);
  });
});

describe('translate() lookups on fresh tables (the per-table index is built on first use)', () => {
  it('an unknown segment has no start node', () => {
    const { table } = build([smmuV3(), rootComplex(0, { mappings: [{ inputBase: 0, idCount: 0xffff, target: 0 }] })]);
    expect(translate(table, { segment: 9, requesterId: 1 })).toEqual({ startNodeOffset: undefined, walks: [], results: [], stop: 'no-start-node' });
  });

  it('a root complex too short for its segment field is not found; one of exactly 32 bytes is', () => {
    // Cut at 31, its segment field would read 04 00 00 plus the next node's type byte (ITS group: 00) = 4.
    const short = build([smmuV3(), rootComplex(4, { size: 32, length: 31 }), itsGroup([0])]);
    expect(translate(short.table, { segment: 4, requesterId: 1 }).stop).toBe('no-start-node');
    const exact = build([smmuV3(), rootComplex(4, { size: 32 })]);
    expect(exact.table.nodeAt(exact.at[1]!)!.length).toBe(32);
    expect(translate(exact.table, { segment: 4, requesterId: 1 }).startNodeOffset).toBe(exact.at[1]);
  });

  it('the first root complex of a segment and the first named component of a name win', () => {
    const { table, at } = build([
      smmuV3(),
      rootComplex(2, { mappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0x10000, target: 0 }] }),
      rootComplex(2, { mappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0x20000, target: 0 }] }),
      namedComponent('\\_SB.A', { mappings: [{ outputBase: 7, target: 0, flags: 1 }] }),
      namedComponent('\\_SB.A', { mappings: [{ outputBase: 11, target: 0, flags: 1 }] }),
    ]);
    expect(translate(table, { deviceName: '\\_SB.A' }).startNodeOffset).toBe(at[3]);
    expect(translate(table, { segment: 2, requesterId: 5 }).results[0]!.id).toBe(0x10005);
  });

  it('a named component cut before its name is not found', () => {
    const { table } = build([smmuV3(), namedComponent('\\_SB.A', { length: 28 })]);
    expect(translate(table, { deviceName: '' }).stop).toBe('no-start-node');
    expect(translate(table, { deviceName: '\\_SB.A' }).stop).toBe('no-start-node');
    // Ending exactly where the name starts: the fixed part is there, the name is empty.
    const bare = build([smmuV3(), namedComponent('\\_SB.A', { length: 29 })]);
    expect(translate(bare.table, { deviceName: '' }).startNodeOffset).toBe(bare.at[1]);
  });
});

describe('translate() from the first node, and its by-index loop', () => {
  it('a node offset that is the first node of the table is a start', () => {
    const { table, at } = build([rootComplex(0, { mappings: [{ inputBase: 0, idCount: 0xffff, target: 1 }] }), smmuV3()]);
    expect(translate(table, { nodeOffset: at[0]!, id: 3 }).results).toEqual([{ nodeOffset: at[1]!, nodeKind: 'smmu-v3', nodeType: 4, id: 3 }]);
  });

  it('the loop stops at the first index that fails, even with single mappings after it', () => {
    const { table } = build([smmuV3(), namedComponent('N', { mappings: [{ outputBase: 7, target: 0, flags: 1 }, { inputBase: 1, target: 0 }, { outputBase: 9, target: 0, flags: 1 }] })]);
    const result = translate(table, { deviceName: 'N' });
    expect(result.walks.map((walk) => walk.stop)).toEqual(['reached', 'not-single']);
    expect(result.results.map((final) => final.id)).toEqual([7]);
  });
});
