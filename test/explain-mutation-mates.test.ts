/**
 * `explain` on AMD without a topology (src/audit/explain-mates.ts): IVMDs of possible group mates,
 * including the IVHD alias, and the device's own IVMDs, which the verdict already has. IVRS from
 * the test encoder: IVHD at 0x30, entries from 0x48 (select 4 bytes, alias-select 8), IVMDs of 32
 * bytes after the IVHD. Texts by hand from docs/kernel-semantics.md §6.
 */
import { describe, expect, it } from 'vitest';
import { unsettledAmdWithoutTopology } from '../src/audit/explain-mates.js';
import { TOPOLOGY_MISSING } from '../src/audit/explain-unsettled.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { ivhd, ivmd, ivrsBytes, select } from './support/ivrs-model.js';

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
