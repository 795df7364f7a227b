/**
 * The IORT node views (src/iort/{node,its-group,named-component,root-complex,smmu-v1v2,smmu-v3,
 * pmcg,rmr,iwb,memory-access,unknown}.ts) field by field, through parseIort's public views, for
 * mutation testing: every flag bit and bit field is given a value that tells it from its
 * neighbours, and every revision / space gate is tested on both sides. Tables come from
 * test/support/iort-builder.ts with the first node at 48; expected values follow the spec's
 * layouts (docs/spec.md §3.3–§3.13), worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { parseIort, type IortNode } from '../src/iort/index.js';
import { Bytes, TYPE, buildIort, itsGroup, iwb, pmcg, rmr, rootComplex, smmuV1V2, smmuV3, type NodeSpec } from './support/iort-builder.js';

const views = (nodes: NodeSpec[], revision = 5): IortNode[] => [...parseIort(buildIort(nodes, { revision }).bytes).nodes()];
const first = (nodes: NodeSpec[], revision = 5) => views(nodes, revision)[0]!;
const json = (nodes: NodeSpec[], revision = 5) => first(nodes, revision).toJSON();

/** Named component fixed part (spec §3.7): flags, memory access (§3.5), address size limit, name. */
function ncFixed(flags: number, cca: number, hints: number, reserved: number, accessFlags: number, limit: number, name: string, nul = true): Uint8Array {
  return new Bytes().u32(flags).u32(cca).u8(hints).u16(reserved).u8(accessFlags).u8(limit).ascii(name, nul).done();
}

describe('named component and memory access properties', () => {
  it('every field, with one single-flag mapping', () => {
    // Flags 0x6b: bit 0 stall; bits 5:1 = 0x35 & 0x1f = 0x15 (bit 6 outside the field).
    // Hints 0x0a: write-allocate and override; access flags 0x05: CPM and CANWBS. Name ends at
    // 29 + 10 = 39, the mapping at 48 + 39 = 87; the SMMUv3 after it at 48 + 59 = 107.
    const nc: NodeSpec = { type: TYPE.nc, revision: 4, fixed: ncFixed(0x6b, 1, 0x0a, 0x1234, 0x05, 44, '\\_SB.DEV0'), mappings: [{ inputBase: 0x100, idCount: 0xff, outputBase: 0x2000, target: 1, flags: 1 }] };
    expect(json([nc, smmuV3()])).toEqual({
      type: 1, kind: 'named-component', offset: 48, length: 59, revision: 4, identifier: 0, mappingCount: 1, mappingArrayOffset: 39,
      nodeFlags: 0x6b, stallSupported: true, pasidWidth: 0x15,
      memoryAccess: {
        cacheCoherency: 1, allocationHints: 0x0a, hintTransient: false, hintWriteAllocate: true, hintReadAllocate: false, hintOverride: true,
        reserved: 0x1234, memoryAccessFlags: 0x05, coherentPathToMemory: true, deviceAttributesCacheable: false, ensuredCoherency: true,
      },
      deviceMemoryAddressSizeLimit: 44, deviceName: '\\_SB.DEV0', deviceNameTerminated: true,
      idMappings: [{ offset: 87, inputBase: 0x100, idCount: 0xff, outputBase: 0x2000, outputReference: 107, flags: 1, singleMapping: true }],
    });
  });

  it('the complementary bits', () => {
    // Flags 0x02: no stall, width 1; hints 0x05: transient and read-allocate; access flags 0x02: DACS only.
    const node = json([{ type: TYPE.nc, revision: 4, fixed: ncFixed(0x02, 0, 0x05, 0, 0x02, 64, 'X') }]);
    expect(node).toMatchObject({ nodeFlags: 2, stallSupported: false, pasidWidth: 1, deviceMemoryAddressSizeLimit: 64, deviceName: 'X' });
    expect(node.memoryAccess).toEqual({
      cacheCoherency: 0, allocationHints: 0x05, hintTransient: true, hintWriteAllocate: false, hintReadAllocate: true, hintOverride: false,
      reserved: 0, memoryAccessFlags: 0x02, coherentPathToMemory: false, deviceAttributesCacheable: true, ensuredCoherency: false,
    });
  });

  it('a name without NUL inside the node is cut at the node end and not terminated', () => {
    expect(json([{ type: TYPE.nc, revision: 4, fixed: ncFixed(0, 1, 0, 0, 3, 48, '\\_SB.AB', false) }])).toMatchObject({ deviceName: '\\_SB.AB', deviceNameTerminated: false });
  });
});

