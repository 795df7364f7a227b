/**
 * IORT models (docs/spec.md §3): every node type 0–7 at the node revisions of the §3.1
 * cross-walk (and the in-between ones real firmware uses), ID mappings that chain root
 * complexes and named components → SMMUs → ITS groups, PMCGs naming their SMMU, RMRs with
 * 64 KiB ranges, named components with long names. References are `{node: index}`.
 */
import fc from 'fast-check';
import type { IortMappingModel, IortModel, IortNodeModel } from '../../src/encode/index.js';
import { acpiPath, headerArbitrary, pageAddress, uint } from './common.js';

/** Node revisions per type (index = node type): the cross-walk columns plus the ones seen in real tables. */
export const IORT_NODE_REVISIONS: readonly (readonly number[])[] = [[0, 1], [0, 2, 4], [0, 1, 2, 3, 4], [0, 1, 3], [0, 1, 2, 4, 5], [0, 1, 2], [1, 3], [0, 1]];

const revision = (type: number) => fc.constantFrom(...IORT_NODE_REVISIONS[type]!);
const gsiv = fc.integer({ min: 32, max: 1019 });
const interrupt = fc.record({ gsiv, flags: fc.constantFrom(0, 1) });
const memoryAccess = fc.record({ cacheCoherency: fc.constantFrom(0, 1), allocationHints: fc.integer({ min: 0, max: 15 }), reserved: fc.constant(0), memoryAccessFlags: fc.integer({ min: 0, max: 7 }) });

/** A mapping's numbers; its target is chosen when the graph is assembled. */
const range = fc.record({ inputBase: fc.integer({ min: 0, max: 0xffff }), idCount: fc.integer({ min: 0, max: 0xffff }), outputBase: fc.integer({ min: 0, max: 0xffff }), pick: fc.nat() });
type Range = { inputBase: number; idCount: number; outputBase: number; pick: number };
const ranges = (max: number) => fc.array(range, { minLength: 1, maxLength: max });

const itsGroup = fc.record({ kind: fc.constant('its-group'), revision: revision(0), itsIdentifiers: fc.array(uint(32), { minLength: 1, maxLength: 4 }) });
const namedComponent = fc.record({
  kind: fc.constant('named-component'), revision: revision(1), nodeFlags: fc.integer({ min: 0, max: 0x3f }), memoryAccess,
  deviceMemoryAddressSizeLimit: fc.integer({ min: 32, max: 64 }), deviceName: fc.oneof(acpiPath(3), acpiPath(48)), ranges: ranges(3), single: fc.boolean(),
});
const rootComplex = fc
  .record({ kind: fc.constant('root-complex'), revision: revision(2), memoryAccess, atsAttribute: fc.integer({ min: 0, max: 7 }), pciSegmentNumber: fc.integer({ min: 0, max: 3 }), limit: fc.integer({ min: 32, max: 64 }), pasid: fc.integer({ min: 0, max: 20 }), pasidFlags: fc.constantFrom(0, 1), ranges: ranges(3) })
  .map(({ limit, pasid, pasidFlags, ...node }) => ({
    ...node,
    ...(node.revision >= 1 ? { memoryAddressSizeLimit: limit } : {}),
    ...(node.revision >= 4 ? { pasidCapabilities: pasid, flags: pasidFlags } : {}),
  }));
const smmuV1V2 = fc.record({
  kind: fc.constant('smmu-v1v2'), revision: revision(3), baseAddress: pageAddress(44, 16), span: fc.constantFrom(0x10000n, 0x20000n, 0x40000n), model: fc.integer({ min: 0, max: 5 }), flags: fc.integer({ min: 0, max: 3 }),
  globalInterrupts: fc.record({ nonSecureGlobal: interrupt, nonSecureConfigAccess: interrupt }), contextInterrupts: fc.array(interrupt, { maxLength: 8 }), pmuInterrupts: fc.array(interrupt, { maxLength: 4 }), ranges: ranges(2),
});
const smmuV3 = fc
  .record({ kind: fc.constant('smmu-v3'), revision: revision(4), baseAddress: pageAddress(44, 17), flags: fc.integer({ min: 0, max: 0xf }), vatosAddress: fc.constant(0n), model: fc.integer({ min: 0, max: 2 }), eventGsiv: gsiv, priGsiv: gsiv, gerrGsiv: gsiv, syncGsiv: fc.constantFrom(0, 100), proximityDomain: uint(8), ranges: ranges(3) })
  .map(({ proximityDomain, ...node }) => ({
    ...node,
    flags: node.revision >= 5 ? node.flags | 0x10 : node.flags,
    ...(node.revision >= 1 ? { proximityDomain, deviceIdMappingIndex: 0 } : {}),
  }));
