/**
 * `explain` on AMD without a topology (src/audit/explain-mates.ts): IVMDs of possible group mates,
 * including the IVHD alias, and the device's own IVMDs, which the verdict already has. IVRS from
 * the test encoder: IVHD at 0x30, entries from 0x48 (select 4 bytes, alias-select 8), IVMDs of 32
 * bytes after the IVHD. Texts by hand from docs/kernel-semantics.md §6. The Arm side: RMRs on the
 * StreamIDs of a possible group mate (§4.3), IORT from the region-test builder.
 */
import { describe, expect, it } from 'vitest';
import { unsettledAmdWithoutTopology, unsettledArmWithoutTopology } from '../src/audit/explain-mates.js';
import { TOPOLOGY_MISSING } from '../src/audit/explain-unsettled.js';
import { parseIort } from '../src/iort/index.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { ivhd, ivmd, ivrsBytes, select } from './support/ivrs-model.js';
import { buildIort } from './support/region-tables.js';
import { buildIort as buildNodes, itsGroup, rmr as rmrNode, rootComplex, smmuV3 } from './support/iort-builder.js';

const DEVICE = { segment: 0, bus: 0, device: 4, function: 1 }; // requester ID 0x21
// select 0x08 @0x48, alias-select 0x21 → 0x28 @0x4c, select 0x28 @0x54: IVHD of 0x28 bytes, first IVMD at 0x58.
const IVHD = ivhd(0x10, 0x08, [select(0x08), { kind: 'alias-select', deviceId: 0x21, sourceDeviceId: 0x28 }, select(0x28)]);
const one = (id: number) => ivmd(0x21, 0x7, id, 0, 0x80100000n, 0x1000n);
const range = (first: number, last: number) => ivmd(0x22, 0x7, first, last, 0x80100000n, 0x1000n);
const unsettled = (...blocks: ReturnType<typeof ivmd>[]) => unsettledAmdWithoutTopology(parseIvrs(ivrsBytes([IVHD, ...blocks])), DEVICE);

describe('AMD group mates without a topology', () => {
  it('the alias ID of an IVHD alias entry on the device\'s bus is a mate, named with the entry', () => {
    expect(unsettled(one(0x28))).toEqual({
      reasons: ['IVMD @0x58 gives a direct region to 00:05.0 (the alias ID of the IVHD alias entry @0x4c), if that device exists'],
      classDecides: false,
      missing: TOPOLOGY_MISSING,
    });
  });

  it('another function of the slot first, then the bus is not searched on bus 0', () => {
    expect(unsettled(one(0x22))!.reasons).toEqual(['IVMD @0x58 gives a direct region to 00:04.2 (another function of slot 00:04), if that device exists']);
    expect(unsettled(one(0x30))).toBeUndefined();
  });

  it('an IVMD that covers the device itself is its own, even where it reaches a mate too (either end)', () => {
    expect(unsettled(range(0x21, 0x22))).toBeUndefined();
    expect(unsettled(range(0x20, 0x21))).toBeUndefined();
    // One past the device's ID on either side is not its own.
    expect(unsettled(range(0x22, 0x23))!.reasons).toEqual(['IVMD @0x58 gives a direct region to 00:04.2 (another function of slot 00:04), if that device exists']);
    expect(unsettled(range(0x1f, 0x20))!.reasons).toEqual(['IVMD @0x58 gives a direct region to 00:04.0 (another function of slot 00:04), if that device exists']);
  });

  it('a device no IVHD entry covers has no IOMMU: nothing is open', () => {
    expect(unsettledAmdWithoutTopology(parseIvrs(ivrsBytes([IVHD, one(0x22)])), { segment: 0, bus: 0, device: 6, function: 1 })).toBeUndefined();
  });
});

describe('AMD mates: which IDs count', () => {
  it('a device no IVHD entry covers is not asked about, even with an IVMD on its slot mate', () => {
    // 00:06.1 (0x31) is in no IVHD entry; the IVMD names 00:06.2 (0x32) of its slot.
    expect(unsettledAmdWithoutTopology(parseIvrs(ivrsBytes([IVHD, one(0x32)])), { segment: 0, bus: 0, device: 6, function: 1 })).toBeUndefined();
  });

  it('an IVHD alias on another bus is no group mate of the device', () => {
    // alias-select 0x21 → 0x0100 (bus 1): the IVMD of 01:00.0 does not reach the device's group.
    const aliased = ivhd(0x10, 0x08, [select(0x08), { kind: 'alias-select', deviceId: 0x21, sourceDeviceId: 0x100 }, select(0x100)]);
    expect(unsettledAmdWithoutTopology(parseIvrs(ivrsBytes([aliased, one(0x100)])), DEVICE)).toBeUndefined();
  });

  it('an ID an alias range groups with the device (outside its slot) is a mate, named with the entry', () => {
    // alias-range-start 0x20 … range-end 0x2f → alias 0x30: the range's 0x2c (00:05.4) shares the alias, so the group.
    const ranged = ivhd(0x10, 0x08, [select(0x08), { kind: 'alias-range-start', deviceId: 0x20, sourceDeviceId: 0x30 }, { kind: 'range-end', deviceId: 0x2f }, select(0x30)]);
    // Entries from 0x48: select (4), alias-range-start (8) @0x4c, range-end (4) @0x54, select (4): IVMD at 0x5c. The kernel
    // applies an alias range at its IVHD_DEV_RANGE_END entry (init_iommu_from_acpi), so that entry is the one named.
    expect(unsettledAmdWithoutTopology(parseIvrs(ivrsBytes([ranged, one(0x2c)])), DEVICE)!.reasons).toEqual([
      'IVMD @0x5c gives a direct region to 00:05.4 (an ID the IVHD alias entry @0x54 groups with the device), if that device exists',
    ]);
  });
});