describe('node header', () => {
  it('the Identifier is meaningful from table revision 3 (E.b) on', () => {
    const node = (revision: number) => first([itsGroup([0], { identifier: 0x77 })], revision);
    expect([node(2).identifier, node(2).identifierMeaningful]).toEqual([0x77, false]);
    expect([node(3).identifier, node(3).identifierMeaningful]).toEqual([0x77, true]);
  });

  it('forEachIdMapping moves one cursor over the readable mappings; a nested walk gets its own', () => {
    // SMMUv3 mappings at 48 + 68 = 116 and 136; the ITS group after them at 48 + 108 = 156.
    const mappings = [{ inputBase: 0, idCount: 0xff, outputBase: 0x10, target: 1 }, { inputBase: 0x100, idCount: 0, outputBase: 0x20, target: 1, flags: 1 }];
    const node = first([smmuV3({ mappings }), itsGroup([0])]);
    const seen: unknown[] = [];
    const cursors = new Set<unknown>();
    node.forEachIdMapping((mapping) => {
      cursors.add(mapping);
      const inner: number[] = [];
      node.forEachIdMapping((nested) => {
        cursors.add(nested);
        inner.push(nested.index);
      });
      const { index, offset, inputBase, idCount, outputBase, outputReference, flags, singleMapping } = mapping;
      seen.push({ index, offset, inputBase, idCount, outputBase, outputReference, flags, singleMapping, inner });
    });
    expect(seen).toEqual([
      { index: 0, offset: 116, inputBase: 0, idCount: 0xff, outputBase: 0x10, outputReference: 156, flags: 0, singleMapping: false, inner: [0, 1] },
      { index: 1, offset: 136, inputBase: 0x100, idCount: 0, outputBase: 0x20, outputReference: 156, flags: 1, singleMapping: true, inner: [0, 1] },
    ]);
    expect(cursors.size).toBe(2);
    // A second walk reuses the kept cursor.
    const again = new Set<unknown>();
    node.forEachIdMapping((mapping) => again.add(mapping));
    expect(again.size).toBe(1);
    expect(cursors.has([...again][0])).toBe(true);
  });

  it('mappings outside the node are neither yielded nor visited', () => {
    const node = first([itsGroup([0], { mappingCount: 1, mappingOffset: 24 })]);
    let visits = 0;
    node.forEachIdMapping(() => visits++);
    expect([visits, [...node.idMappings()].length]).toEqual([0, 0]);
  });
});

describe('ITS group', () => {
  it('identifiers when they fit the Length, none when they do not', () => {
    expect(json([itsGroup([5, 0x1_0000])])).toMatchObject({ kind: 'its-group', itsCount: 2, itsIdentifiers: [5, 0x1_0000] });
    const cut = first([itsGroup([5, 0x1_0000], { length: 27 })]);
    expect(cut.toJSON()).toMatchObject({ itsCount: 2, itsIdentifiers: [] });
    expect(cut.kind === 'its-group' && cut.itsIdentifiersInsideNode).toBe(false);
  });
});

