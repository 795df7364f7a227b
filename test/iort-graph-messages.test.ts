/**
 * The reference checks of src/iort/graph.ts (spec §5 rules 22–25, 29) with the text a user reads:
 * the node, the field and the target in each message are checked against the builder's layout
 * (mapping entries right after a node's fixed part; SMMUv3 fixed part 68 bytes, its DeviceID
 * mapping index at node + 64; PMCG node reference at node + 28).
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { buildIort, itsGroup, namedComponent, pmcg, rmr, rootComplex, smmuV3, type NodeSpec } from './support/iort-builder.js';

const FULL = { inputBase: 0, idCount: 0xffff };

function check(nodes: NodeSpec[], code: string) {
  const built = buildIort(nodes);
  const entry = (node: number, index = 0) => built.offsets[node]! + 16 + (nodes[node]!.fixed?.length ?? 0) + 20 * index;
  const found = parseIort(built.bytes).diagnostics.filter((item) => item.code === code).map(({ offset, message }) => ({ offset, message }));
  return { at: built.offsets, entry, found };
}

const hex = (value: number) => `0x${value.toString(16)}`;

describe('output references', () => {
  it('a null reference names the node and the field', () => {
    const { at, entry, found } = check([smmuV3(), rootComplex(0, { mappings: [{ ...FULL, reference: 0 }] })], 'iort.mapping.null-ref');
    const field = entry(1) + 12;
    expect(found).toEqual([{ offset: field, message: `node at ${hex(at[1]!)}: reference at ${hex(field)} is 0 (Linux: "NULL parent reference")` }]);
  });

  it('a reference into the middle of a node names the value', () => {
    const { at, entry, found } = check([smmuV3(), rootComplex(0, { mappings: [{ ...FULL, reference: 52 }] })], 'iort.mapping.target-not-a-node');
    const field = entry(1) + 12;
    expect(found).toEqual([{ offset: field, message: `node at ${hex(at[1]!)}: reference at ${hex(field)} is 0x34, which is not the start of a node` }]);
  });

  it('a reference to a node of an unsuitable type names the type and the target', () => {
    const { at, entry, found } = check([smmuV3(), rootComplex(0), namedComponent('A', { mappings: [{ ...FULL, target: 1 }] })], 'iort.mapping.target-type');
    const field = entry(2) + 12;
    expect(found).toEqual([{ offset: field, message: `node at ${hex(at[2]!)}: reference at ${hex(field)} names a type 2 node at ${hex(at[1]!)}, not a valid target` }]);
  });

  it('a reference to the node itself is unsuitable even when the type is', () => {
    const { at, entry, found } = check([itsGroup([0]), smmuV3({ mappings: [{ inputBase: 5, outputBase: 6, target: 1 }, { inputBase: 6, target: 0 }] })], 'iort.mapping.target-type');
    const field = entry(1) + 12;
    expect(found).toEqual([{ offset: field, message: `node at ${hex(at[1]!)}: reference at ${hex(field)} names the node itself at ${hex(at[1]!)}, not a valid target` }]);
  });

  it('every mapping is checked, not only the first', () => {
    const { entry, found } = check([smmuV3(), rootComplex(0, { mappings: [{ ...FULL, target: 0 }, { inputBase: 0x10000, idCount: 0xff, reference: 0 }] })], 'iort.mapping.null-ref');
    expect(found.map((item) => item.offset)).toEqual([entry(1, 1) + 12]);
  });

  it('an RMR may name an SMMU only; ITS groups and named components are valid mapping targets elsewhere', () => {
    const nodes = [itsGroup([0]), smmuV3({ mappings: [{ ...FULL, target: 0 }] }), rmr([[0x8000_0000n, 0x1_0000n]], { mappings: [{ target: 0 }, { target: 1 }] })];
    const { at, entry, found } = check(nodes, 'iort.mapping.target-type');
    expect(found).toEqual([{ offset: entry(2) + 12, message: `node at ${hex(at[2]!)}: reference at ${hex(entry(2) + 12)} names a type 0 node at ${hex(at[0]!)}, not a valid target` }]);
  });

  it('a PMCG must name an SMMUv3, a named component or a root complex', () => {
    const good = check([smmuV3(), pmcg(0, { gsiv: 5 })], 'iort.mapping.target-type');
    expect(good.found).toEqual([]);
    const bad = check([itsGroup([0]), pmcg(0, { gsiv: 5 })], 'iort.mapping.target-type');
    expect(bad.found).toEqual([{ offset: bad.at[1]! + 28, message: `node at ${hex(bad.at[1]!)}: reference at ${hex(bad.at[1]! + 28)} names a type 0 node at ${hex(bad.at[0]!)}, not a valid target` }]);
    const dangling = check([itsGroup([0]), pmcg(0, { gsiv: 5, refs: [], patch32: [[28, 3]] })], 'iort.mapping.target-not-a-node');
    expect(dangling.found.map((item) => item.offset)).toEqual([dangling.at[1]! + 28]);
  });
});

describe('cycles through the graph', () => {
  it('names the nodes of the cycle and reports at the closing reference', () => {
    const { at, entry, found } = check([smmuV3({ mappings: [{ ...FULL, target: 1 }] }), smmuV3({ mappings: [{ ...FULL, target: 0 }] })], 'iort.graph.cycle');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toBe(`output references form a cycle through the nodes at ${hex(at[0]!)} → ${hex(at[1]!)}; Linux's walk would not terminate`);
    expect([entry(0) + 12, entry(1) + 12]).toContain(found[0]!.offset);
  });

  it('a graph without a cycle has none', () => {
    expect(check([itsGroup([0]), smmuV3({ mappings: [{ ...FULL, target: 0 }] }), rootComplex(0, { mappings: [{ ...FULL, target: 1 }] })], 'iort.graph.cycle').found).toEqual([]);
  });
});

describe('the SMMUv3 DeviceID mapping index (spec §3.10, §5 #29)', () => {
  // GSIVs not all wired, node revision 4: the index field is in effect.
  const smmu = (index: number, mappings: NodeSpec['mappings']) => smmuV3({ gsivs: [0, 0, 0, 0], index, mappings });

  it('an index at the mapping count overflows', () => {
    const { at, found } = check([itsGroup([0]), smmu(1, [{ ...FULL, target: 0 }])], 'iort.smmuv3.devid-index');
    expect(found).toEqual([{ offset: at[1]! + 64, message: `SMMUv3 at ${hex(at[1]!)}: DeviceID mapping index 1 but 1 mappings (Linux: "ID mapping index overflows valid mappings")` }]);
  });

  it('the indexed mapping must be single with a parent', () => {
    const range = check([itsGroup([0]), smmu(0, [{ ...FULL, target: 0 }])], 'iort.smmuv3.devid-index');
    expect(range.found).toEqual([{ offset: range.at[1]! + 64, message: `SMMUv3 at ${hex(range.at[1]!)}: DeviceID mapping 0 at ${hex(range.entry(1))} is not a single mapping with a parent (Linux: "Invalid MSI mapping")` }]);
    const orphan = check([itsGroup([0]), smmu(0, [{ reference: 0, flags: 1 }])], 'iort.smmuv3.devid-index');
    expect(orphan.found.map((item) => item.offset)).toEqual([orphan.at[1]! + 64]);
  });

  it('and lead to an ITS group', () => {
    const { at, entry, found } = check([itsGroup([0]), smmuV3(), smmu(0, [{ target: 1, flags: 1 }])], 'iort.smmuv3.devid-index');
    expect(found).toEqual([{ offset: entry(2) + 12, message: `SMMUv3 at ${hex(at[2]!)}: DeviceID mapping 0 points at a type 4 node, not an ITS group; Linux sets no MSI domain` }]);
  });

  it('a single mapping to an ITS group, or an index not in effect, is fine', () => {
    expect(check([itsGroup([0]), smmu(0, [{ target: 0, flags: 1 }])], 'iort.smmuv3.devid-index').found).toEqual([]);
    expect(check([itsGroup([0]), smmuV3({ index: 7, mappings: [{ ...FULL, target: 0 }] })], 'iort.smmuv3.devid-index').found).toEqual([]);
  });
});

describe('what does not count as an edge or a check', () => {
  it('a null or dangling reference adds no edge: no cycle', () => {
    expect(check([smmuV3(), rootComplex(0, { mappings: [{ ...FULL, reference: 0 }] })], 'iort.graph.cycle').found).toEqual([]);
    expect(check([smmuV3(), rootComplex(0, { mappings: [{ ...FULL, reference: 52 }] })], 'iort.graph.cycle').found).toEqual([]);
    expect(check([rootComplex(0, { mappings: [{ ...FULL, reference: 0 }] }), smmuV3()], 'iort.graph.cycle').found).toEqual([]);
  });

  it('a DeviceID index whose mappings lie outside the node, or whose reference is no node, gets no DeviceID finding', () => {
    const outside = smmuV3({ gsivs: [0, 0, 0, 0], index: 0, mappings: [{ target: 0, flags: 1 }], mappingOffset: 500 });
    expect(check([itsGroup([0]), outside], 'iort.smmuv3.devid-index').found).toEqual([]);
    expect(check([itsGroup([0]), smmuV3({ gsivs: [0, 0, 0, 0], index: 0, mappings: [{ reference: 49, flags: 1 }] })], 'iort.smmuv3.devid-index').found).toEqual([]);
  });

  it('a DeviceID mapping to the first node of the table, not an ITS group, is reported', () => {
    const { at, entry, found } = check([smmuV3(), itsGroup([0]), smmuV3({ gsivs: [0, 0, 0, 0], index: 0, mappings: [{ target: 0, flags: 1 }] })], 'iort.smmuv3.devid-index');
    expect(found).toEqual([{ offset: entry(2) + 12, message: `SMMUv3 at ${hex(at[2]!)}: DeviceID mapping 0 points at a type 4 node, not an ITS group; Linux sets no MSI domain` }]);
  });

  it('node-specific reference checks need the node\'s fixed part', () => {
    // A PMCG cut at 28 (no node reference field): nothing is resolved there, not even a null reference.
    const cutPmcg = check([itsGroup([0]), pmcg(0, { gsiv: 5, length: 28, refs: [] })], 'iort.mapping.null-ref');
    expect(cutPmcg.found).toEqual([]);
    const exactPmcg = check([itsGroup([0]), pmcg(0, { gsiv: 5, length: 32 })], 'iort.mapping.target-type');
    expect(exactPmcg.found.map((item) => item.offset)).toEqual([exactPmcg.at[1]! + 28]);
    expect(check([smmuV3({ gsivs: [0, 0, 0, 0], index: 5, length: 67 })], 'iort.smmuv3.devid-index').found).toEqual([]);
    expect(check([smmuV3({ gsivs: [0, 0, 0, 0], index: 5, length: 68 })], 'iort.smmuv3.devid-index').found.map((item) => item.offset)).toEqual([48 + 64]);
  });

  it('only SMMUv3 nodes have a DeviceID index (an ITS group whose bytes would look like one has none)', () => {
    // Identifiers at +20…+64: the "GSIV" at +44 is 0 and the "index" at +64 is 5.
    const ids = [1, 2, 3, 4, 5, 6, 0, 8, 9, 10, 11, 5];
    expect(check([itsGroup(ids)], 'iort.smmuv3.devid-index').found).toEqual([]);
  });
});
