/**
 * `explain` on Arm (src/audit/explain-arm.ts) where mutation testing found it unasserted: the
 * off-by-one hops of `iort_node_map_id` as text, a walk to an offset that is no node, an ITS group
 * of several ITS, and named components — matched exactly before loosely, behind an SMMUv1/v2, mapped
 * past any SMMU, or mapped onto two SMMUs. IORTs from test/support/iort-builder.ts (nodes from 0x30
 * in the order given); texts by hand from docs/kernel-semantics.md §4.2 (`iort_id_map`: an input
 * equal to base + count matches with -EAGAIN and gives way to a later full match; the fwspec keeps
 * the first IOMMU).
 */
import { describe, expect, it } from 'vitest';
import { chainOf, msiChain } from '../src/audit/explain-arm.js';
import { explainDevice } from '../src/audit/explain.js';
import { parseExplainTarget, type Explanation } from '../src/audit/explain-model.js';
import { mapId, parseIort } from '../src/iort/index.js';
import { buildIort, itsGroup, namedComponent, rootComplex, smmuV1V2, smmuV3, type MappingSpec } from './support/iort-builder.js';

const SINGLE = 1;
const toSmmu = (extra: MappingSpec = {}): MappingSpec => ({ inputBase: 0, idCount: 0xffff, outputBase: 0, target: 0, ...extra });
const explain = (bytes: Uint8Array, path: string) => {
  const result = explainDevice({ iort: parseIort(bytes) }, parseExplainTarget(path)!);
  expect(typeof result).toBe('object');
  return result as Explanation;
};

describe('ID walks: the kernel\'s off-by-one tolerance and dead ends, as text', () => {
  // ITS group [0] @0x30, SMMUv3 @0x48, root complex @a with the mappings given.
  const walk = (mappings: MappingSpec[], rid: number) => {
    const built = buildIort([itsGroup([0]), smmuV3({ mappings: [toSmmu()] }), rootComplex(0, { mappings })]);
    const table = parseIort(built.bytes);
    const [, smmu, rc] = built.offsets as [number, number, number];
    return { chain: chainOf(table, mapId(table, rc, rid), 'RID', 'StreamID'), smmu, rc };
  };

  it('a match on the last ID of the range alone is kept', () => {
    const { chain, smmu, rc } = walk([{ inputBase: 0, idCount: 0x10, outputBase: 0x100, target: 1 }], 0x10);
    expect(chain.steps).toEqual([`root-complex @0x${rc.toString(16)} mapping 0 @0x${(rc + 40).toString(16)} [input 0x0–0x10]: 0x10 → 0x110 → smmu-v3 @0x${smmu.toString(16)} (matched on the last ID of the range: the kernel's off-by-one tolerance)`]);
  });

  it('a later full match supersedes it', () => {
    const { chain, smmu, rc } = walk([{ inputBase: 0, idCount: 0x10, outputBase: 0x100, target: 1 }, { inputBase: 0x10, idCount: 0xf, outputBase: 0x200, target: 1 }], 0x10);
    expect(chain.steps).toEqual([`root-complex @0x${rc.toString(16)} mapping 1 @0x${(rc + 60).toString(16)} [input 0x10–0x1f]: 0x10 → 0x200 → smmu-v3 @0x${smmu.toString(16)} (an end-of-range match gave way to this one: FW_BUG "applying workaround")`]);
  });

  it('a mapping whose output reference is no node: the hop says so', () => {
    const { chain, rc } = walk([{ inputBase: 0, idCount: 0xff, outputBase: 0, reference: 0x1000 }], 0x18);
    expect(chain.steps).toEqual([`root-complex @0x${rc.toString(16)} mapping 0 @0x${(rc + 40).toString(16)} [input 0x0–0xff]: 0x18 → 0x18 → no node @0x1000`]);
    expect(chain.result).toMatch(/^stopped: /);
  });

  it('an ITS group of two ITS names both', () => {
    const built = buildIort([itsGroup([0, 1]), smmuV3({ mappings: [toSmmu()] })]);
    const [, smmu] = built.offsets as [number, number];
    expect(msiChain(parseIort(built.bytes), { smmuOffset: smmu, smmuKind: 'smmu-v3', streamIds: [0x18], notes: [], assumptions: [] })!.result).toBe('DeviceID 0x18 on its-group @0x30 (GIC ITS 0, 1)');
  });
});