describe('root complex', () => {
  it('ATS attribute bits, segment, revision-4 fields (PASID width = capabilities bits 4:0)', () => {
    expect(json([rootComplex(0x12, { ats: 0x5, limit: 48, pasid: 0x0125, flags: 1 })])).toMatchObject({
      kind: 'root-complex', atsAttribute: 5, atsSupported: true, priSupported: false, pasidForwarding: true, pciSegmentNumber: 0x12,
      memoryAddressSizeLimit: 48, pasidCapabilities: 0x0125, maxPasidWidth: 5, flags: 1, pasidSupported: true, body: undefined,
    });
    expect(json([rootComplex(0, { ats: 0x2, flags: 2 })])).toMatchObject({ atsSupported: false, priSupported: true, pasidForwarding: false, flags: 2, pasidSupported: false });
  });

  it('memory access properties at +16', () => {
    // The builder writes coherency 1, hints 0, access flags 3 (CPM and DACS).
    expect(json([rootComplex(0)]).memoryAccess).toEqual({
      cacheCoherency: 1, allocationHints: 0, hintTransient: false, hintWriteAllocate: false, hintReadAllocate: false, hintOverride: false,
      reserved: 0, memoryAccessFlags: 3, coherentPathToMemory: true, deviceAttributesCacheable: true, ensuredCoherency: false,
    });
  });

  it('body runs to the Length unless mappings start at or after the decoded part', () => {
    // Revision 0, 40-byte fixed part: bytes 32..40 undecoded (limit 0x30 at 32, 0x99 at 36).
    // A zero mapping count with a reference of 36 is no array: the body is all 8 bytes.
    expect(json([rootComplex(0, { size: 40, revision: 0, limit: 0x30, flags: 0x99, mappingCount: 0, mappingOffset: 36 })]).body).toEqual(Uint8Array.of(0x30, 0, 0, 0, 0x99, 0, 0, 0));
    // One mapping whose reference (20) lies inside the fixed fields: the body still runs from 32
    // to the Length (60), over the mapping the builder wrote at 40 (output reference: the ITS
    // group at 48 + 60 = 108).
    const inside = rootComplex(0, { size: 40, revision: 0, limit: 0x30, mappings: [{ inputBase: 0, idCount: 0, target: 1 }], mappingOffset: 20 });
    expect(json([inside, itsGroup([0])]).body).toEqual(Uint8Array.of(0x30, 0, 0, 0, 0, 0, 0, 0, ...new Array<number>(12).fill(0), 108, 0, 0, 0, 0, 0, 0, 0));
  });

  it('revision 1 (36 bytes): the limit, no PASID capabilities or flags', () => {
    expect(json([rootComplex(0, { size: 36, limit: 40 })])).toMatchObject({ revision: 1, memoryAddressSizeLimit: 40, pasidCapabilities: undefined, maxPasidWidth: undefined, flags: undefined, pasidSupported: undefined, body: undefined });
  });

  it('revision 0: the limit byte Linux ignores is kept as body; zero bytes are no body', () => {
    const body = json([rootComplex(0, { size: 36, limit: 0x30, revision: 0 })]);
    expect(body).toMatchObject({ memoryAddressSizeLimit: undefined });
    expect(body.body).toEqual(Uint8Array.of(0x30, 0, 0, 0));
    expect(json([rootComplex(0, { size: 36, limit: 0, revision: 0 })]).body).toBeUndefined();
  });

  it('revision 1 with 40 bytes: the Flags word is undecoded, so body (bytes 36..40)', () => {
    expect(json([rootComplex(0, { size: 40, flags: 0x99, revision: 1 })]).body).toEqual(Uint8Array.of(0x99, 0, 0, 0));
  });

  it('revision 4 with the ID array at 36: PASID capabilities yes, Flags no (space rule); body stops at the array', () => {
    // Fixed part written up to 40 but the array reference says 36: Flags [36, 40) would run into it.
    const node = json([rootComplex(0, { pasid: 3, flags: 1, mappings: [{ inputBase: 0, idCount: 0, target: 1 }], mappingOffset: 36 }), itsGroup([0])]);
    expect(node).toMatchObject({ pasidCapabilities: 3, flags: undefined, pasidSupported: undefined, body: undefined });
  });
});