const pmcg = fc.record({ kind: fc.constant('pmcg'), revision: revision(5), page0BaseAddress: pageAddress(44), overflowGsiv: fc.constantFrom(0, 300), page1BaseAddress: pageAddress(44), pick: fc.nat(), ranges: ranges(1) });
const rmr = fc.record({
  kind: fc.constant('rmr'), revision: revision(6), remap: fc.constantFrom(0, 1), attributes: fc.integer({ min: 0, max: 5 }), ranges: ranges(2),
  memoryRanges: fc.array(fc.record({ baseAddress: pageAddress(40, 16), length: fc.integer({ min: 1, max: 64 }).map((units) => BigInt(units) << 16n), reserved: fc.constant(0) }), { minLength: 1, maxLength: 3 }),
}).map(({ remap, attributes, ...node }) => ({ ...node, flags: remap | (attributes << 2) }));
const iwb = fc.record({ kind: fc.constant('iwb'), revision: revision(7), configFrameBase: pageAddress(44, 16), iwbIndex: uint(16), deviceName: acpiPath(4), ranges: ranges(1) });

type Drafted = Record<string, unknown> & { kind: string; ranges?: Range[]; single?: boolean; pick?: number };

function mapping(draft: Range, targets: readonly number[], single = false): IortMappingModel {
  return { inputBase: draft.inputBase, idCount: single ? 0 : draft.idCount, outputBase: draft.outputBase, outputReference: { node: targets[draft.pick % targets.length]! }, flags: single ? 1 : 0 };
}

/** Gives every drafted node its ID mappings, with targets by index: ITS groups first, then SMMUs. */
function assemble(drafts: Drafted[], tableRevision: number): IortNodeModel[] {
  const indexes = (...kinds: string[]) => drafts.flatMap((draft, index) => (kinds.includes(draft.kind) ? [index] : []));
  const its = indexes('its-group');
  const smmus = indexes('smmu-v3', 'smmu-v1v2');
  const monitored = indexes('smmu-v3', 'named-component', 'root-complex');
  return drafts.map((draft, index) => {
    const { ranges: drafted = [], single, pick, ...node } = draft;
    const upstream = smmus.length > 0 ? smmus : its;
    let idMappings: IortMappingModel[] = [];
    if (draft.kind === 'named-component') idMappings = drafted.map((item) => mapping(item, upstream, single === true && drafted.length === 1));
    if (draft.kind === 'root-complex') idMappings = drafted.map((item) => mapping(item, upstream));
    if (draft.kind === 'rmr') idMappings = smmus.length > 0 ? drafted.map((item) => mapping(item, smmus)) : [];
    if (draft.kind === 'smmu-v3') idMappings = [mapping(drafted[0]!, its, true), ...drafted.slice(1).map((item) => mapping(item, its))];
    if (draft.kind === 'smmu-v1v2' || draft.kind === 'iwb') idMappings = drafted.map((item) => mapping(item, its));
    if (draft.kind === 'pmcg') {
      node.nodeReference = { node: monitored[(pick ?? 0) % monitored.length] ?? 0 };
      idMappings = draft.overflowGsiv === 0 ? [mapping(drafted[0]!, its, true)] : [];
    }
    return { ...node, identifier: tableRevision >= 3 ? index : 0, idMappings } as IortNodeModel;
  });
}

/** A whole IORT: one to two ITS groups, then SMMUs, then the devices and extras behind them. */
export const iortModelArbitrary: fc.Arbitrary<IortModel> = fc
  .record({
    header: headerArbitrary('IORT', [0, 3, 5, 6]),
    its: fc.array(itsGroup, { minLength: 1, maxLength: 2 }),
    smmus: fc.array(fc.oneof(smmuV3, smmuV3, smmuV1V2), { maxLength: 3 }),
    devices: fc.array(fc.oneof(rootComplex, rootComplex, namedComponent, iwb), { minLength: 1, maxLength: 4 }),
    extras: fc.array(fc.oneof(pmcg, rmr), { maxLength: 2 }),
  })
  .map(({ header, its, smmus, devices, extras }) => {
    const hasMonitored = smmus.some((node) => node.kind === 'smmu-v3') || devices.some((node) => node.kind !== 'iwb');
    const usable = extras.filter((node) => (node.kind === 'pmcg' ? hasMonitored : smmus.length > 0));
    const drafts = [...its, ...smmus, ...devices, ...usable] as Drafted[];
    return { signature: 'IORT', header, nodes: assemble(drafts, header.revision ?? 0) };
  });