describe('Arm mates without a topology (RMRs on possible mates\' StreamIDs)', () => {
  // region-tables IORT: ITS @0x30, SMMUv3 @0x48, root complex @0xa0 (identity RID → StreamID), RMR nodes from 0xd8.
  const iort = (rmrs: NonNullable<Parameters<typeof buildIort>[0]['rmrs']>, rcCount = 0xffff) => parseIort(buildIort({
    rc: [{ input: 0, count: rcCount, output: 0, target: 'smmu' }],
    smmu: [{ input: 0, count: 0xffff, output: 0, target: 'its' }],
    rmrs,
  }));
  const rmrOn = (output: number, options: { flags?: number; target?: 'smmu' | 'its' } = {}) =>
    ({ flags: options.flags ?? 0, mappings: [{ input: 0, count: 0, output, target: options.target ?? 'smmu' }], descriptors: [{ base: 0x80000000n, length: 0x10000n }] });
  const DEVICE_03 = { segment: 0, bus: 0, device: 3, function: 0 }; // requester ID and StreamID 0x18

  it('the last function of the slot is a mate; the device\'s own StreamID is not', () => {
    expect(unsettledArmWithoutTopology(iort([rmrOn(0x1f)]), DEVICE_03, true)).toEqual({
      reasons: ['RMR @0xd8 gives a direct region to StreamID 0x1f of requester ID 00:03.7 (another function of slot 00:03, or a DMA alias of the device), if that device exists'],
      classDecides: false,
      missing: TOPOLOGY_MISSING,
    });
    expect(unsettledArmWithoutTopology(iort([rmrOn(0x18)]), DEVICE_03, true)).toBeUndefined();
  });

  it('an RMR with remapping permitted, one mapped onto the ITS, or one past every mate StreamID leaves nothing open', () => {
    expect(unsettledArmWithoutTopology(iort([rmrOn(0x19, { flags: 1 })]), DEVICE_03, true)).toBeUndefined();
    expect(unsettledArmWithoutTopology(iort([rmrOn(0x19, { target: 'its' })]), DEVICE_03, true)).toBeUndefined();
    expect(unsettledArmWithoutTopology(iort([rmrOn(0x20)]), DEVICE_03, true)).toBeUndefined();
  });

  it('a mate whose requester ID reaches another SMMU: an RMR on the device\'s SMMU with that StreamID number is not its', () => {
    // 00:03.0 (0x18) → SMMU A; 00:03.1–.7 → SMMU B with the same StreamID numbers; the RMR holds StreamID 0x19 on A.
    const built = buildNodes([
      itsGroup([0]),
      smmuV3({ mappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0, target: 0 }] }),
      smmuV3({ mappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0, target: 0 }] }),
      rootComplex(0, { mappings: [{ inputBase: 0x18, idCount: 0, outputBase: 0x18, target: 1 }, { inputBase: 0x19, idCount: 6, outputBase: 0x19, target: 2 }] }),
      rmrNode([[0x80000000n, 0x10000n]], { mappings: [{ inputBase: 0, idCount: 0, outputBase: 0x19, target: 1 }] }),
    ]);
    expect(unsettledArmWithoutTopology(parseIort(built.bytes), DEVICE_03, true)).toBeUndefined();
  });

  it('no root complex for the segment, or a requester ID that reaches no SMMU: nothing to ask', () => {
    expect(unsettledArmWithoutTopology(iort([rmrOn(0x19)]), { ...DEVICE_03, segment: 1 }, true)).toBeUndefined();
    // The root complex maps RIDs 0–0xff only: 01:00.0 (0x100) has no SMMU; its slot mate 01:00.1's RMR is not asked about.
    expect(unsettledArmWithoutTopology(iort([rmrOn(0x101)], 0xff), { segment: 0, bus: 1, device: 0, function: 0 }, true)).toBeUndefined();
  });
});