describe('SMMUv1/v2', () => {
  it('every field and the three interrupt arrays', () => {
    // Global array at 60 (GSIV 32 level, 33 edge); context at 76 and 84, PMU at 92; Length 100.
    // Context 0 flags patched to 0 (level), context 1 to 2 (bit 1 only: still level).
    const node = smmuV1V2({ context: [40, 41], pmu: [50], patch32: [[36, 3], [80, 0], [88, 2]] });
    expect(json([node])).toMatchObject({
      kind: 'smmu-v1v2', length: 100, baseAddress: 0x5000_0000n, span: 0x10_0000n, model: 3, flags: 3,
      globalInterruptArrayOffset: 60, contextInterruptCount: 2, contextInterruptArrayOffset: 76, pmuInterruptCount: 1, pmuInterruptArrayOffset: 92,
      globalInterrupts: {
        nonSecureGlobal: { offset: 108, gsiv: 32, flags: 0, edgeTriggered: false },
        nonSecureConfigAccess: { offset: 116, gsiv: 33, flags: 1, edgeTriggered: true },
      },
      contextInterrupts: [{ offset: 124, gsiv: 40, flags: 0, edgeTriggered: false }, { offset: 132, gsiv: 41, flags: 2, edgeTriggered: false }],
      pmuInterrupts: [{ offset: 140, gsiv: 50, flags: 1, edgeTriggered: true }],
    });
  });

  it('arrays that do not fit the Length are not read; one that ends at the Length is', () => {
    expect(json([smmuV1V2({ context: [40, 41], pmu: [50], length: 99 })])).toMatchObject({ contextInterrupts: [{ gsiv: 40 }, { gsiv: 41 }], pmuInterrupts: [] });
    // Global array moved to 88: [88, 104) past the 100-byte node.
    expect(json([smmuV1V2({ context: [40, 41], pmu: [50], patch32: [[40, 88]] })]).globalInterrupts).toBeUndefined();
    expect(json([smmuV1V2({ context: [40, 41], pmu: [50], patch32: [[40, 84]] })]).globalInterrupts).toMatchObject({ nonSecureGlobal: { offset: 132, gsiv: 41 } });
  });
});

describe('SMMUv3', () => {
  it('flag bits and fields; DeviceID index stored but not in effect with all GSIVs wired', () => {
    // Flags 0x1d: COHACC (bit 0), HTTU bits 2:1 = 2, proximity valid (bit 3), DeviceID valid (bit 4).
    const node = smmuV3({ flags: 0x1d, model: 2, proximity: 7, index: 1, patch32: [[32, 0x1234], [36, 1]], mappings: [{ inputBase: 0, idCount: 0, target: 1 }, { inputBase: 1, idCount: 0, target: 1 }] });
    expect(json([node, itsGroup([0])])).toMatchObject({
      kind: 'smmu-v3', baseAddress: 0x900_0000n, flags: 0x1d, cohaccOverride: true, httuOverride: 2, proximityDomainValid: true, deviceIdMappingIndexValid: true,
      vatosAddress: 0x1_0000_1234n, model: 2, eventGsiv: 100, priGsiv: 101, gerrGsiv: 102, syncGsiv: 103,
      proximityDomain: 7, deviceIdMappingIndex: 1, effectiveDeviceIdMappingIndex: undefined,
    });
  });

  it('the other bits; the index in effect when a GSIV is 0', () => {
    const node = smmuV3({ flags: 0x22, gsivs: [100, 0, 102, 103], index: 1, mappings: [{ inputBase: 0, idCount: 0, target: 1 }, { inputBase: 1, idCount: 0, target: 1 }] });
    // 0x22: bit 5 is outside every field; HTTU = 1.
    expect(json([node, itsGroup([0])])).toMatchObject({ cohaccOverride: false, httuOverride: 1, proximityDomainValid: false, deviceIdMappingIndexValid: false, effectiveDeviceIdMappingIndex: 1 });
    expect(json([smmuV3({ flags: 0x6, index: 1, gsivs: [0, 0, 0, 0] })])).toMatchObject({ httuOverride: 3, effectiveDeviceIdMappingIndex: undefined });
  });

  it('revision 0 (60 bytes) has neither proximity domain nor DeviceID index', () => {
    expect(json([smmuV3({ revision: 0, length: 60, gsivs: [0, 0, 0, 0] })])).toMatchObject({ kind: 'smmu-v3', proximityDomain: undefined, deviceIdMappingIndex: undefined, effectiveDeviceIdMappingIndex: undefined });
  });
});