describe('named components', () => {
  it('an exact name wins over an earlier one that differs only in padding', () => {
    const built = buildIort([itsGroup([0]), smmuV3({ mappings: [toSmmu()] }), namedComponent('\\_SB_.ETH0'), namedComponent('\\_SB.ETH0')]);
    const [, , padded, exact] = built.offsets as [number, number, number, number];
    expect(explain(built.bytes, '\\_SB.ETH0').title).toBe(`\\_SB.ETH0 (IORT named component @0x${exact.toString(16)})`);
    expect(explain(built.bytes, '\\_SB_.ETH0').title).toBe(`\\_SB_.ETH0 (IORT named component @0x${padded.toString(16)})`);
  });

  it('behind an SMMUv1/v2: its StreamID and the SMMU\'s kind', () => {
    const built = buildIort([smmuV1V2(), namedComponent('\\_SB_.ETH0', { mappings: [{ inputBase: 0, idCount: 0, outputBase: 0x20, target: 0, flags: SINGLE }] })]);
    const [smmu] = built.offsets as [number];
    const result = explain(built.bytes, '\\_SB.ETH0');
    expect(result.hasIommu).toBe(true);
    expect(result.chains[0]!.result).toBe(`StreamID 0x20 on smmu-v1v2 @0x${smmu.toString(16)}`);
    expect(result.chains.at(-1)!.start).toBe(`MSIs: StreamID 0x20 from smmu-v1v2 @0x${smmu.toString(16)}`);
  });

  it('mapped straight to the ITS group: no StreamID, no IOMMU, and no note about ranges it does not have', () => {
    const built = buildIort([itsGroup([0]), namedComponent('\\_SB_.ETH0', { mappings: [{ inputBase: 0, idCount: 0, outputBase: 0x20, target: 0, flags: SINGLE }] })]);
    const result = explain(built.bytes, '\\_SB.ETH0');
    expect(result.hasIommu).toBe(false);
    expect(result.notes).toEqual([]);
  });

  it('ranges next to a single mapping: only the ranges are counted, and four of them are shown', () => {
    const ranges = Array.from({ length: 5 }, (_, index): MappingSpec => ({ inputBase: index * 0x10, idCount: 0xf, outputBase: 0x100, target: 1 }));
    const built = buildIort([itsGroup([0]), smmuV3({ mappings: [toSmmu()] }), namedComponent('\\_SB_.ETH0', { mappings: [{ inputBase: 0, idCount: 0, outputBase: 0x20, target: 0, flags: SINGLE }, ...ranges] })]);
    const result = explain(built.bytes, '\\_SB.ETH0');
    expect(result.notes[0]).toBe('5 of its 6 mapping(s) are ranges: only a driver that passes an input ID would use them; Linux gives a named component no StreamID from them');
    expect(result.notes).toHaveLength(5);
  });

  it('a later mapping onto another SMMU: the fwspec keeps the first SMMU and its StreamIDs only', () => {
    const built = buildIort([
      itsGroup([0]), smmuV3({ mappings: [toSmmu()] }), smmuV3({ mappings: [toSmmu()] }),
      namedComponent('\\_SB_.ETH0', { mappings: [{ inputBase: 0, idCount: 0, outputBase: 0x20, target: 1, flags: SINGLE }, { inputBase: 0, idCount: 0, outputBase: 0x30, target: 2, flags: SINGLE }] }),
    ]);
    const [, first, second] = built.offsets as [number, number, number];
    const result = explain(built.bytes, '\\_SB.ETH0');
    expect(result.notes).toEqual([`a later mapping reaches another node (smmu-v3 @0x${second.toString(16)}): the fwspec keeps the first SMMU only`]);
    expect(result.chains.at(-1)!.start).toBe(`MSIs: StreamID 0x20 from smmu-v3 @0x${first.toString(16)}`);
  });
});