describe('PMCG', () => {
  it('fields; page 1 is gated on space only', () => {
    // The SMMUv3 monitored is at 48 + 40 = 88.
    expect(json([pmcg(1, { gsiv: 77, revision: 0 }), smmuV3()])).toMatchObject({ kind: 'pmcg', page0BaseAddress: 0x1000_0000n, overflowGsiv: 77, nodeReference: 88, page1BaseAddress: 0x1001_0000n });
    expect(json([pmcg(1, { length: 39 }), smmuV3()])).toMatchObject({ page1BaseAddress: undefined });
  });
});

describe('RMR', () => {
  it('flag fields and descriptors', () => {
    // Flags 0x417: remapping permitted, privileged, attributes bits 9:2 = 0x105 & 0xff = 0x05.
    // Descriptors at 48 + 28 = 76 and 96; descriptor 1's reserved word (+16) patched to 9.
    const node = rmr([[0x8000_0000n, 0x1_0000n], [0x1_2345_0000n, 0x20_0000n]], { flags: 0x417, patch32: [[28 + 20 + 16, 9]] });
    expect(json([node])).toMatchObject({
      kind: 'rmr', flags: 0x417, remappingPermitted: true, accessPrivileged: true, accessAttributes: 0x05, descriptorCount: 2, descriptorArrayOffset: 28,
      memoryRanges: [
        { index: 0, offset: 76, baseAddress: 0x8000_0000n, length: 0x1_0000n, reserved: 0 },
        { index: 1, offset: 96, baseAddress: 0x1_2345_0000n, length: 0x20_0000n, reserved: 9 },
      ],
    });
    expect(json([rmr([], { flags: 0x10 })])).toMatchObject({ remappingPermitted: false, accessPrivileged: false, accessAttributes: 4, memoryRanges: [] });
  });

  it('descriptors that do not fit the Length are not read', () => {
    const node = first([rmr([[0x8000_0000n, 0x1_0000n]], { length: 47 })]);
    expect(node.toJSON()).toMatchObject({ descriptorCount: 1, memoryRanges: [] });
    expect(node.kind === 'rmr' && node.descriptorsInsideNode).toBe(false);
  });
});

describe('IWB', () => {
  it('fields and a terminated name', () => {
    expect(json([iwb('\\_SB.IWB0', { index: 0x1234 })])).toMatchObject({ kind: 'iwb', configFrameBase: 0x2f00_0000n, iwbIndex: 0x1234, deviceName: '\\_SB.IWB0', deviceNameTerminated: true });
  });

  it('an unterminated name', () => {
    const fixed = new Bytes().u64(0x2f00_0000n).u16(1).ascii('\\_SB.I', false).done();
    expect(json([{ type: TYPE.iwb, revision: 1, fixed }])).toMatchObject({ deviceName: '\\_SB.I', deviceNameTerminated: false });
  });
});

describe('unknown nodes', () => {
  it('a type ≥ 8 is not truncated; a known type shorter than its fixed part is', () => {
    expect(json([{ type: 8, fixed: new Bytes().zeros(60).done() }])).toMatchObject({ kind: 'unknown', type: 8, truncated: false });
    expect(json([smmuV3({ length: 67 })])).toMatchObject({ kind: 'unknown', type: 4, truncated: true });
    expect(json([smmuV3({ length: 68 })]).kind).toBe('smmu-v3');
  });
});
